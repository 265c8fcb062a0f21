/**
 * The gate's statistical checks over scored rows: thresholds, relative-to-champion, champion/challenger
 * with paired tests and Holm's correction, and fairness. Pure: arrays in, check evidence out.
 */
import { absoluteErrors, binaryMetrics, partitionRows, regressionMetrics, rowLogLoss, type GroupValue } from "../ml/metrics";
import { delongTest, groupGap, groupsFromPartition, holmBonferroni, mcnemar, nonInferiority, normalQuantile, pairedBootstrap, pairedTTest, superiority, wilcoxonSignedRank, type PairedStatistic } from "../ml/gates";
import type { ModelTask } from "../registry/names";
import { championMetrics, directionOf, fairnessMetric, type GatePolicy } from "./policy";
import type { GateCheck } from "./schemas";

/** One model's scores on the gate's rows (predictions, or positive-class probabilities). */
export interface Scored {
  task: ModelTask;
  yTrue: Float64Array;
  scores: Float64Array;
  threshold: number;
}

type Check<N extends GateCheck["name"]> = Extract<GateCheck, { name: N }>;
const finite = (v: number | null | undefined): number | null => (v !== null && v !== undefined && Number.isFinite(v) ? v : null);

/** The evaluation report's value of a metric on these rows (same definitions as the report). */
export function metricValue(s: Scored, metric: string): number | null {
  const all = s.task === "binary" ? binaryMetrics(s.yTrue, s.scores, s.threshold) : regressionMetrics(s.yTrue, s.scores);
  return finite((all as unknown as Record<string, { value: number | null }>)[metric]?.value);
}

/** Per-row values whose mean (or √mean, "rmse") is the metric: squared errors, absolute errors, 0/1 correctness, log loss. */
export function perRow(s: Scored, metric: string): { values: Float64Array; statistic: PairedStatistic } {
  if (metric === "rmse") {
    const v = absoluteErrors(s.yTrue, s.scores);
    for (let i = 0; i < v.length; i++) v[i] = v[i]! * v[i]!;
    return { values: v, statistic: "rmse" };
  }
  if (metric === "mae") return { values: absoluteErrors(s.yTrue, s.scores), statistic: "mean" };
  if (metric === "logLoss") return { values: rowLogLoss(s.yTrue, s.scores), statistic: "mean" };
  if (metric === "accuracy") return { values: Float64Array.from(s.yTrue, (y, i) => ((s.scores[i]! >= s.threshold ? 1 : 0) === y ? 1 : 0)), statistic: "mean" };
  throw new RangeError(`No per-row values for metric ${metric}`);
}

export function thresholdsCheck(policy: GatePolicy, challenger: Scored): Check<"thresholds"> {
  const items = (policy.checks.thresholds ?? []).map((t) => {
    const value = metricValue(challenger, t.metric);
    const passed = value !== null && (t.min === undefined || value >= t.min) && (t.max === undefined || value <= t.max);
    return { metric: t.metric, value, min: t.min ?? null, max: t.max ?? null, passed };
  });
  const failed = items.filter((i) => !i.passed);
  const summary = failed.length === 0 ? `${items.length} threshold(s) met` : failed.map((i) => `${i.metric} = ${i.value ?? "undefined"} outside [${i.min ?? "-∞"}, ${i.max ?? "∞"}]`).join("; ");
  return { name: "thresholds", status: failed.length === 0 ? "pass" : "fail", summary, skipped: null, evidence: { items } };
}

export function relativeCheck(policy: GatePolicy, challenger: Scored, champion: Scored | null): Check<"relative"> {
  if (!champion) return { name: "relative", status: "pass", summary: "skipped: no champion", skipped: "no champion", evidence: null };
  const items = (policy.checks.relative ?? []).map((r) => {
    const direction = directionOf(challenger.task, r.metric);
    const a = metricValue(challenger, r.metric);
    const b = metricValue(champion, r.metric);
    // "2% better" is relative to the champion's value on the same rows, in the metric's better direction.
    const required = b === null ? null : direction === "lower" ? b * (1 - r.better_by) : b * (1 + r.better_by);
    const passed = a !== null && required !== null && (direction === "lower" ? a <= required : a >= required);
    return { metric: r.metric, direction, challenger: a, champion: b, betterBy: r.better_by, required, passed };
  });
  const failed = items.filter((i) => !i.passed);
  const summary = failed.length === 0 ? `${items.length} relative improvement(s) met` : failed.map((i) => `${i.metric} ${i.challenger ?? "undefined"} vs required ${i.required ?? "undefined"}`).join("; ");
  return { name: "relative", status: failed.length === 0 ? "pass" : "fail", summary, skipped: null, evidence: { items } };
}

/** Champion/challenger on the same rows: paired CI of (challenger − champion), the matching paired test, Holm over the metrics. */
export function championCheck(policy: GatePolicy, challenger: Scored, champion: Scored | null): Check<"champion"> {
  if (!champion) return { name: "champion", status: "pass", summary: "skipped: no champion", skipped: "no champion", evidence: null };
  const c = policy.checks.champion!;
  const task = challenger.task;
  const metrics = championMetrics(task, policy).map((metric) => {
    const direction = directionOf(task, metric);
    let difference: number;
    let lower: number;
    let upper: number;
    let interval: "paired-bootstrap" | "delong";
    let tests: { name: string; statistic: number | null; pValue: number | null }[];
    if (metric === "rocAuc") {
      const d = delongTest(challenger.yTrue, champion.scores, challenger.scores);
      const half = normalQuantile((1 + c.confidence) / 2) * Math.sqrt(d.variance);
      difference = d.difference;
      lower = d.difference - half;
      upper = d.difference + half;
      interval = "delong";
      tests = [{ name: "DeLong", statistic: finite(d.z), pValue: finite(d.pValue) }];
    } else {
      const a = perRow(champion, metric);
      const b = perRow(challenger, metric);
      const ci = pairedBootstrap({ a: a.values, b: b.values, statistic: a.statistic, resamples: c.resamples, seed: c.seed, confidence: c.confidence });
      difference = ci.estimate;
      lower = ci.lower;
      upper = ci.upper;
      interval = "paired-bootstrap";
      if (metric === "accuracy") {
        const m = mcnemar(a.values, b.values);
        tests = [{ name: `McNemar (${m.method})`, statistic: finite(m.statistic), pValue: finite(m.pValue) }];
      } else {
        const t = pairedTTest(b.values, a.values);
        const w = wilcoxonSignedRank(b.values, a.values, { correction: true });
        tests = [
          { name: "paired t-test", statistic: finite(t.statistic), pValue: finite(t.pValue) },
          { name: `Wilcoxon signed-rank (${w.method})`, statistic: finite(w.statistic), pValue: finite(w.pValue) },
        ];
      }
    }
    const ci = { lower, upper };
    const decision = c.mode === "superiority" ? superiority(ci, direction, c.min_effect) : nonInferiority(ci, direction, c.margin ?? 0);
    return { metric, direction, challenger: metricValue(challenger, metric), champion: metricValue(champion, metric), difference: finite(difference), lower: finite(lower), upper: finite(upper), interval, tests, decision };
  });
  // Holm over the first test of each metric: several metrics gated at once keep the family-wise error at alpha.
  const holm = holmBonferroni(metrics.map((m) => m.tests[0]?.pValue ?? 1), c.alpha);
  const evidence = metrics.map((m, i) => {
    const significant = holm.rejected[i]!;
    // Superiority needs a significant difference too; non-inferiority is decided by the CI against the margin.
    const passed = m.decision.passed && (c.mode === "non_inferiority" || significant);
    return { ...m, decision: { ...m.decision, bound: finite(m.decision.bound), threshold: finite(m.decision.threshold) }, pAdjusted: finite(holm.adjusted[i]), significant, passed };
  });
  const failed = evidence.filter((m) => !m.passed);
  const summary = evidence
    .map((m) => `${m.metric}: Δ ${fmt(m.difference)} [${fmt(m.lower)}, ${fmt(m.upper)}], p(Holm) ${fmt(m.pAdjusted)} → ${m.passed ? "pass" : "fail"}`)
    .join("; ");
  return {
    name: "champion",
    status: failed.length === 0 ? "pass" : "fail",
    summary: `${c.mode}: ${summary}`,
    skipped: null,
    evidence: { mode: c.mode, confidence: c.confidence, resamples: c.resamples, seed: c.seed, alpha: c.alpha, minEffect: c.min_effect, margin: c.margin ?? null, metrics: evidence },
  };
}

/** Fairness of the challenger: per-group metric with bootstrap CIs; too-small groups make it "insufficient" (a fail). */
export function fairnessCheck(policy: GatePolicy, challenger: Scored, column: { name: string; values: readonly GroupValue[] } | null): Check<"fairness"> {
  const f = policy.checks.fairness!;
  if (!column) return { name: "fairness", status: "error", summary: `The scored rows have no column "${f.column}"`, skipped: null, evidence: null };
  const metric = fairnessMetric(challenger.task, policy);
  const { values, statistic } = perRow(challenger, metric);
  // The same groups as the evaluation report's fairness section: one per value, none pooled.
  const partition = partitionRows({ name: column.name, values: column.values, kind: "categorical", maxSlices: Infinity });
  const { groups, groupNames } = groupsFromPartition(partition, values.length);
  const r = groupGap({ values, groups, groupNames, statistic, limit: f.max_gap, minGroupSize: f.min_group_size, resamples: f.resamples, seed: f.seed, confidence: f.confidence });
  const small = r.groups.filter((g) => g.status === "too_small");
  const summary =
    r.outcome === "insufficient"
      ? `insufficient: ${small.length ? `group(s) ${small.map((g) => `${g.name} (${g.size} rows)`).join(", ")} below ${f.min_group_size} rows` : "fewer than two groups"}`
      : `${metric} gap ${fmt(r.gap?.estimate ?? null)}, ${Math.round(f.confidence * 100)}% CI upper ${fmt(r.gap?.upper ?? null)} ${r.outcome === "pass" ? "<" : "≥"} ${f.max_gap}`;
  return {
    name: "fairness",
    status: r.outcome === "pass" ? "pass" : "fail",
    summary,
    skipped: null,
    evidence: {
      column: f.column,
      metric,
      maxGap: f.max_gap,
      minGroupSize: f.min_group_size,
      confidence: f.confidence,
      outcome: r.outcome,
      gap: r.gap,
      groups: r.groups.map((g) => ({ ...g, estimate: finite(g.estimate) })),
    },
  };
}

const fmt = (v: number | null) => (v === null ? "n/a" : Math.abs(v) >= 1000 || (Math.abs(v) < 0.001 && v !== 0) ? v.toExponential(3) : v.toFixed(4));
