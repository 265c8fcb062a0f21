import type { RouterInputs, RouterOutputs } from "../../../../_lib/trpc";

type RuleInput = RouterInputs["monitor"]["createRule"]["rule"];
type Rule = RouterOutputs["monitor"]["rules"][number];
export type ConditionKind = Rule["condition"]["on"];

export const CONDITION_KINDS: { value: ConditionKind; label: string }[] = [
  { value: "data_drift", label: "dataset drift (share of drifted features)" },
  { value: "feature", label: "one feature drifts" },
  { value: "prediction_drift", label: "prediction drift" },
  { value: "concept", label: "model metric out of bounds (concept drift)" },
  { value: "latency", label: "p95 latency over the limit" },
  { value: "error_rate", label: "error rate over the limit" },
];

/** A rule as typed into the form: numbers stay text until sent, so a blank field means "not set". */
export interface RuleDraft {
  name: string;
  on: ConditionKind;
  feature: string;
  metric: string;
  min: string;
  max: string;
  p95Ms: string;
  maxErrorRate: string;
  severity: "info" | "warning" | "critical";
  channelIds: string[];
  cooldownMinutes: string;
  retrainPipeline: string;
  maxRunsPerDay: string;
  retrainCooldownHours: string;
  enabled: boolean;
}

export const EMPTY_RULE: RuleDraft = {
  name: "",
  on: "data_drift",
  feature: "",
  metric: "",
  min: "",
  max: "",
  p95Ms: "",
  maxErrorRate: "",
  severity: "warning",
  channelIds: [],
  cooldownMinutes: "60",
  retrainPipeline: "",
  maxRunsPerDay: "1",
  retrainCooldownHours: "24",
  enabled: true,
};

/** Blank = not set; anything else goes to the server as a number (NaN included), whose check names the field. */
const num = (text: string): number | undefined => (text.trim() === "" ? undefined : Number(text));
const text = (n: number | undefined) => (n === undefined ? "" : String(n));

/** The form's draft as the router's input. No check here: the server's messages are the one set of rules. */
export function ruleInput(d: RuleDraft): RuleInput {
  const condition = (() => {
    switch (d.on) {
      case "feature":
        return { on: "feature" as const, feature: d.feature };
      case "concept":
        return { on: "concept" as const, metric: d.metric, min: num(d.min), max: num(d.max) };
      case "latency":
        return { on: "latency" as const, p95Ms: num(d.p95Ms) };
      case "error_rate":
        return { on: "error_rate" as const, max: num(d.maxErrorRate) };
      default:
        return { on: d.on };
    }
  })();
  const minutes = num(d.cooldownMinutes);
  const hours = num(d.retrainCooldownHours);
  return {
    name: d.name,
    condition,
    channelIds: d.channelIds,
    cooldownSeconds: minutes === undefined ? undefined : Math.round(minutes * 60),
    severity: d.severity,
    action: d.retrainPipeline.trim() === "" ? null : { retrain: { pipeline: d.retrainPipeline } },
    budget: { maxRunsPerDay: num(d.maxRunsPerDay) ?? 1 },
    retrainCooldownSeconds: hours === undefined ? undefined : Math.round(hours * 3600),
    enabled: d.enabled,
  };
}

/** A stored rule back into the form, for editing. */
export function ruleDraft(r: Rule): RuleDraft {
  const c = r.condition;
  return {
    ...EMPTY_RULE,
    name: r.name,
    on: c.on,
    feature: c.on === "feature" ? c.feature : "",
    metric: c.on === "concept" ? c.metric : "",
    min: c.on === "concept" ? text(c.min) : "",
    max: c.on === "concept" ? text(c.max) : "",
    p95Ms: c.on === "latency" ? text(c.p95Ms) : "",
    maxErrorRate: c.on === "error_rate" ? text(c.max) : "",
    severity: r.severity,
    channelIds: r.channelIds,
    cooldownMinutes: String(r.cooldownSeconds / 60),
    retrainPipeline: r.action?.retrain.pipeline ?? "",
    maxRunsPerDay: String(r.budget.maxRunsPerDay),
    retrainCooldownHours: String(r.retrainCooldownSeconds / 3600),
    enabled: r.enabled,
  };
}

/** A rule's condition in words, for the rules list. */
export function conditionWords(c: Rule["condition"]): string {
  switch (c.on) {
    case "data_drift":
      return "dataset drift";
    case "feature":
      return `feature ${c.feature} drifts`;
    case "prediction_drift":
      return "prediction drift";
    case "concept":
      return `${c.metric} ${[c.min !== undefined ? `< ${c.min}` : null, c.max !== undefined ? `> ${c.max}` : null].filter(Boolean).join(" or ")}`;
    case "latency":
      return c.p95Ms !== undefined ? `p95 latency > ${c.p95Ms} ms` : "p95 latency over the monitor's limit";
    case "error_rate":
      return c.max !== undefined ? `error rate > ${c.max * 100}%` : "error rate over the monitor's limit";
  }
}
