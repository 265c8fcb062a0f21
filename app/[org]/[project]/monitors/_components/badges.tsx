import { Badge } from "@tremor/react";

type Color = "emerald" | "amber" | "gray" | "rose" | "blue";

const VERDICT: Record<string, { word: string; color: Color; hint: string }> = {
  drifted: { word: "drifted", color: "rose", hint: "The window differs from the reference beyond the threshold and the effect-size floor." },
  ok: { word: "no drift", color: "emerald", hint: "The window is within the thresholds." },
  insufficient: { word: "too little data", color: "gray", hint: "Too few rows or labels in the window to judge it." },
};

/** Concept and serving reports are judged against limits, not tested for drift: their words say so. */
const LIMIT_WORDS: Record<string, string> = { drifted: "limit breached", ok: "within limits" };

/** A report's or a feature's verdict; `null` = no report yet. `kind` is the report's kind (data by default). */
export function VerdictBadge({ verdict, kind = "data" }: { verdict: string | null; kind?: string }) {
  if (verdict === null) {
    return (
      <Badge size="xs" color="gray" data-verdict="none">
        no report yet
      </Badge>
    );
  }
  const v = VERDICT[verdict] ?? { word: verdict, color: "gray" as const, hint: "" };
  return (
    <Badge size="xs" color={v.color} data-verdict={verdict} title={kind === "data" ? v.hint : undefined}>
      {kind === "data" ? v.word : (LIMIT_WORDS[verdict] ?? v.word)}
    </Badge>
  );
}

const INCIDENT: Record<string, Color> = { firing: "rose", acknowledged: "amber", resolved: "emerald" };

export function IncidentBadge({ status }: { status: string }) {
  return (
    <Badge size="xs" color={INCIDENT[status] ?? "gray"} data-incident-status={status}>
      {status}
    </Badge>
  );
}
