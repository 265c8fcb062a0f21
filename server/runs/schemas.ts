import { z } from "zod";
import { ZId } from "../lib/ids";

export const RUN_STATUSES = ["QUEUED", "RUNNING", "FINISHED", "FAILED", "KILLED"] as const;
export const ZRunStatus = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof ZRunStatus>;

/** Whether larger is better for a metric, guessed from its name (losses and errors go down). */
export function goalOf(key: string): "min" | "max" {
  return /loss|err|rmse|mse|mae|mape|perplexity|latency|time|cost/i.test(key) ? "min" : "max";
}

/** Evaluation metrics that usually rank models, most telling first; used when a project names no primary metric. */
export const RANKING_METRICS = ["test/rmse", "test/rocAuc", "test/mae", "test/r2", "test/accuracy", "test/f1", "test/logLoss", "test/prAuc"] as const;

/** The project's primary metric, else the first ranking metric among `keys` (the metric keys runs have). */
export function rankingMetricOf(keys: Iterable<string>, primary: string | null): string | null {
  if (primary) return primary;
  const present = new Set(keys);
  return RANKING_METRICS.find((k) => present.has(k)) ?? null;
}

/** Longest metric, param or tag key; odd characters (spaces, slashes, unicode) are fine. */
export const MAX_KEY_LENGTH = 250;
export const MAX_BATCH_POINTS = 10_000;

export const ZKey = z
  .string()
  .min(1, "keys must not be empty")
  .max(MAX_KEY_LENGTH, `keys must be at most ${MAX_KEY_LENGTH} characters`)
  .refine((k) => !/[\u0000-\u001f]/.test(k), "keys must not contain control characters");

/** Any float, NaN and ±Infinity included (zod's number() refuses them); superjson carries them over tRPC. */
export const ZFloat = z.custom<number>((v) => typeof v === "number", "must be a number");

/** JSON has no NaN or infinities: plain-JSON clients may send them as strings. */
export const ZMetricValue = z.union([ZFloat, z.enum(["NaN", "Infinity", "-Infinity", "+Infinity", "inf", "-inf", "nan"])]).transform((v) => {
  if (typeof v === "number") return v;
  if (v.toLowerCase() === "nan") return NaN;
  return v.startsWith("-") ? -Infinity : Infinity;
});

export const ZMetricPoint = z.object({
  key: ZKey,
  step: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  value: ZMetricValue,
  /** Epoch milliseconds; the server's clock when omitted. */
  timestamp: z.number().int().min(0).max(8.64e15).optional(),
});
export type MetricPointInput = z.output<typeof ZMetricPoint>;

export const ZParamValue = z.union([z.string().max(6000), z.number(), z.boolean(), z.null()]);

/** Nested objects are flattened to dotted keys ({optimizer: {lr: 0.1}} → "optimizer.lr"). */
export const ZParams = z.record(ZKey, z.unknown()).refine((p) => Object.keys(p).length <= 2000, "at most 2000 params per call");
export const ZTags = z.record(ZKey, z.string().max(5000)).refine((t) => Object.keys(t).length <= 500, "at most 500 tags per call");

export const ZCode = z.object({
  repo: z.string().max(500).optional(),
  commit: z.string().max(100).optional(),
  dirty: z.boolean().optional(),
});

export const ZEnvironment = z.record(z.string().max(200), z.unknown()).refine((e) => JSON.stringify(e).length <= 64_000, "environment is too large (64 kB max)");

const ZRunRef = z.object({ projectId: ZId, runId: ZId });

export const ZCreateRunInput = z.object({
  projectId: ZId,
  experiment: z.string().trim().min(1).max(200).default("Default"),
  name: z.string().trim().min(1).max(200).optional(),
  status: z.enum(["QUEUED", "RUNNING"]).default("RUNNING"),
  params: ZParams.optional(),
  tags: ZTags.optional(),
  note: z.string().max(20_000).optional(),
  code: ZCode.optional(),
  environment: ZEnvironment.optional(),
  /** Dataset versions the run reads (lineage: run trained_on version). */
  inputs: z.array(ZId).max(50).optional(),
});
export type CreateRunInput = z.infer<typeof ZCreateRunInput>;

export const ZLogParamsInput = ZRunRef.extend({ params: ZParams });
export const ZSetTagsInput = ZRunRef.extend({
  /** Tags to add or change; the run's other tags stay. */
  tags: ZTags.default({}),
  /** Tag keys to remove (unknown keys are ignored). */
  removeTags: z.array(ZKey).max(500, "at most 500 tags per call").default([]),
  note: z.string().max(20_000).optional(),
}).refine((input) => !input.removeTags.some((k) => k in input.tags), { message: "a tag cannot be both set and removed in one call", path: ["removeTags"] });
export const ZLogMetricsInput = ZRunRef.extend({
  /** Client-chosen id of this batch: a retry with the same id is stored once. */
  batchId: z.string().min(1).max(100).optional(),
  points: z.array(ZMetricPoint).min(1).max(MAX_BATCH_POINTS, `a batch holds at most ${MAX_BATCH_POINTS} points; split it`),
});
export const ZFinishRunInput = ZRunRef.extend({ status: z.enum(["FINISHED", "FAILED", "KILLED"]).default("FINISHED") });
export const ZGetRunInput = ZRunRef;

export const ZListRunsInput = z.object({
  projectId: ZId,
  experimentId: ZId.optional(),
  /** e.g. `metrics.rmse < 4 and params.model = "gbdt"` (see server/runs/filter.ts). */
  filter: z.string().max(2000).optional(),
  sort: z.object({ by: z.string().min(1).max(300), dir: z.enum(["asc", "desc"]).default("desc") }).optional(),
  limit: z.number().int().min(1).max(5000).default(1000),
  offset: z.number().int().min(0).default(0),
  /** Archived runs are left out unless asked for. */
  includeArchived: z.boolean().default(false),
});
export const ZArchiveRunInput = ZRunRef.extend({ archived: z.boolean().default(true) });
export const ZDeleteRunInput = ZRunRef;
export const ZDeleteExperimentInput = z.object({ projectId: ZId, experimentId: ZId });

export const ZCompareInput = z.object({
  projectId: ZId,
  runIds: z.array(ZId).min(1).max(50),
  keys: z.array(ZKey).max(50).optional(),
  xAxis: z.enum(["step", "time"]).default("step"),
  /** Points per series the chart can show (its width in pixels is a good value). */
  points: z.number().int().min(10).max(5000).default(1000),
  stepRange: z.tuple([z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)]).optional(),
});

export const ZSeriesInput = z.object({ projectId: ZId, runId: ZId, key: ZKey, points: z.number().int().min(10).max(5000).default(1000) });

// ---------------------------------------------------------------- DTOs


export const ZMetricSummary = z.object({
  key: z.string(),
  count: z.number(),
  last: ZFloat.nullable(),
  lastStep: z.number().nullable(),
  min: ZFloat.nullable(),
  max: ZFloat.nullable(),
});

/** Run.params as stored: flattened dotted keys, values keeping their JSON types. */
export const ZStoredParams = z.record(z.string(), z.unknown());
/** Run.tags as stored. */
export const ZStoredTags = z.record(z.string(), z.string());
/** Run.environment as stored: host, runtime, package versions, GPUs. */
export const ZStoredEnvironment = z.record(z.string(), z.unknown());

export const ZRunDto = z.object({
  id: z.string(),
  projectId: z.string(),
  experimentId: z.string(),
  experiment: z.string(),
  number: z.number(),
  name: z.string(),
  status: ZRunStatus,
  params: ZStoredParams,
  tags: ZStoredTags,
  note: z.string(),
  code: z.object({ repo: z.string().nullable(), commit: z.string().nullable(), dirty: z.boolean().nullable() }),
  environment: ZStoredEnvironment.nullable(),
  createdBy: z.string(),
  createdAt: z.date(),
  startedAt: z.date().nullable(),
  endedAt: z.date().nullable(),
  archivedAt: z.date().nullable(),
  metrics: z.array(ZMetricSummary),
});
export type RunDto = z.infer<typeof ZRunDto>;

export const ZRunDetailDto = ZRunDto.extend({
  inputs: z.array(z.object({ versionId: z.string(), datasetId: z.string(), datasetSlug: z.string(), number: z.number() })),
  artifacts: z.array(z.object({ path: z.string(), sizeBytes: z.number(), contentType: z.string(), createdAt: z.date() })),
});

export const ZExperimentDto = z.object({ id: z.string(), name: z.string(), description: z.string(), runCount: z.number(), lastRunAt: z.date().nullable() });

export const ZSeriesPoint = z.object({ step: z.number(), value: ZFloat, ts: z.number() });

export const ZCompareDto = z.object({
  runs: z.array(ZRunDto),
  series: z.array(z.object({ runId: z.string(), key: z.string(), points: z.array(ZSeriesPoint), total: z.number(), sampled: z.boolean() })),
  params: z.array(z.object({ key: z.string(), values: z.record(z.string(), z.unknown()), differs: z.boolean() })),
  best: z.array(z.object({ key: z.string(), goal: z.enum(["min", "max"]), best: z.object({ runId: z.string(), value: ZFloat }).nullable() })),
  /** What each run learned from: its input dataset versions and its target (the `target` param). */
  data: z.array(
    z.object({
      runId: z.string(),
      inputs: z.array(z.object({ versionId: z.string(), datasetSlug: z.string(), datasetName: z.string(), number: z.number() })),
      target: z.string().nullable(),
    }),
  ),
  /** Why a "best" across these runs may mislead: they used different data or predict different targets. */
  warnings: z.array(z.string()),
});
