import { db, type Prisma, type Tx } from "../db";
import { AppError, notFound } from "../errors";
import { enqueue } from "../jobs/boss";
import { evaluate } from "../jobs/definitions";
import { readStored } from "../lib/stored-json";
import { ZStoredEvaluationReport, type EvaluationDto } from "./schemas";

export type EvaluationOptions = { sliceColumn: string | null; sensitiveColumn: string | null; threshold: number };

type Row = Prisma.EvaluationReportGetPayload<{ include: { run: { select: { id: true } } } }> & { version?: { number: number; dataset: { slug: string } } | null };

async function labels(rows: { versionId: string }[]) {
  const versions = await db().datasetVersion.findMany({ where: { id: { in: rows.map((r) => r.versionId) } }, include: { dataset: { select: { slug: true } } } });
  return new Map(versions.map((v) => [v.id, `${v.dataset.slug} v${v.number}`]));
}

const summary = (r: Row, label: string) => ({
  id: r.id,
  runId: r.runId,
  versionId: r.versionId,
  versionLabel: label,
  split: r.split,
  status: r.status,
  error: r.error,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

export async function listEvaluations(projectId: string, runId: string) {
  const run = await db().run.findFirst({ where: { id: runId, projectId }, select: { id: true } });
  if (!run) throw notFound("Run");
  const rows = await db().evaluationReport.findMany({ where: { runId, projectId }, include: { run: { select: { id: true } } }, orderBy: { createdAt: "desc" } });
  const names = await labels(rows);
  return rows.map((r) => summary(r, names.get(r.versionId) ?? r.versionId));
}

export async function getEvaluation(projectId: string, reportId: string): Promise<EvaluationDto> {
  const r = await db().evaluationReport.findFirst({ where: { id: reportId, projectId }, include: { run: { select: { id: true } } } });
  if (!r) throw notFound("Evaluation report");
  const names = await labels([r]);
  const report = r.status === "DONE" ? readStored(ZStoredEvaluationReport, r.report, `evaluation report ${r.id}`) : null;
  return { ...summary(r, names.get(r.versionId) ?? r.versionId), report };
}

/** Queues an evaluation of a finished run's model; the same (version, split) again re-runs it. */
export async function requestEvaluation(args: { projectId: string; runId: string; versionId: string; split: string; sliceColumn?: string; sensitiveColumn?: string; threshold: number }) {
  const run = await db().run.findFirst({ where: { id: args.runId, projectId: args.projectId } });
  if (!run) throw notFound("Run");
  const version = await db().datasetVersion.findFirst({ where: { id: args.versionId, projectId: args.projectId } });
  if (!version) throw notFound("Dataset version");
  if (version.profileStatus !== "READY") throw new AppError("PRECONDITION_FAILED", "The dataset version is not profiled yet");
  const model = await db().runArtifact.findFirst({ where: { runId: run.id, path: "model.onnx" } });
  if (!model) throw new AppError("PRECONDITION_FAILED", "The run has no model.onnx artifact");
  const options = { sliceColumn: args.sliceColumn ?? null, sensitiveColumn: args.sensitiveColumn ?? null, threshold: args.threshold };
  return db().$transaction(async (tx) => {
    const row = await queueEvaluation(tx, { projectId: args.projectId, runId: run.id, versionId: version.id, split: args.split, options });
    return summary(row, `v${version.number}`);
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
