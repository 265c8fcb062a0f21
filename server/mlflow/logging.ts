/**
 * MLflow's logging calls on Cairn's ingest: params write-once (logParams), tags (setTags), metric
 * points through the one metric ingest with a batch id derived from the points themselves, so a
 * request retried after a lost answer is stored once.
 */
import { createHash } from "node:crypto";
import { pool } from "../db";
import { AppError, notFound } from "../errors";
import { logMetrics } from "../runs/ingest";
import { logParams, runsByIds, setTags } from "../runs/runs";
import type { MetricPointInput } from "../runs/schemas";
import { mlflowNumber, RUN_NAME_TAG } from "./dto";
import { pageOffset, pageToken } from "./filter";
import { renameRun } from "./runs";

interface RunScope {
  projectId: string;
  runId: string;
}

/**
 * The batch id of a set of points: their content. MLflow itself stores a (key, value, timestamp,
 * step) point once however often it is logged, so two requests with the same points are one batch
 * in MLflow's terms as well as a retry in Cairn's. Points without a timestamp hash without one (the
 * server's clock fills it in) so that their retries match too.
 */
export function metricBatchId(points: MetricPointInput[]): string {
  const canonical = JSON.stringify(points.map((p) => [p.key, String(p.value), p.step, p.timestamp ?? null]));
  return `mlflow:${createHash("sha256").update(canonical).digest("hex")}`;
}

async function logPoints(scope: RunScope, points: MetricPointInput[]) {
  if (points.length === 0) return;
  await logMetrics({ projectId: scope.projectId, runId: scope.runId, batchId: metricBatchId(points), points });
}

export async function logMlflowMetric(scope: RunScope & { point: MetricPointInput }) {
  await logPoints(scope, [scope.point]);
  return {};
}

/** Params are write-once in MLflow as in Cairn: the same value again is fine, another is INVALID_PARAMETER_VALUE. */
export async function logMlflowParams(scope: RunScope & { params: { key: string; value: string }[] }) {
  const byKey = new Map<string, string>();
  for (const p of scope.params) {
    if (byKey.has(p.key) && byKey.get(p.key) !== p.value) throw new AppError("BAD_REQUEST", `Param "${p.key}" is given twice with different values in one request`);
    byKey.set(p.key, p.value);
  }
  if (byKey.size > 0) await logParams({ projectId: scope.projectId, runId: scope.runId, params: Object.fromEntries(byKey) });
  return {};
}

/** Tags may change; mlflow.runName is the run's name, the last value given wins (as in MLflow). */
export async function setMlflowTags(scope: RunScope & { tags: { key: string; value: string }[] }) {
  const tags = Object.fromEntries(scope.tags.map((t) => [t.key, t.value]));
  const name = tags[RUN_NAME_TAG];
  delete tags[RUN_NAME_TAG];
  if (name !== undefined) await renameRun(scope.projectId, scope.runId, name);
  if (Object.keys(tags).length > 0 || name === undefined) await setTags({ projectId: scope.projectId, runId: scope.runId, tags });
  return {};
}

export async function deleteMlflowTag(scope: RunScope & { key: string }) {
  const [run] = await runsByIds(scope.projectId, [scope.runId]);
  if (!(scope.key in run!.tags)) throw notFound(`Tag '${scope.key}' of run ${scope.runId}`);
  await setTags({ projectId: scope.projectId, runId: scope.runId, tags: {}, removeTags: [scope.key] });
  return {};
}

/** log-batch: params first (a changed param refuses the batch before anything is written), then tags, then metrics. */
export async function logMlflowBatch(scope: RunScope & { metrics: MetricPointInput[]; params: { key: string; value: string }[]; tags: { key: string; value: string }[] }) {
  // The run is checked first so that an empty batch for a run that is not there is still an error.
  await runsByIds(scope.projectId, [scope.runId]);
  await logMlflowParams(scope);
  if (scope.tags.length) await setMlflowTags(scope);
  await logPoints(scope, scope.metrics);
  return {};
}

/** Every point of one metric of a run, in step order then logging order, a page at a time. */
export async function metricHistory(scope: RunScope & { key: string; maxResults: number; pageToken?: string }) {
  await runsByIds(scope.projectId, [scope.runId]);
  const offset = pageOffset(scope.pageToken);
  const { rows } = await pool().query<{ step: string; value: number; ms: number }>(
    `SELECT p.step, p.value, (extract(epoch FROM p.ts) * 1000)::float8 AS ms
     FROM "MetricPoint" p JOIN "MetricSeries" s ON s.id = p."seriesId"
     WHERE s."runId" = $1 AND s.key = $2
     ORDER BY p.step, p.seq LIMIT $3 OFFSET $4`,
    [scope.runId, scope.key, scope.maxResults + 1, offset],
  );
  const page = rows.slice(0, scope.maxResults);
  return {
    metrics: page.map((r) => ({ key: scope.key, value: mlflowNumber(Number(r.value)), timestamp: Math.round(r.ms), step: Number(r.step) })),
    ...(rows.length > scope.maxResults ? { next_page_token: pageToken(offset + page.length) } : {}),
  };
}
