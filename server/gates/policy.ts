/**
 * A gate policy as users write it (YAML with snake_case keys) and as the gate job reads it. Pure: no I/O.
 * One zod schema is the contract for both the YAML editor and the form; a YAML or schema error becomes
 * one message naming the line of the offending node, so an editor can point at it.
 */
import { z } from "zod";
import { Document, LineCounter, isMap, isNode, isPair, isScalar, isSeq, parseDocument, type Node } from "yaml";
import { AppError } from "../errors";
import { MAX_DIFF_LINES } from "./diff";
import { ZApprovalRule, type ModelTask } from "../registry/names";

/** Whether a larger value of a metric is better; keys are the evaluation report's metric names. */
export const METRIC_DIRECTION = {
  regression: { rmse: "lower", mae: "lower", mape: "lower", r2: "higher" },
  binary: { accuracy: "higher", precision: "higher", recall: "higher", f1: "higher", rocAuc: "higher", prAuc: "higher", logLoss: "lower" },
} as const satisfies Record<ModelTask, Record<string, "lower" | "higher">>;

/** Metrics a champion comparison can test: each has per-row values or a paired test of its own. */
export const CHAMPION_METRICS = { regression: ["rmse", "mae"], binary: ["accuracy", "rocAuc", "logLoss"] } as const satisfies Record<ModelTask, readonly string[]>;
/** Metrics with a per-row value, so a group's metric is a mean over its rows (bootstrapped per group). */
export const FAIRNESS_METRICS = { regression: ["rmse", "mae"], binary: ["accuracy", "logLoss"] } as const satisfies Record<ModelTask, readonly string[]>;

export const metricsOf = (task: ModelTask): string[] => Object.keys(METRIC_DIRECTION[task]);
export const directionOf = (task: ModelTask, metric: string): "lower" | "higher" => (METRIC_DIRECTION[task] as Record<string, "lower" | "higher">)[metric] ?? "lower";

export const MAX_POLICY_LINES = MAX_DIFF_LINES;

const PERCENT = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/;
/** A fraction written as 0.02 or "2%". */
const ZFraction = z
  .union([z.number(), z.string().regex(PERCENT, 'Write a fraction as a number (0.02) or a percentage ("2%")').transform((s) => Number(PERCENT.exec(s)![1]) / 100)])
  .pipe(z.number().min(0, "must be at least 0").max(10, "must be at most 1000%"));

const ZConfidence = z.number().gt(0.5, "confidence must be above 0.5").lt(1, "confidence must be below 1").default(0.95);
const ZMetricName = z.string().min(1);

const ZThreshold = z
  .object({ metric: ZMetricName, min: z.number().optional(), max: z.number().optional() })
  .strict()
  .refine((t) => t.min !== undefined || t.max !== undefined, { message: "A threshold needs min or max", path: ["metric"] });

const ZRelative = z.object({ metric: ZMetricName, better_by: ZFraction }).strict();

const ZChampionCheck = z
  .object({
    mode: z.enum(["superiority", "non_inferiority"]).default("superiority"),
    /** Defaults to the task's headline metric (rmse, rocAuc). */
    metrics: z.array(ZMetricName).min(1).max(5).optional(),
    /** Superiority: the CI of (challenger − champion) must be better than 0 by at least this, in metric units. */
    min_effect: z.number().min(0).default(0),
    /** Non-inferiority: the challenger may be at most this much worse, in metric units. */
    margin: z.number().min(0).optional(),
    confidence: ZConfidence,
    resamples: z.number().int().min(100).max(100_000).default(10_000),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
    /** Family-wise error rate: Holm's correction over the gated metrics' p-values. */
    alpha: z.number().gt(0).lt(0.5).default(0.05),
  })
  .strict()
  .refine((c) => c.mode !== "non_inferiority" || c.margin !== undefined, { message: "non_inferiority needs a margin", path: ["mode"] });

const ZFairness = z
  .object({
    column: z.string().min(1),
    metric: ZMetricName.optional(),
    max_gap: z.number().min(0),
    min_group_size: z.number().int().min(1).default(30),
    confidence: ZConfidence,
    resamples: z.number().int().min(100).max(100_000).default(2000),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
  })
  .strict();

const ZChecks = z
  .object({
    thresholds: z.array(ZThreshold).max(50).optional(),
    relative: z.array(ZRelative).max(50).optional(),
    champion: ZChampionCheck.optional(),
    fairness: ZFairness.optional(),
    data_validation: z.boolean().optional(),
    /** Worst relative degradation of the headline metric under the noise and missing-value probes. */
    robustness: z.object({ max_degradation: ZFraction }).strict().optional(),
    budgets: z
      .object({ p95_single_ms: z.number().positive().optional(), p95_batch_1000_ms: z.number().positive().optional(), max_size_mb: z.number().positive().optional() })
      .strict()
      .optional(),
    signature: z.object({ allow_breaking: z.boolean().default(false) }).strict().optional(),
  })
  .strict();

/** A gate policy (task-independent shape; see policySchema for the metric names a task allows). */
export const ZGatePolicy = z
  .object({
    approvals: ZApprovalRule.prefault({}),
    data: z
      .object({ split: z.enum(["test", "validation"]).default("test"), threshold: z.number().gt(0).lt(1).default(0.5) })
      .strict()
      .prefault({}),
    checks: ZChecks.prefault({}),
  })
  .strict();
export type GatePolicy = z.output<typeof ZGatePolicy>;
export type GatePolicyInput = z.input<typeof ZGatePolicy>;

/** The policy schema with the metric names checked against the model's task. */
export function policySchema(task: ModelTask) {
  const known = metricsOf(task);
  return ZGatePolicy.superRefine((p, ctx) => {
    const check = (metric: string, allowed: readonly string[], path: (string | number)[], what: string) => {
      if (!allowed.includes(metric)) ctx.addIssue({ code: "custom", path, message: `${what} "${metric}" is not one of ${allowed.join(", ")} (${task} model)` });
    };
    p.checks.thresholds?.forEach((t, i) => check(t.metric, known, ["checks", "thresholds", i, "metric"], "metric"));
    p.checks.relative?.forEach((t, i) => check(t.metric, known, ["checks", "relative", i, "metric"], "metric"));
    p.checks.champion?.metrics?.forEach((m, i) => check(m, CHAMPION_METRICS[task], ["checks", "champion", "metrics", i], "champion metric"));
    if (p.checks.fairness?.metric !== undefined) check(p.checks.fairness.metric, FAIRNESS_METRICS[task], ["checks", "fairness", "metric"], "fairness metric");
  });
}

/** The metrics a champion check compares (the task's headline metric unless listed). */
export const championMetrics = (task: ModelTask, policy: GatePolicy): string[] => policy.checks.champion?.metrics ?? [task === "binary" ? "rocAuc" : "rmse"];
export const fairnessMetric = (task: ModelTask, policy: GatePolicy): string => policy.checks.fairness?.metric ?? (task === "binary" ? "accuracy" : "mae");

/** The policy a new model starts with: beat the champion on the headline metric, validated data, compatible signature, one ADMIN approval. */
export function defaultPolicy(task: ModelTask): GatePolicy {
  return policySchema(task).parse({
    approvals: { required: 1, min_role: "ADMIN" },
    data: { split: "test" },
    checks: { champion: { mode: "superiority", metrics: [task === "binary" ? "rocAuc" : "rmse"], min_effect: 0 }, data_validation: true, signature: { allow_breaking: false } },
  });
}

/** The YAML of a policy (the form → YAML direction); parsePolicyYaml reads it back to the same policy. */
export function policyToYaml(policy: GatePolicy | GatePolicyInput): string {
  return new Document(policy).toString({ lineWidth: 0 });
}

/** Parses and validates policy YAML; a syntax or schema error is one BAD_REQUEST naming the line (and path). */
export function parsePolicyYaml(text: string, task: ModelTask): GatePolicy {
  // Revisions are diffed line by line (server/gates/diff.ts), which bounds a policy's length.
  if (text.split("\n").length > MAX_POLICY_LINES) throw new AppError("BAD_REQUEST", `A policy has at most ${MAX_POLICY_LINES} lines`);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const line = err.linePos?.[0]?.line ?? lineCounter.linePos(err.pos[0]).line;
    throw new AppError("BAD_REQUEST", `line ${line}: ${err.message.split("\n")[0]}`);
  }
  const value: unknown = doc.toJS() ?? {};
  if (typeof value !== "object" || Array.isArray(value)) throw new AppError("BAD_REQUEST", "line 1: a policy is a mapping (approvals:, data:, checks:)");
  const parsed = policySchema(task).safeParse(value);
  if (parsed.success) return parsed.data;
  const messages = parsed.error.issues.slice(0, 3).map((issue) => {
    const { node, path } = nodeForIssue(doc, issue);
    const line = node?.range ? lineCounter.linePos(node.range[0]).line : 1;
    return `line ${line} (${path.join(".") || "(root)"}): ${issue.message}`;
  });
  const more = parsed.error.issues.length > 3 ? ` (and ${parsed.error.issues.length - 3} more)` : "";
  throw new AppError("BAD_REQUEST", messages.join("; ") + more);
}

/** Validates a policy given as an object (the form, JSON bodies), with the same messages by path. */
export function parsePolicyObject(value: unknown, task: ModelTask): GatePolicy {
  const parsed = policySchema(task).safeParse(value);
  if (parsed.success) return parsed.data;
  const messages = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
  throw new AppError("BAD_REQUEST", messages.join("; "));
}

/** The deepest YAML node on an issue's path (an unknown key points at that key itself). */
function nodeForIssue(doc: Document, issue: z.core.$ZodIssue): { node: Node | null; path: (string | number)[] } {
  const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
  let node: unknown = doc.contents;
  let reached: Node | null = isNode(node) ? node : null;
  const walked: (string | number)[] = [];
  for (const key of path) {
    const next = isMap(node) ? node.get(key, true) : isSeq(node) && typeof key === "number" ? node.get(key, true) : undefined;
    if (!isNode(next)) break;
    node = next;
    reached = next;
    walked.push(key);
  }
  if (issue.code === "unrecognized_keys" && isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && issue.keys.includes(String(p.key.value)));
    if (pair && isNode(pair.key)) return { node: pair.key, path: [...path, String((pair.key as { value: unknown }).value)] };
  }
  // A missing key is reported at its parent, with the full path it should have.
  return { node: reached, path: walked.length === path.length ? walked : path };
}
