/**
 * The verdict on a canary step: the candidate's figures against its limits and against the stable
 * version's. Pure (no I/O): the rollout job, the health procedure and the UI judge with this one rule.
 */
import { METRIC_DIRECTION } from "../gates/policy";
import type { ArmHealth, HealthCheck, HealthLimits } from "./schemas";

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const ms = (x: number) => `${x.toFixed(1)} ms`;
const num = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(1) : x.toPrecision(4));

/** Whether a larger value of the metric is better (the evaluation report's metric names of either task). */
export function metricHigherIsBetter(name: string): boolean | null {
  for (const task of Object.values(METRIC_DIRECTION)) {
    const direction = (task as Record<string, "lower" | "higher">)[name];
    if (direction) return direction === "higher";
  }
  return null;
}

/**
 * healthy: every judged limit holds; failing: one does not (the reasons say which); insufficient: the
 * candidate answered fewer than `minRequests`, so nothing is judged yet (a rate over a handful of
 * requests is noise; the step holds until there are enough). The p95 ratio is judged only when
 * the stable version answered `minRequests` too; the online metric only when both arms have
 * `minLabels` labelled rows (labels may arrive late: until then the metric does not hold a step).
 */
export function healthCheck(limits: HealthLimits, stable: ArmHealth, candidate: ArmHealth, at: { at: Date; windowStart: Date }): HealthCheck {
  const enough = candidate.requests >= limits.minRequests;
  const head = { at: at.at.toISOString(), windowStart: at.windowStart.toISOString(), stable, candidate };
  if (!enough) return { ...head, verdict: "insufficient", reasons: [`candidate requests ${candidate.requests} < ${limits.minRequests} needed`] };
  const failing: string[] = [];
  if (candidate.errorRate !== null && candidate.errorRate > limits.maxErrorRate) {
    failing.push(`error rate ${pct(candidate.errorRate)} > ${pct(limits.maxErrorRate)} (${candidate.errors} of ${candidate.requests} requests)`);
  }
  if (stable.requests >= limits.minRequests && candidate.p95Ms !== null && stable.p95Ms !== null && stable.p95Ms > 0) {
    const ratio = candidate.p95Ms / stable.p95Ms;
    if (ratio > limits.maxP95Ratio) failing.push(`p95 latency ${ms(candidate.p95Ms)} is ${ratio.toFixed(2)}× stable's ${ms(stable.p95Ms)} > ${limits.maxP95Ratio.toFixed(2)}×`);
  }
  const m = limits.metric;
  if (m && candidate.metric?.value != null && stable.metric?.value != null && candidate.metric.labels >= m.minLabels && stable.metric.labels >= m.minLabels) {
    const higher = metricHigherIsBetter(m.name) ?? false;
    const degradation = higher ? stable.metric.value - candidate.metric.value : candidate.metric.value - stable.metric.value;
    if (degradation > m.maxDegradation) {
      failing.push(`${m.name} ${num(candidate.metric.value)} vs stable ${num(stable.metric.value)}: ${num(degradation)} worse > ${num(m.maxDegradation)} allowed`);
    }
  }
  return { ...head, verdict: failing.length > 0 ? "failing" : "healthy", reasons: failing };
}
