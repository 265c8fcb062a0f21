/**
 * Request bodies and query strings of the MLflow endpoints, as MLflow's clients send them: protobuf
 * JSON, where int64 fields (timestamps, steps, max_results) may come as strings ("1700000000000"),
 * and GET parameters always do. Field limits are Cairn's own (server/runs/schemas.ts).
 */
import { z } from "zod";
import { ZId } from "../lib/ids";
import { ZKey as ZRunKey, ZMetricValue } from "../runs/schemas";

/** An int64 as protobuf JSON writes it: a number or a string of digits. */
export const ZInt64 = z.union([z.number().int(), z.string().trim().regex(/^-?\d+$/, "must be an integer")]).transform(Number).pipe(z.number().int().min(0).max(8.64e15));

/** MLflow sends `run_id` and, for older servers, `run_uuid` with the same value; either is enough. */
const ZRunRef = z
  .object({ run_id: ZId.optional(), run_uuid: ZId.optional() })
  .refine((r) => r.run_id !== undefined || r.run_uuid !== undefined, { message: "run_id is required", path: ["run_id"] })
  .refine((r) => r.run_id === undefined || r.run_uuid === undefined || r.run_id === r.run_uuid, { message: "run_id and run_uuid differ", path: ["run_uuid"] })
  .transform((r) => ({ runId: (r.run_id ?? r.run_uuid)! }));

/** A body with a run reference and more fields: the fields parsed by `shape`, the run id as `runId`. */
export function withRun<S extends z.ZodRawShape>(shape: S) {
  return z.intersection(ZRunRef, z.object(shape));
}

/** Metric, param and tag keys: Cairn's own rule (1 to 250 characters, no control characters). */
export const ZKey = ZRunKey;
export const ZKeyValue = z.object({ key: ZKey, value: z.string().max(6000, "value must be at most 6000 characters") });
export const ZTagList = z.array(z.object({ key: ZKey, value: z.string().max(5000, "tag values are at most 5000 characters") })).max(500);

export const ZMetric = z.object({
  key: ZKey,
  value: ZMetricValue,
  timestamp: ZInt64.optional(),
  step: ZInt64.default(0),
});

export const ZExperimentId = z.string().trim().min(1, "experiment_id is required").max(64);
export const ZExperimentName = z.string().trim().min(1, "name is required").max(200, "experiment names are at most 200 characters");

export const ZCreateExperiment = z.object({ name: ZExperimentName, artifact_location: z.string().max(1000).optional(), tags: ZTagList.optional() });
export const ZGetExperiment = z.object({ experiment_id: ZExperimentId });
export const ZGetExperimentByName = z.object({ experiment_name: ZExperimentName });

export const ZViewType = z.enum(["ACTIVE_ONLY", "DELETED_ONLY", "ALL"]).default("ACTIVE_ONLY");
const ZPageToken = z.string().max(200).optional();
/**
 * A page size: MLflow's clients ask for large pages (mlflow.search_runs asks 10,000 runs a call) and
 * page on with next_page_token, so a size above what the server answers at once is served in
 * smaller pages, never refused.
 */
const pageSize = (max: number, dflt: number) => ZInt64.pipe(z.number().min(1, "max_results must be at least 1")).transform((n) => Math.min(n, max)).default(dflt);

/** `order_by` arrives as a JSON array, or (GET) as one string or a repeated parameter. */
const ZOrderBy = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((o) => (o === undefined ? [] : Array.isArray(o) ? o : [o]))
  .pipe(z.array(z.string().max(300)).max(5));

export const ZSearchExperiments = z.object({
  max_results: pageSize(50_000, 1000),
  page_token: ZPageToken,
  filter: z.string().max(2000).optional(),
  order_by: ZOrderBy,
  view_type: ZViewType,
});

export const ZCreateRun = z.object({
  experiment_id: ZExperimentId.optional(),
  user_id: z.string().max(200).optional(),
  run_name: z.string().max(200).optional(),
  start_time: ZInt64.optional(),
  tags: ZTagList.optional(),
});
export const ZGetRun = withRun({});
export const ZUpdateRun = withRun({
  status: z.enum(["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"]).optional(),
  end_time: ZInt64.optional(),
  run_name: z.string().max(200).optional(),
});
export const ZDeleteRun = withRun({});

export const ZSearchRuns = z.object({
  experiment_ids: z.union([z.string(), z.array(z.string())]).optional().transform((e) => (e === undefined ? [] : Array.isArray(e) ? e : [e])).pipe(z.array(ZExperimentId).max(50, "at most 50 experiment_ids")),
  filter: z.string().max(2000).optional(),
  run_view_type: ZViewType,
  /** Cairn's runs list answers at most 5000 runs a call. */
  max_results: pageSize(5000, 1000),
  order_by: ZOrderBy,
  page_token: ZPageToken,
});

export const ZLogMetric = withRun({ key: ZKey, value: ZMetricValue, timestamp: ZInt64.optional(), step: ZInt64.default(0) });
export const ZLogParam = withRun({ key: ZKey, value: z.string().max(6000, "param values are at most 6000 characters") });
export const ZSetTag = withRun({ key: ZKey, value: z.string().max(5000, "tag values are at most 5000 characters") });
export const ZDeleteTag = withRun({ key: ZKey });

/** MLflow's own log-batch limits: 1000 items in all, at most 1000 metrics, 100 params and 100 tags. */
export const ZLogBatch = withRun({
  metrics: z.array(ZMetric).max(1000, "at most 1000 metrics per batch").default([]),
  params: z.array(ZKeyValue).max(100, "at most 100 params per batch").default([]),
  tags: z.array(ZKeyValue).max(100, "at most 100 tags per batch").default([]),
}).refine((b) => b.metrics.length + b.params.length + b.tags.length <= 1000, { message: "at most 1000 metrics, params and tags in all per batch" });

export const ZGetHistory = withRun({ metric_key: ZKey, max_results: pageSize(25_000, 25_000), page_token: ZPageToken });

export const ZListArtifacts = withRun({ path: z.string().max(500).optional(), page_token: ZPageToken });

// ---------------------------------------------------------------- registry

export const ZRegisteredModelName = z.string().trim().min(1, "name is required").max(80);
export const ZCreateRegisteredModel = z.object({ name: ZRegisteredModelName, description: z.string().max(5000).optional(), tags: ZTagList.optional() });
export const ZGetRegisteredModel = z.object({ name: ZRegisteredModelName });
export const ZLatestVersions = z.object({
  name: ZRegisteredModelName,
  stages: z.union([z.string(), z.array(z.string().max(40))]).optional().transform((s) => (s === undefined ? [] : Array.isArray(s) ? s : [s])).pipe(z.array(z.string()).max(10)),
});
export const ZSearchRegistry = z.object({
  filter: z.string().max(2000).optional(),
  max_results: pageSize(1000, 100),
  order_by: ZOrderBy,
  page_token: ZPageToken,
});
export const ZVersionString = z.union([z.string(), z.number()]).transform(String).pipe(z.string().regex(/^[1-9]\d{0,9}$/, "version must be a positive integer"));
export const ZCreateModelVersion = z.object({
  name: ZRegisteredModelName,
  source: z.string().trim().min(1, "source is required").max(1000),
  run_id: ZId.optional(),
  description: z.string().max(5000).optional(),
  tags: ZTagList.optional(),
  run_link: z.string().max(1000).optional(),
});
export const ZGetModelVersion = z.object({ name: ZRegisteredModelName, version: ZVersionString });
export const ZSetAlias = z.object({ name: ZRegisteredModelName, alias: z.string().min(1).max(256), version: ZVersionString });
export const ZAliasRef = z.object({ name: ZRegisteredModelName, alias: z.string().min(1).max(256) });
