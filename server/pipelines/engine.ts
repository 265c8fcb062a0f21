/**
 * Admission, cancellation and retry of pipeline runs. Every change to a pipeline's set of active runs
 * holds the Pipeline row's lock, so the concurrency policy is decided by one transaction at a time.
 * The steps themselves are moved on by the pipeline.advance job (steps/advance.ts).
 */
import { db, type Tx } from "../db";
import { Prisma } from "../generated/prisma/client";
import { AppError, notFound } from "../errors";
import { recordAudit, type Actor } from "../audit/audit";
import { enqueue, enqueueUnlessQueued } from "../jobs/boss";
import { pipelineAdvance, pipelineRecheck } from "../jobs/definitions";
import { pipelineRunDto } from "./run-dto";
import { dependentsOf, readSpec } from "./steps/plan";
import { TERMINAL_RUN_STATUSES, type PipelineRunDto, type PipelineRunStatus } from "./schemas";

async function lockPipeline(tx: Tx, pipelineId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Pipeline" WHERE id = ${pipelineId} FOR UPDATE`;
}

/** Queues an advance of the run (in `tx` when given, so it exists exactly when the change does). */
export async function kickRun(runId: string, tx?: Tx): Promise<void> {
  await enqueue(pipelineAdvance, { runId }, { tx, singletonKey: runId });
}

/**
 * A delayed advance of the run: a step's deadline, or the safety net behind the events a running step
 * waits for. One waits per key; a key names what it is for, so a deadline is never replaced by a later check.
 */
export async function armRecheck(runId: string, key: string, at: Date, tx?: Tx): Promise<void> {
  const seconds = Math.max(1, Math.ceil((at.getTime() - Date.now()) / 1000));
  await enqueueUnlessQueued(pipelineRecheck, { runId }, { tx, singletonKey: `${runId}:${key}`, startAfter: seconds });
}

/**
 * Admits a QUEUED run (called by startPipelineRun in its transaction): creates its step rows, applies
 * the spec's concurrency (queue: waits while another run of the pipeline is RUNNING; cancel-previous:
 * cancels the active ones) and, when it may start, marks it RUNNING and queues its first advance.
 */
export async function admitRun(tx: Tx, runId: string): Promise<void> {
  const head = await tx.pipelineRun.findUnique({ where: { id: runId }, select: { pipelineId: true } });
  if (!head) throw notFound("Pipeline run");
  await lockPipeline(tx, head.pipelineId);
  const run = await tx.pipelineRun.findUniqueOrThrow({ where: { id: runId }, include: { revision: { select: { spec: true } } } });
  if (run.status !== "QUEUED") return;
  const spec = readSpec(run.revision.spec);
  await tx.pipelineStepRun.createMany({ data: spec.steps.map((s) => ({ pipelineRunId: run.id, stepId: s.id, kind: s.uses })), skipDuplicates: true });
  if (spec.concurrency === "cancel-previous") {
    const previous = await tx.pipelineRun.findMany({ where: { pipelineId: run.pipelineId, id: { not: run.id }, status: { in: ["QUEUED", "RUNNING"] } } });
    for (const p of previous) await cancelInTx(tx, p.id, `cancelled: run #${run.number} replaced it (concurrency: cancel-previous)`);
  }
  await admitNext(tx, run.pipelineId);
}

/** Starts the oldest QUEUED run of the pipeline when none is RUNNING. The caller holds the pipeline lock. */
async function admitNext(tx: Tx, pipelineId: string): Promise<void> {
  const running = await tx.pipelineRun.count({ where: { pipelineId, status: "RUNNING" } });
  if (running > 0) return;
  const next = await tx.pipelineRun.findFirst({ where: { pipelineId, status: "QUEUED" }, orderBy: { number: "asc" }, select: { id: true } });
  if (!next) return;
  await tx.pipelineRun.update({ where: { id: next.id }, data: { status: "RUNNING", startedAt: new Date() } });
  await kickRun(next.id, tx);
}

/** Marks an active run and its unfinished steps CANCELLED; its advance job then stops the domain work they started. */
async function cancelInTx(tx: Tx, runId: string, reason: string): Promise<boolean> {
  const now = new Date();
  const moved = await tx.pipelineRun.updateMany({ where: { id: runId, status: { in: ["QUEUED", "RUNNING"] } }, data: { status: "CANCELLED", finishedAt: now, error: reason } });
  if (moved.count === 0) return false;
  await tx.pipelineStepRun.updateMany({ where: { pipelineRunId: runId, status: { in: ["PENDING", "RUNNING"] } }, data: { status: "CANCELLED", finishedAt: now, message: reason } });
  await kickRun(runId, tx);
  return true;
}

/**
 * Ends a RUNNING run whose steps are all done (SUCCEEDED unless a step FAILED) and admits the next
 * queued one. False when the run was no longer RUNNING (another advance or a cancel got there first).
 */
export async function finishRun(runId: string, status: Extract<PipelineRunStatus, "SUCCEEDED" | "FAILED">, error: string | null): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const run = await tx.pipelineRun.findUnique({ where: { id: runId }, select: { pipelineId: true } });
    if (!run) return false;
    await lockPipeline(tx, run.pipelineId);
    const moved = await tx.pipelineRun.updateMany({ where: { id: runId, status: "RUNNING" }, data: { status, error, finishedAt: new Date() } });
    if (moved.count === 0) return false;
    await admitNext(tx, run.pipelineId);
    return true;
  });
}

async function projectOrg(projectId: string): Promise<string> {
  const project = await db().project.findUnique({ where: { id: projectId }, select: { orgId: true } });
  if (!project) throw notFound("Project");
  return project.orgId;
}

/** Cancels a queued or running run: its unfinished steps are CANCELLED and training they started is stopped. */
export async function cancelPipelineRun(args: { projectId: string; runId: string; actor: Actor }): Promise<PipelineRunDto> {
  const orgId = await projectOrg(args.projectId);
  await db().$transaction(async (tx) => {
    const run = await tx.pipelineRun.findFirst({ where: { id: args.runId, projectId: args.projectId }, select: { id: true, number: true, status: true, pipelineId: true } });
    if (!run) throw notFound("Pipeline run");
    await lockPipeline(tx, run.pipelineId);
    const label = `#${run.number}`;
    if (!(await cancelInTx(tx, run.id, `cancelled by ${args.actor.label}`))) {
      const now = await tx.pipelineRun.findUniqueOrThrow({ where: { id: run.id }, select: { status: true } });
      throw new AppError("CONFLICT", `Pipeline run ${label} has already finished (${now.status})`);
    }
    await recordAudit(tx, { orgId, projectId: args.projectId, actor: args.actor, action: "pipeline.run.cancel", target: { type: "pipeline_run", id: run.id, label }, before: { status: run.status }, after: { status: "CANCELLED" } });
    await admitNext(tx, run.pipelineId);
  });
  return pipelineRunDto(args.projectId, args.runId);
}

/**
 * Runs one FAILED or CANCELLED step of a finished run again (attempt + 1), with the steps after it that
 * were SKIPPED or CANCELLED because of it; earlier steps keep their outputs and are not run again.
 */
export async function retryStep(args: { projectId: string; runId: string; stepId: string; actor: Actor }): Promise<PipelineRunDto> {
  const orgId = await projectOrg(args.projectId);
  await db().$transaction(async (tx) => {
    const head = await tx.pipelineRun.findFirst({ where: { id: args.runId, projectId: args.projectId }, select: { pipelineId: true } });
    if (!head) throw notFound("Pipeline run");
    await lockPipeline(tx, head.pipelineId);
    const run = await tx.pipelineRun.findUniqueOrThrow({ where: { id: args.runId }, include: { steps: true, revision: { select: { spec: true } } } });
    const label = `#${run.number}`;
    if (!TERMINAL_RUN_STATUSES.includes(run.status as PipelineRunStatus)) throw new AppError("CONFLICT", `Pipeline run ${label} is still ${run.status}; retry a step once it has finished`);
    const step = run.steps.find((s) => s.stepId === args.stepId);
    if (!step) throw notFound("Step");
    if (step.status !== "FAILED" && step.status !== "CANCELLED") throw new AppError("CONFLICT", `Step ${step.stepId} is ${step.status}; only a FAILED or CANCELLED step can be retried`);
    const after = dependentsOf(readSpec(run.revision.spec), step.stepId);
    const reset = { status: "PENDING", outputs: Prisma.DbNull, message: null, startedAt: null, finishedAt: null, deadlineAt: null, inputHash: null, cachedFromId: null } as const;
    await tx.pipelineStepRun.update({
      where: { id: step.id },
      data: { ...reset, attempt: step.attempt + 1, log: { push: `retry requested by ${args.actor.label} (attempt ${step.attempt + 1})` } },
    });
    const downstream = run.steps.filter((s) => after.has(s.stepId) && (s.status === "SKIPPED" || s.status === "CANCELLED")).map((s) => s.id);
    if (downstream.length) await tx.pipelineStepRun.updateMany({ where: { id: { in: downstream } }, data: { ...reset } });
    await tx.pipelineRun.update({ where: { id: run.id }, data: { status: "RUNNING", finishedAt: null, error: null } });
    await recordAudit(tx, { orgId, projectId: args.projectId, actor: args.actor, action: "pipeline.step.retry", target: { type: "pipeline_run", id: run.id, label: `${label} ${step.stepId}` }, before: { status: run.status, step: step.status }, after: { status: "RUNNING", attempt: step.attempt + 1 } });
    await kickRun(run.id, tx);
  });
  return pipelineRunDto(args.projectId, args.runId);
}
