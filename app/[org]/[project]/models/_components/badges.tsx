import { Badge } from "@tremor/react";
import type { GateState } from "./gate-state";

export { gateState, type GateState } from "./gate-state";

const GATE_COLOR = { passed: "emerald", failed: "rose", error: "orange", pending: "gray", running: "blue", none: "slate" } as const;
const GATE_WORD: Record<GateState, string> = { passed: "gate passed", failed: "gate failed", error: "gate error", pending: "gate pending", running: "gate running", none: "not gated" };

export function GateBadge({ state }: { state: GateState }) {
  return (
    <Badge size="xs" color={GATE_COLOR[state]} data-gate={state} title={state === "none" ? "No gate report under the model's current policy revision" : undefined}>
      {GATE_WORD[state]}
    </Badge>
  );
}

/** `champion` stands out; other aliases are quieter. */
export function AliasBadge({ name }: { name: string }) {
  return (
    <Badge size="xs" color={name === "champion" ? "violet" : "sky"} data-alias={name}>
      @{name}
    </Badge>
  );
}

export function CheckBadge({ outcome }: { outcome: string }) {
  const color = outcome === "pass" ? "emerald" : outcome === "fail" ? "rose" : outcome === "error" ? "orange" : "gray";
  return (
    <Badge size="xs" color={color} data-outcome={outcome}>
      {outcome}
    </Badge>
  );
}
