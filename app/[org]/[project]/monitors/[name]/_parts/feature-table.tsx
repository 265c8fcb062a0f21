"use client";

import { Badge } from "@tremor/react";
import { formatCount, formatPercent, formatStat } from "../../../../../_lib/format";
import type { RouterOutputs } from "../../../../../_lib/trpc";
import { VerdictBadge } from "../../_components/badges";

type Feature = RouterOutputs["monitor"]["report"]["features"][number];

// Wasserstein is always normed by the reference's spread here (server/ml/monitor-stats.ts), as Evidently does.
const STATISTIC: Record<string, string> = { psi: "PSI", jensenshannon: "Jensen–Shannon", wasserstein: "Wasserstein", ks: "KS", chisquare: "chi-square", z: "z-test" };
export const statisticName = (s: string) => STATISTIC[s] ?? s;

function EvidentlyCell({ f }: { f: Feature }) {
  if (!f.evidently) return <span className="text-gray-400">—</span>;
  const e = f.evidently;
  return (
    <span className="flex flex-col items-start gap-0.5" data-evidently={e.drifted ? "drifted" : "ok"}>
      <Badge size="xs" color={e.drifted ? "rose" : "emerald"}>
        {e.drifted ? "drifted" : "no drift"}
      </Badge>
      <span className="whitespace-nowrap font-mono text-[11px] text-gray-500">
        {statisticName(e.test)} {formatStat(e.statistic)} vs {formatStat(e.threshold)}
      </span>
    </span>
  );
}

/**
 * Every verdict beside the figures it rests on: the statistic, the threshold it was held to, both
 * sample sizes and the effect against its floor, with Evidently's verdict on the same data for
 * comparison. Choosing a row shows that feature's histograms.
 */
export function FeatureTable({ features, selected, onSelect }: { features: readonly Feature[]; selected: string | null; onSelect: (feature: string) => void }) {
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full text-xs" aria-label="Features">
        <thead>
          <tr className="border-b border-gray-200 text-left text-xs uppercase tracking-wide text-gray-500">
            <th className="py-2 pr-3 font-medium">Feature</th>
            <th className="py-2 pr-3 font-medium">Statistic</th>
            <th className="py-2 pr-3 text-right font-medium">Value</th>
            <th className="py-2 pr-3 text-right font-medium">Threshold</th>
            <th className="py-2 pr-3 text-right font-medium">n ref / cur</th>
            <th className="py-2 pr-3 text-right font-medium">Effect (floor)</th>
            <th className="py-2 pr-3 font-medium">Cairn</th>
            <th className="py-2 pr-3 font-medium">Evidently&apos;s defaults</th>
            <th className="py-2 font-medium">Missing / unseen</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-100">
          {features.map((f) => (
            <tr key={f.feature} data-feature-row={f.feature} data-drifted={f.drifted} className={selected === f.feature ? "bg-blue-50/60" : "hover:bg-gray-50"}>
              <td className="py-2 pr-3">
                <button type="button" className="font-mono text-blue-700 hover:underline" onClick={() => onSelect(f.feature)} aria-pressed={selected === f.feature}>
                  {f.feature}
                </button>
                <span className="ml-1.5 text-xs text-gray-400">{f.kind}</span>
              </td>
              <td className="py-2 pr-3 whitespace-nowrap">{statisticName(f.statistic)}</td>
              <td className="py-2 pr-3 text-right font-mono">{formatStat(f.value)}</td>
              <td className="py-2 pr-3 text-right font-mono">{formatStat(f.threshold)}</td>
              <td className="py-2 pr-3 text-right font-mono whitespace-nowrap">
                {formatCount(f.nRef)} / {formatCount(f.nCur)}
              </td>
              <td className="py-2 pr-3 text-right font-mono whitespace-nowrap">
                {formatStat(f.effect)} <span className="text-gray-400">({formatStat(f.floor)})</span>
              </td>
              <td className="py-2 pr-3">{f.skipped ? <span className="text-xs text-gray-500" title={f.skipped}>skipped: {f.skipped}</span> : <VerdictBadge verdict={f.drifted ? "drifted" : "ok"} />}</td>
              <td className="py-2 pr-3">
                <EvidentlyCell f={f} />
              </td>
              <td className="py-2 whitespace-nowrap text-xs text-gray-600">
                {f.missingShare ? `${formatPercent(f.missingShare.reference)} → ${formatPercent(f.missingShare.current)}` : "—"}
                {f.unseenShare !== null && f.unseenShare > 0 ? ` · ${formatPercent(f.unseenShare)} unseen` : ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
