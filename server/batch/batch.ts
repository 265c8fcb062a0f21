/** Requesting and reading batch scorings (the job itself is in ./job.ts). */
import { db, type Prisma } from "../db";
import { AppError, notFound } from "../errors";
import { recordAudit, type Actor } from "../audit/audit";
import { assertUsableVersion } from "../datasets/versions";
import { encodingForModelVersion } from "../evaluation/encoding";
import { enqueue } from "../jobs/boss";
import { batchScore } from "../jobs/definitions";
import type { EncodingSpec } from "../ml/features";
import { readStored } from "../lib/stored-json";
import { getModelVersionRow } from "../registry/lookup";
import { ZBatchJobDto, ZBatchStatus, type BatchJobDto, type BatchScoreInput } from "./schemas";

type BatchRow = Prisma.BatchScoringModel;

export function toBatchJobDto(row: BatchRow): BatchJobDto {
  return ZBatchJobDto.parse({ ...row, status: readStored(ZBatchStatus, row.status, `status of batch scoring ${row.id}`) });
}

/** The column holding a binary model's positive-class probability, beside the predicted label. */
export const probabilityColumn = (predictionColumn: string) => `${predictionColumn}_probability`;

/** The spec a model version scores with, or BAD_REQUEST when it has none (external file without one). */
export async function specOfVersion(version: { encoding: unknown; sha256: string; number: number }, bytes?: Uint8Array): Promise<EncodingSpec> {
  const spec = await encodingForModelVersion(version, bytes);
  if (!spec) throw new AppError("BAD_REQUEST", `Model version ${version.number} has no encoding spec, so dataset rows cannot be encoded for it`);
  return spec;
}

/** Refuses a source that lacks a feature of the model, or whose columns the output would overwrite. */
export function checkColumns(spec: EncodingSpec, task: string, columns: readonly string[], predictionColumn: string): void {
  const have = new Set(columns);
  const missing = spec.features.filter((f) => !have.has(f.name)).map((f) => f.name);
  if (missing.length) throw new AppError("BAD_REQUEST", `The dataset version lacks the model's input column${missing.length > 1 ? "s" : ""} ${missing.map((m) => `"${m}"`).join(", ")}`);
  const written = task === "binary" ? [predictionColumn, probabilityColumn(predictionColumn)] : [predictionColumn];
  const taken = written.filter((c) => have.has(c));
  if (taken.length) throw new AppError("BAD_REQUEST", `The dataset version already has a column "${taken[0]}": choose another predictionColumn`);
}

/**
 * Queues a batch scoring of a dataset version with a model version: checks up front what the caller
 * can fix (unknown ids, missing columns, an unusable version), then writes the row, its job and the
 * audit event in one transaction.
 */
export async function requestBatchScoring(args: BatchScoreInput & { orgId: string; actor: Actor }): Promise<BatchJobDto> {
  const version = await getModelVersionRow(args.projectId, args.versionId);
  if (version.archivedAt) throw new AppError("PRECONDITION_FAILED", "The model version is archived");
  const source = await assertUsableVersion(args.projectId, args.datasetVersionId);
  checkColumns(await specOfVersion(version), version.task, source.columns, args.predictionColumn);
  const dataset = await db().dataset.findUniqueOrThrow({ where: { id: source.datasetId }, select: { slug: true } });
  const outputDataset = args.outputDataset ?? `${dataset.slug.slice(0, 41).replace(/-+$/, "")}-scored`;
  if (outputDataset === dataset.slug) throw new AppError("BAD_REQUEST", "outputDataset must differ from the scored dataset: scores go to a derived dataset");
  const row = await db().$transaction(async (tx) => {
    const created = await tx.batchScoring.create({
      data: {
        projectId: args.projectId,
        modelVersionId: version.id,
        sourceVersionId: source.id,
        outputDataset,
        options: { predictionColumn: args.predictionColumn, threshold: args.threshold },
        rowsTotal: source.rowCount,
        requestedBy: args.actor.label,
      },
    });
    await enqueue(batchScore, { jobId: created.id }, { tx });
    await recordAudit(tx, {
      orgId: args.orgId,
      projectId: args.projectId,
      actor: args.actor,
      action: "model.version.batch_score",
      target: { type: "model_version", id: version.id, label: `v${version.number}` },
      after: { batchScoringId: created.id, datasetVersionId: source.id, outputDataset },
    });
    return created;
  });
  return toBatchJobDto(row);
}

/** A model version's batch scorings, newest first. */
export async function listBatchJobs(args: { projectId: string; versionId: string; limit: number }): Promise<BatchJobDto[]> {
  await getModelVersionRow(args.projectId, args.versionId);
  const rows = await db().batchScoring.findMany({ where: { projectId: args.projectId, modelVersionId: args.versionId }, orderBy: { createdAt: "desc" }, take: args.limit });
  return rows.map(toBatchJobDto);
}

/** One batch scoring of the project; another project's is NOT_FOUND. */
export async function getBatchJob(args: { projectId: string; jobId: string; versionId?: string }): Promise<BatchJobDto> {
  const row = await db().batchScoring.findFirst({ where: { id: args.jobId, projectId: args.projectId, ...(args.versionId ? { modelVersionId: args.versionId } : {}) } });
  if (!row) throw notFound("Batch scoring");
  return toBatchJobDto(row);
}

const POLL_MS = 500;

/** Like getBatchJob; with `waitSeconds`, answers as soon as it is DONE or FAILED, else when the time is up. */
export async function waitForBatchJob(args: { projectId: string; jobId: string; versionId?: string; waitSeconds: number; signal?: AbortSignal }): Promise<BatchJobDto> {
  const deadline = Date.now() + args.waitSeconds * 1000;
  for (;;) {
    const job = await getBatchJob(args);
    if (job.status === "DONE" || job.status === "FAILED" || Date.now() >= deadline || args.signal?.aborted) return job;
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(0, deadline - Date.now()))));
  }
}
