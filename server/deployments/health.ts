/**
 * Deployment health as every reader sees it (rollout job, deployment.health, the Deployments tab):
 * request and error counts and latency percentiles summed over all serving processes' samples
 * (server/serving/health.ts), and the online metric from feedback labels joined to the prediction log.
 */
import { db, pool } from "../db";
import { binaryRobustnessMetric, regressionRobustnessMetric, type BinaryMetrics, type RegressionMetrics } from "../ml/metrics";
import { histogramQuantile } from "../ml/histogram-quantile";
import { metricsOf } from "../gates/policy";
import { encodeLabels, labelledPages, labelledPairs } from "./ab";
import { analysedVersion } from "./analysis";
import { HEALTH_LATENCY_BOUNDS_MS, HEALTH_WINDOW_SECONDS, windowStartOf } from "../serving/health";
import { AppError } from "../errors";
import { getDeployment } from "./deployments";
import { healthCheck } from "./health-check";
import type { ArmHealth, HealthCheck, HealthLimits, HealthSeriesDto } from "./schemas";

interface Cell {
  requests: number;
  errors: number;
  counts: number[];
}

/**
 * Samples of a deployment with windowStart in [from aligned down to a window, to), summed per version
 * and per `bucketSeconds` (null: one bucket for the whole range). Keys are `${versionId}\0${bucketStartMs}`.
 */
async function sumSamples(args: { deploymentId: string; versionId?: string; from: Date; to: Date; bucketSeconds: number | null }): Promise<Map<string, Cell>> {
  const bucket = args.bucketSeconds ?? 0;
  const params = [args.deploymentId, windowStartOf(args.from.getTime()), args.to.getTime(), args.versionId ?? null, bucket];
  // windowStart is UTC without a time zone: compared and read as epoch milliseconds, never as local time.
  const where = `"deploymentId" = $1 AND "windowStart" >= to_timestamp($2 / 1000.0) AT TIME ZONE 'UTC' AND "windowStart" < to_timestamp($3 / 1000.0) AT TIME ZONE 'UTC' AND ($4::text IS NULL OR "versionId" = $4)`;
  const t = `CASE WHEN $5::int = 0 THEN 0 ELSE (floor(extract(epoch FROM "windowStart") / $5::int) * $5::int * 1000)::bigint END`;
  const [totals, counts] = await Promise.all([
    pool().query<{ v: string; t: string; requests: number; errors: number }>(
      `SELECT "versionId" AS v, (${t})::text AS t, sum(requests)::int AS requests, sum(errors)::int AS errors FROM "ServingHealthSample" WHERE ${where} GROUP BY 1, 2`,
      params,
    ),
    pool().query<{ v: string; t: string; i: number; c: number }>(
      `SELECT s."versionId" AS v, (${t})::text AS t, u.i::int AS i, sum(u.c)::int AS c
       FROM "ServingHealthSample" s CROSS JOIN LATERAL unnest(s."latencyCounts") WITH ORDINALITY AS u(c, i) WHERE ${where} GROUP BY 1, 2, 3`,
      params,
    ),
  ]);
  const out = new Map<string, Cell>();
  for (const r of totals.rows) out.set(`${r.v}\0${Number(r.t)}`, { requests: r.requests, errors: r.errors, counts: new Array<number>(HEALTH_LATENCY_BOUNDS_MS.length + 1).fill(0) });
  for (const r of counts.rows) {
    const cell = out.get(`${r.v}\0${Number(r.t)}`);
    if (cell && r.i >= 1 && r.i <= cell.counts.length) cell.counts[r.i - 1] = r.c;
  }
  return out;
}

const quantile = (counts: number[], q: number) => histogramQuantile(HEALTH_LATENCY_BOUNDS_MS, counts, q);

type Task = "regression" | "binary";

/** Whether `name` is an online metric of the task (the evaluation report's names: rmse, mae, …, accuracy, rocAuc, …). */
export function checkOnlineMetric(task: Task, name: string): void {
  if (!metricsOf(task).includes(name)) throw new AppError("BAD_REQUEST", `"${name}" is not a ${task} metric; use one of ${metricsOf(task).join(", ")}`);
}

/** The online metric of a version's primary answers since `from`, over the rows whose feedback arrived (labels read as the A/B report reads them). */
async function onlineMetric(deploymentId: string, versionId: string, from: Date, name: string, until: Date | null): Promise<NonNullable<ArmHealth["metric"]>> {
  // The version's task and spec as the A/B report reads them (the spec from its file when the row has none).
  const { projectId } = await db().modelVersion.findUniqueOrThrow({ where: { id: versionId }, select: { projectId: true } });
  const { task, spec } = await analysedVersion(projectId, versionId);
  const y: number[] = [];
  const p: number[] = [];
  for await (const page of labelledPages(deploymentId, [versionId], from, until)) {
    const pairs = labelledPairs(page, versionId);
    const labels = encodeLabels(task, spec, pairs.labels);
    labels.forEach((label, i) => {
      if (Number.isFinite(label)) {
        y.push(label);
        p.push(pairs.outputs[i]!);
      }
    });
  }
  if (!metricsOf(task).includes(name) || y.length === 0) return { name, value: null, labels: y.length };
  const metric = task === "binary" ? binaryRobustnessMetric(name as keyof BinaryMetrics) : regressionRobustnessMetric(name as keyof RegressionMetrics);
  let value: number | null = null;
  try {
    value = metric.compute(Float64Array.from(y), Float64Array.from(p));
  } catch {
    value = null; // e.g. binary labels of one class only for rocAuc: not judged rather than a failed job
  }
  return { name, value, labels: y.length };
}

/**
 * One version's requests, server errors, error rate and p95 over [from, to), with the online metric when
 * one is asked for: over predictions since `from`, or in [from, to) with `labelsInWindow` (monitors
 * judge a closed window; the canary check reads every label of its step so far).
 */
export async function armHealth(args: { deploymentId: string; versionId: string; from: Date; to: Date; metric: HealthLimits["metric"]; labelsInWindow?: boolean }): Promise<ArmHealth> {
  const cells = await sumSamples({ ...args, bucketSeconds: null });
  const cell = cells.get(`${args.versionId}\0${0}`) ?? { requests: 0, errors: 0, counts: new Array<number>(HEALTH_LATENCY_BOUNDS_MS.length + 1).fill(0) };
  return {
    versionId: args.versionId,
    requests: cell.requests,
    errors: cell.errors,
    errorRate: cell.requests > 0 ? cell.errors / cell.requests : null,
    p95Ms: quantile(cell.counts, 0.95),
    metric: args.metric ? await onlineMetric(args.deploymentId, args.versionId, args.from, args.metric.name, args.labelsInWindow ? args.to : null) : null,
  };
}

/** How far back the stable version is read when it answered too little in the step (e.g. at 100 %). */
const STABLE_LOOKBACK_MS = 3600_000;

/**
 * The check of a canary step: the candidate over [from, now); the stable version over the same window,
 * or, when it answered fewer than minRequests there (the candidate takes all or most traffic), over
 * the hour before the window as well, so the p95 ratio still has a reference.
 */
export async function checkCanary(args: { deploymentId: string; stableVersionId: string; candidateVersionId: string; limits: HealthLimits; from: Date; now: Date }): Promise<HealthCheck> {
  const { deploymentId, limits, from, now } = args;
  const candidate = await armHealth({ deploymentId, versionId: args.candidateVersionId, from, to: now, metric: limits.metric });
  let stable = await armHealth({ deploymentId, versionId: args.stableVersionId, from, to: now, metric: limits.metric });
  if (stable.requests < limits.minRequests) {
    stable = await armHealth({ deploymentId, versionId: args.stableVersionId, from: new Date(from.getTime() - STABLE_LOOKBACK_MS), to: now, metric: limits.metric });
  }
  return healthCheck(limits, stable, candidate, { at: now, windowStart: from });
}

/** Chart buckets: a multiple of the sample window giving at most ~120 points over the range. */
const BUCKETS = [10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 21_600, 43_200, 86_400];
export const seriesBucketSeconds = (minutes: number) => BUCKETS.find((b) => (minutes * 60) / b <= 120) ?? 86_400;

/** Requests, errors, p50 and p95 per version and bucket over the last `minutes`, every bucket present (zero when idle). */
export async function healthSeries(args: { projectId: string; deploymentId: string; minutes: number; now?: Date }): Promise<HealthSeriesDto> {
  const deployment = await getDeployment(args);
  const bucketSeconds = Math.max(HEALTH_WINDOW_SECONDS, seriesBucketSeconds(args.minutes));
  const bucketMs = bucketSeconds * 1000;
  const now = args.now ?? new Date();
  const to = new Date(now.getTime() + 1); // the window now being counted is included
  const firstBucket = Math.floor((now.getTime() - args.minutes * 60_000) / bucketMs) * bucketMs;
  const cells = await sumSamples({ deploymentId: deployment.id, from: new Date(firstBucket), to, bucketSeconds });
  const ids = new Set([deployment.stableVersionId, ...(deployment.candidateVersionId ? [deployment.candidateVersionId] : []), ...[...cells.keys()].map((k) => k.split("\0")[0]!)]);
  const rows = await db().modelVersion.findMany({ where: { id: { in: [...ids] }, projectId: args.projectId }, select: { id: true, number: true } });
  const role = (id: string) => (id === deployment.stableVersionId ? "stable" : id === deployment.candidateVersionId ? "candidate" : "previous") as "stable" | "candidate" | "previous";
  const order = { stable: 0, candidate: 1, previous: 2 };
  const versions = rows.map((r) => ({ versionId: r.id, number: r.number, role: role(r.id) })).sort((a, b) => order[a.role] - order[b.role] || b.number - a.number);
  const points: HealthSeriesDto["points"] = [];
  for (let t = firstBucket; t <= now.getTime(); t += bucketMs) {
    for (const v of versions) {
      const c = cells.get(`${v.versionId}\0${t}`);
      points.push({ t: new Date(t).toISOString(), versionId: v.versionId, requests: c?.requests ?? 0, errors: c?.errors ?? 0, p50Ms: c ? quantile(c.counts, 0.5) : null, p95Ms: c ? quantile(c.counts, 0.95) : null });
    }
  }
  return { deploymentId: deployment.id, bucketSeconds, from: new Date(firstBucket).toISOString(), to: now.toISOString(), versions, points };
}
