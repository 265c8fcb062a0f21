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

export type RetrainKind = "none" | "pipeline" | "training";
export type Trainer = "gbdt" | "ridge" | "logistic" | "command";
/** How the retrained version reaches the monitored deployment; "none" stops after the gate. */
export type DeployChoice = "canary" | "direct" | "blue_green" | "shadow" | "ab" | "none";

export const RETRAIN_KINDS: { value: RetrainKind; label: string }[] = [
  { value: "none", label: "alert only" },
  { value: "pipeline", label: "start a pipeline" },
  { value: "training", label: "train with a spec" },
];
export const TRAINERS: Trainer[] = ["gbdt", "ridge", "logistic", "command"];
export const DEPLOY_CHOICES: { value: DeployChoice; label: string }[] = [
  { value: "canary", label: "canary (steps, bake time)" },
  { value: "direct", label: "direct replace" },
  { value: "blue_green", label: "blue/green" },
  { value: "shadow", label: "shadow" },
  { value: "ab", label: "A/B" },
  { value: "none", label: "do not deploy (stop after the gate)" },
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
  retrainKind: RetrainKind;
  retrainPipeline: string;
  /** Training spec: blank dataset = the one the served model was trained on. */
  dataset: string;
  trainer: Trainer;
  command: string;
  target: string;
  /** Comma-separated column names. */
  exclude: string;
  /** JSON object of trainer params. */
  params: string;
  deploy: DeployChoice;
  /** Comma-separated canary percentages, e.g. "10, 50, 100"; blank = the default steps. */
  canarySteps: string;
  bakeMinutes: string;
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
  retrainKind: "none",
  retrainPipeline: "",
  dataset: "",
  trainer: "gbdt",
  command: "",
  target: "",
  exclude: "",
  params: "{}",
  deploy: "canary",
  canarySteps: "",
  bakeMinutes: "",
  maxRunsPerDay: "1",
  retrainCooldownHours: "24",
  enabled: true,
};

/** Blank = not set; anything else goes to the server as a number (NaN included), whose check names the field. */
const num = (text: string): number | undefined => (text.trim() === "" ? undefined : Number(text));
const text = (n: number | undefined) => (n === undefined ? "" : String(n));
const list = (text: string): string[] | undefined => {
  const items = text.split(",").map((x) => x.trim()).filter((x) => x !== "");
  return items.length ? items : undefined;
};
/** Params as typed: JSON when it parses, otherwise the text itself, which the server refuses naming the field. */
function params(text: string): Record<string, unknown> {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return text as unknown as Record<string, unknown>;
  }
}

type Action = RuleInput["action"];

function action(d: RuleDraft): Action {
  if (d.retrainKind === "pipeline") return { retrain: { pipeline: d.retrainPipeline } };
  if (d.retrainKind !== "training") return null;
  const bake = num(d.bakeMinutes);
  const training = {
    ...(d.dataset.trim() ? { dataset: d.dataset.trim() } : {}),
    trainer: d.trainer,
    ...(d.trainer === "command" ? { command: d.command } : {}),
    target: d.target,
    ...(list(d.exclude) ? { exclude: list(d.exclude) } : {}),
    params: params(d.params),
  };
  const deploy =
    d.deploy === "none"
      ? null
      : { strategy: d.deploy, ...(d.deploy === "canary" && list(d.canarySteps) ? { steps: list(d.canarySteps)!.map(Number) } : {}), ...(d.deploy === "canary" && bake !== undefined ? { bakeSeconds: Math.round(bake * 60) } : {}) };
  return { retrain: { training, deploy } };
}

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
    action: action(d),
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
    ...retrainDraft(r.action),
    maxRunsPerDay: String(r.budget.maxRunsPerDay),
    retrainCooldownHours: String(r.retrainCooldownSeconds / 3600),
    enabled: r.enabled,
  };
}

function retrainDraft(a: Rule["action"]): Partial<RuleDraft> {
  const r = a?.retrain;
  if (!r) return {};
  if (r.pipeline !== undefined || !r.training) return { retrainKind: "pipeline", retrainPipeline: r.pipeline ?? "" };
  const t = r.training;
  const deploy = r.deploy === undefined ? { strategy: "canary" as const } : r.deploy;
  return {
    retrainKind: "training",
    dataset: t.dataset ?? "",
    trainer: t.trainer,
    command: t.command ?? "",
    target: t.target,
    exclude: (t.exclude ?? []).join(", "),
    params: JSON.stringify(t.params),
    deploy: deploy ? deploy.strategy : "none",
    canarySteps: (deploy?.steps ?? []).join(", "),
    bakeMinutes: deploy?.bakeSeconds === undefined ? "" : String(deploy.bakeSeconds / 60),
  };
}

/** A rule's retraining in words, for the rules list. */
export function retrainWords(r: Rule): string {
  const a = r.action?.retrain;
  if (!a) return "";
  const budget = `(≤ ${r.budget.maxRunsPerDay}/day, ${Math.round(r.retrainCooldownSeconds / 3600)} h apart)`;
  if (a.pipeline !== undefined) return `retrains with ${a.pipeline} ${budget}`;
  const deploy = a.deploy === undefined ? "canary" : a.deploy === null ? "no deploy" : a.deploy.strategy;
  return `retrains ${a.training?.trainer ?? ""} on ${a.training?.dataset ?? "the training data"} → gate → ${deploy} via ${r.generatedPipeline ?? "its pipeline"} ${budget}`;
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
