import { z } from "zod";
import { db, type Prisma, type Tx } from "../db";
import { AppError, notFound } from "../errors";
import { recordAudit, type Actor } from "../audit/audit";
import { assertUsableVersion } from "../datasets/versions";
import { enqueue } from "../jobs/boss";
import { evaluate } from "../jobs/definitions";
import { readStored } from "../lib/stored-json";
import { ZTrainingSpec } from "../training/schemas";
import { ZStoredEvaluationReport, type EvaluationDto, type EvaluationSummaryDto } from "./schemas";

export type EvaluationOptions = { sliceColumn: string | null; sensitiveColumn: string | null; threshold: number; allowFailedValidation?: boolean };

type Row = Prisma.EvaluationReportGetPayload<{ include: { run: { select: { id: true } } } }> & { version?: { number: number; dataset: { slug: string } } | null };

async function labels(rows: { versionId: string }[]) {
  const versions = await db().datasetVersion.findMany({ where: { id: { in: rows.map((r) => r.versionId) } }, include: { dataset: { select: { slug: true } } } });
  return new Map(versions.map((v) => [v.id, `${v.dataset.slug} v${v.number}`]));
}

// Only the override flag is read for a summary; the job parses the full options.
const ZStoredOverride = z.object({ options: z.object({ allowFailedValidation: z.boolean().optional() }) }).catch({ options: {} });
// The headline numbers of a finished report, for side-by-side comparison; the report page reads the whole report.
const ZStoredHeadline = z
  .object({ metrics: z.record(z.string(), z.object({ value: z.unknown() }).passthrough()) })
  .catch({ metrics: {} });

const summary = (r: Row, label: string, trainedOn: string | null): EvaluationSummaryDto => ({
  id: r.id,
  runId: r.runId,
  versionId: r.versionId,
  versionLabel: label,
  split: r.split,
  status: r.status,
  error: r.error,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  allowFailedValidation: ZStoredOverride.parse(r.report).options.allowFailedValidation === true,
  onTrainingData: trainedOn === r.versionId,
  headline: r.status === "DONE" ? Object.fromEntries(Object.entries(ZStoredHeadline.parse(r.report).metrics).map(([k, m]) => [k, typeof m.value === "number" ? m.value : null])) : {},
});

/** The dataset version a training run learned from (null for runs logged by a client). */
function trainedOnOf(spec: unknown): string | null {
  const parsed = ZTrainingSpec.safeParse(spec);
  return parsed.success ? parsed.data.datasetVersionId : null;
}

async function trainedOn(runId: string): Promise<string | null> {
  return trainedOnOf((await db().run.findUnique({ where: { id: runId }, select: { spec: true } }))?.spec);
}

export async function listEvaluations(projectId: string, runId: string): Promise<EvaluationSummaryDto[]> {
  const run = await db().run.findFirst({ where: { id: runId, projectId }, select: { id: true } });
  if (!run) throw notFound("Run");
  const rows = await db().evaluationReport.findMany({ where: { runId, projectId }, include: { run: { select: { id: true } } }, orderBy: { createdAt: "desc" } });
  const [names, trained] = await Promise.all([labels(rows), trainedOn(runId)]);
  return rows.map((r) => summary(r, names.get(r.versionId) ?? r.versionId, trained));
}

export async function getEvaluation(projectId: string, reportId: string): Promise<EvaluationDto> {
  const r = await db().evaluationReport.findFirst({ where: { id: reportId, projectId }, include: { run: { select: { id: true } } } });
  if (!r) throw notFound("Evaluation report");
  const [names, trained] = await Promise.all([labels([r]), trainedOn(r.runId)]);
  const report = r.status === "DONE" ? readStored(ZStoredEvaluationReport, r.report, `evaluation report ${r.id}`) : null;
  return { ...summary(r, names.get(r.versionId) ?? r.versionId, trained), report };
}

/**
 * Queues an evaluation of a finished run's model; the same (version, split) again re-runs it. A version
 * that failed its data contract is refused as training refuses it, unless `allowFailedValidation`,
 * which is recorded on the report and audited.
 */
export async function requestEvaluation(args: {
  projectId: string;
  orgId: string;
  actor: Actor;
  runId: string;
  versionId: string;
  split: string;
  sliceColumn?: string;
  sensitiveColumn?: string;
  threshold: number;
  allowFailedValidation?: boolean;
}): Promise<EvaluationSummaryDto> {
  const run = await db().run.findFirst({ where: { id: args.runId, projectId: args.projectId } });
  if (!run) throw notFound("Run");
  const version = await assertUsableVersion(args.projectId, args.versionId, { allowFailedValidation: args.allowFailedValidation });
  const model = await db().runArtifact.findFirst({ where: { runId: run.id, path: "model.onnx" } });
  if (!model) throw new AppError("PRECONDITION_FAILED", "The run has no model.onnx artifact");
  const options: EvaluationOptions = { sliceColumn: args.sliceColumn ?? null, sensitiveColumn: args.sensitiveColumn ?? null, threshold: args.threshold, ...(args.allowFailedValidation ? { allowFailedValidation: true } : {}) };
  return db().$transaction(async (tx) => {
    const row = await queueEvaluation(tx, { projectId: args.projectId, runId: run.id, versionId: version.id, split: args.split, options });
    await recordAudit(tx, {
      orgId: args.orgId,
      projectId: args.projectId,
      actor: args.actor,
      action: "run.evaluate",
      target: { type: "run", id: run.id, label: run.name },
      after: { reportId: row.id, versionId: version.id, split: args.split, ...(args.allowFailedValidation ? { allowFailedValidation: true, validation: version.validation } : {}) },
    });
    return summary(row, `v${version.number}`, trainedOnOf(run.spec));
  });
}

/** Creates (or resets to PENDING) the report of (run, version, split) and enqueues its job in the caller's transaction. */
export async function queueEvaluation(tx: Tx, args: { projectId: string; runId: string; versionId: string; split: string; options: EvaluationOptions }) {
  const report = { options: args.options };
  const row = await tx.evaluationReport.upsert({
    where: { runId_versionId_split: { runId: args.runId, versionId: args.versionId, split: args.split } },
    create: { projectId: args.projectId, runId: args.runId, versionId: args.versionId, split: args.split, report },
    update: { status: "PENDING", error: null, report },
    include: { run: { select: { id: true } } },
  });
  await enqueue(evaluate, { reportId: row.id }, { tx });
  return row;
}
