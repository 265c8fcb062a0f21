import { Badge } from "@tremor/react";

type Color = "emerald" | "amber" | "gray" | "rose" | "blue" | "indigo" | "violet" | "slate" | "sky" | "orange";

const STATUS: Record<string, { word: string; color: Color }> = {
  active: { word: "active", color: "emerald" },
  rolling_out: { word: "rolling out", color: "blue" },
  paused: { word: "paused", color: "amber" },
  aborted: { word: "aborted", color: "gray" },
  rolled_back: { word: "rolled back", color: "rose" },
};

const STRATEGY: Record<string, string> = { direct: "direct", canary: "canary", blue_green: "blue/green", shadow: "shadow", ab: "A/B" };

export const strategyWord = (s: string) => STRATEGY[s] ?? s;

export function StatusBadge({ status }: { status: string }) {
  const s = STATUS[status] ?? { word: status, color: "gray" as const };
  return (
    <Badge size="xs" color={s.color} data-status={status}>
      {s.word}
    </Badge>
  );
}

export function StrategyBadge({ strategy }: { strategy: string }) {
  return (
    <Badge size="xs" color={strategy === "direct" ? "slate" : "indigo"} data-strategy={strategy}>
      {strategyWord(strategy)}
    </Badge>
  );
}

const POLICY: Record<string, { word: string; color: Color; hint: string }> = {
  none: { word: "any version", color: "gray", hint: "Any version of the model may take traffic." },
  gate_passed: { word: "gate passed", color: "amber", hint: "A version needs a passed gate under its model's current policy." },
  approved: { word: "gate + approvals", color: "violet", hint: "A version needs a passed gate and completed approvals." },
};

export const policyHint = (requires: string) => POLICY[requires]?.hint ?? requires;
export const policyWord = (requires: string) => POLICY[requires]?.word ?? requires;

export function PolicyBadge({ requires }: { requires: string }) {
  const p = POLICY[requires] ?? { word: requires, color: "gray" as const, hint: "" };
  return (
    <Badge size="xs" color={p.color} data-policy={requires} title={p.hint}>
      {p.word}
    </Badge>
  );
}
