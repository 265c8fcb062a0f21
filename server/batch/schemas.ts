/** Contracts of batch scoring: a model version scores a dataset version into a new derived version. */
import { z } from "zod";
import { ZId, ZSlug } from "../lib/ids";

export const BATCH_STATUSES = ["PENDING", "RUNNING", "DONE", "FAILED"] as const;
export const ZBatchStatus = z.enum(BATCH_STATUSES);

const ZColumn = z.string().trim().min(1).max(256);

/** What to score and where to write it; shared by tRPC and the REST body. */
const BATCH_OPTIONS = {
  /** Slug of the dataset the derived version goes to (created on first use); `<source>-scored` by default. */
  outputDataset: ZSlug.optional(),
  /** Name of the prediction column; it must not already be a column of the source. */
  predictionColumn: ZColumn.default("prediction"),
  /** Binary models: the probability from which a row is predicted as the positive class. */
  threshold: z.number().min(0).max(1).default(0.5),
};

export const ZBatchScoreInput = z.object({ projectId: ZId, versionId: ZId, datasetVersionId: ZId, ...BATCH_OPTIONS });
export type BatchScoreInput = z.infer<typeof ZBatchScoreInput>;

/** REST body of POST .../versions/{n}/batch. */
export const ZRestBatchBody = z.object({ datasetVersionId: ZId, ...BATCH_OPTIONS }).strict();

export const ZBatchJobsInput = z.object({ projectId: ZId, versionId: ZId, limit: z.number().int().min(1).max(200).default(50) });
export const ZBatchJobInput = z.object({ projectId: ZId, jobId: ZId });

/** Kept in the job row's options: how the job writes its output. */
export const ZBatchOptions = z.object({ predictionColumn: ZColumn, threshold: z.number().min(0).max(1) });

export const ZBatchJobDto = z.object({
  id: z.string(),
  projectId: z.string(),
  modelVersionId: z.string(),
  sourceVersionId: z.string(),
  outputDataset: z.string(),
  status: ZBatchStatus,
  rowsTotal: z.number().int().nullable(),
  rowsScored: z.number().int(),
  outputVersionId: z.string().nullable(),
  error: z.string().nullable(),
  requestedBy: z.string(),
  createdAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
});
export type BatchJobDto = z.infer<typeof ZBatchJobDto>;
