import { strategyWord } from "./badges";

interface Props {
  strategy: string;
  stable: string;
  candidate: string | null;
  candidatePercent: number;
  /** Compact: the bar and one line of labels, for lists. */
  compact?: boolean;
}

/** What the candidate does with its share: canary and A/B answer it, blue/green waits warm, shadow only scores mirrored requests. */
function candidateRole(strategy: string, percent: number): string {
  if (strategy === "blue_green") return "warm, answers none until switched";
  if (strategy === "shadow") return "scores mirrored requests, answers none";
  return `${percent}% of requests`;
}

/** The live traffic split: the stable version's share and the candidate's, as a bar with both labelled. */
export function SplitBar({ strategy, stable, candidate, candidatePercent, compact = false }: Props) {
  const answering = candidate && (strategy === "canary" || strategy === "ab") ? candidatePercent : 0;
  const stablePercent = 100 - answering;
  return (
    <div className="min-w-0 space-y-1.5" data-split={`${stable}:${stablePercent}${candidate ? `,${candidate}:${answering}` : ""}`} aria-label={`Traffic: ${stable} ${stablePercent}%${candidate ? `, ${candidate} ${answering}%` : ""}`}>
      <div className={`flex w-full overflow-hidden rounded-md bg-gray-100 ${compact ? "h-3" : "h-6"}`} role="img" aria-hidden>
        {stablePercent > 0 ? (
          <div className="flex items-center justify-center bg-blue-500 text-xs font-medium text-white" style={{ width: `${stablePercent}%` }}>
            {compact || stablePercent < 12 ? null : `${stable} · ${stablePercent}%`}
          </div>
        ) : null}
        {answering > 0 ? (
          <div className="flex items-center justify-center bg-amber-500 text-xs font-medium text-white" style={{ width: `${answering}%` }}>
            {compact || answering < 12 ? null : `${candidate} · ${answering}%`}
          </div>
        ) : null}
      </div>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-gray-600">
        <span className="flex items-center gap-1.5">
          <span aria-hidden className="h-2 w-2 rounded-full bg-blue-500" />
          stable <span className="font-medium text-gray-900">{stable}</span> {stablePercent}%
        </span>
        {candidate ? (
          <span className="flex items-center gap-1.5" data-candidate={candidate}>
            <span aria-hidden className={`h-2 w-2 rounded-full ${answering > 0 ? "bg-amber-500" : "border border-amber-500 bg-white"}`} />
            {strategyWord(strategy)} candidate <span className="font-medium text-gray-900">{candidate}</span> {candidateRole(strategy, answering)}
          </span>
        ) : null}
      </div>
    </div>
  );
}
