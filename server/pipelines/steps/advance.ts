/**
 * The pipeline.advance job: settles a run's RUNNING steps (their domain work finished, failed or timed
 * out), starts every PENDING step whose needs are done (or skips it), and finishes the run. Safe to run
 * twice: a step moves only by check-and-set on (id, status, attempt), so a redelivered job never starts
 * a second training run or registers twice.
 */
import { db, type Prisma } from "../../db";
import { Prisma as P } from "../../generated/prisma/client";
import { AppError } from "../../errors";
import { readStored, toJsonValue } from "../../lib/stored-json";
import { cachedStep, inputHash } from "../cache";
import { armRecheck, finishRun, kickRun } from "../engine";
import { ZStepOutputs, ZStepStatus, type StepOutputs } from "../schemas";
import { ZStepKind, type PipelineSpec } from "../spec";
import { EXECUTORS } from "./index";
import { ancestorsOf, decide, readSpec, type StepState } from "./plan";
import type { Outcome, StepContext } from "./types";
import { z } from "zod";

const ZParams = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
const ZInfo = z.record(z.string(), z.unknown());
const MAX_ROUNDS = 20;
/** A step claimed but with no outputs recorded is still starting (or its starter died) for at most this long. */
const START_GRACE_MS = 5 * 60_000;

type Row = Prisma.PipelineStepRunModel;
interface Loaded {
  run: StepContext["run"] & { status: string };
  spec: PipelineSpec;
  steps: Row[];
}

async function load(runId: string): Promise<Loaded | null> {
  const r = await db().pipelineRun.findUnique({
    where: { id: runId },
    include: { steps: { orderBy: { id: "asc" } }, revision: { select: { spec: true } }, pipeline: { select: { name: true, project: { select: { orgId: true } } } } },
  });
  if (!r) return null;
  const run = {
    id: r.id, number: r.number, projectId: r.projectId, orgId: r.pipeline.project.orgId, pipelineName: r.pipeline.name, status: r.status,
    params: readStored(ZParams, r.params, "pipeline run params"), triggerInfo: readStored(ZInfo, r.triggerInfo, "pipeline run trigger"),
  };
  return { run, spec: readSpec(r.revision.spec), steps: r.steps };
}

const outputsOf = (row: Row): StepOutputs | null => (row.outputs === null ? null : readStored(ZStepOutputs, row.outputs, "step outputs"));
const line = (text: string) => `${new Date().toISOString()} ${text}`.slice(0, 2000);

function contextFor(l: Loaded, row: Row): StepContext {
  const step = l.spec.steps.find((s) => s.id === row.stepId);
  if (!step) throw new Error(`Step ${row.stepId} is not in the run's spec`);
  const rows = new Map(l.steps.map((s) => [s.stepId, s]));
  const index = l.spec.steps.indexOf(step);
  const ancestors = ancestorsOf(l.spec, step.id);
  const earlier = l.spec.steps.slice(0, index).flatMap((s) => {
    const r = rows.get(s.id);
    const outputs = r && (r.status === "SUCCEEDED" || r.status === "CACHED") ? outputsOf(r) : null;
    return outputs ? [{ stepId: s.id, kind: s.uses, outputs, ancestor: ancestors.has(s.id) }] : [];
  });
  return { run: l.run, spec: l.spec, step, row: { id: row.id, attempt: row.attempt, outputs: outputsOf(row) }, earlier, actor: { type: "system", id: null, label: `pipeline ${l.run.pipelineName} #${l.run.number}` } };
}

/** Moves a RUNNING step on by check-and-set; false when another advance or a cancel moved it first. */
async function moveRunning(row: Row, data: Prisma.PipelineStepRunUpdateManyMutationInput): Promise<boolean> {
  const moved = await db().pipelineStepRun.updateMany({ where: { id: row.id, status: "RUNNING", attempt: row.attempt }, data });
  return moved.count === 1;
}

/** Records an outcome; returns the seconds until the safety-net look when the step is still running. */
async function apply(row: Row, outcome: Outcome): Promise<number | null> {
  const now = new Date();
  const outputs = outcome.outputs ? toJsonValue(outcome.outputs) : undefined;
  if (outcome.state === "running") {
    const changedOutputs = outputs !== undefined && JSON.stringify(outputs) !== JSON.stringify(row.outputs);
    const newLine = outcome.log !== undefined && !row.log.at(-1)?.endsWith(` ${outcome.log}`);
    if (changedOutputs || newLine) await moveRunning(row, { ...(outputs ? { outputs } : {}), ...(newLine ? { log: { push: line(outcome.log!) } } : {}) });
    return outcome.recheckSeconds;
  }
  if (outcome.state === "succeeded") await moveRunning(row, { status: "SUCCEEDED", outputs, finishedAt: now, ...(outcome.log ? { log: { push: line(outcome.log) } } : {}) });
  else await moveRunning(row, { status: "FAILED", message: outcome.message.slice(0, 4000), finishedAt: now, ...(outputs ? { outputs } : {}), log: { push: line(`failed: ${outcome.message}`) } });
  return null;
}

const failure = (err: unknown): Outcome => {
  if (err instanceof AppError) return { state: "failed", message: err.message };
  console.error("[pipeline] step error", err);
  // Unexpected errors may carry SQL or paths: the step says where to look, the worker log has the detail.
  return { state: "failed", message: "internal error while running the step (see the worker's log); retry the step" };
};

/** Looks at a RUNNING step's work; a step past its deadline fails and its work is stopped. */
async function settle(l: Loaded, row: Row): Promise<number | null> {
  const ctx = contextFor(l, row);
  const executor = EXECUTORS[ZStepKind.parse(row.kind)];
  if (row.deadlineAt && row.deadlineAt.getTime() <= Date.now()) {
    const seconds = ctx.step.timeout ?? Math.round((row.deadlineAt.getTime() - (row.startedAt?.getTime() ?? 0)) / 1000);
    await apply(row, { state: "failed", message: `timed out after ${seconds}s` });
    await executor.cancel?.(ctx).catch((err: unknown) => console.error("[pipeline] cancel after timeout", err));
    return null;
  }
  if (row.outputs === null) {
    // Claimed, and the start has not recorded its work yet: another advance is starting it, or died doing so.
    const startedAt = row.startedAt ?? new Date(0);
    const adopted = await executor.recover?.(ctx, startedAt).catch(failure);
    if (adopted) return apply(row, adopted);
    if (Date.now() - startedAt.getTime() < START_GRACE_MS) return 30;
    return apply(row, { state: "failed", message: "the step was interrupted while starting; retry it" });
  }
  return apply(row, await executor.check(ctx).catch(failure));
}

/** Claims a PENDING step (check-and-set), then answers it from the cache or starts its work. */
async function start(l: Loaded, row: Row): Promise<number | null> {
  const ctx = contextFor(l, row);
  const now = new Date();
  const deadlineAt = ctx.step.timeout ? new Date(now.getTime() + ctx.step.timeout * 1000) : null;
  const claimed = await db().$transaction(async (tx) => {
    const moved = await tx.pipelineStepRun.updateMany({
      where: { id: row.id, status: "PENDING", attempt: row.attempt },
      data: { status: "RUNNING", startedAt: now, finishedAt: null, deadlineAt, message: null, log: { push: line(`started (attempt ${row.attempt})`) } },
    });
    if (moved.count === 1 && deadlineAt) await armRecheck(l.run.id, `${row.stepId}:${row.attempt}:deadline`, deadlineAt, tx);
    return moved.count === 1;
  });
  if (!claimed) return null;
  const running: Row = { ...row, status: "RUNNING", log: [...row.log, line(`started (attempt ${row.attempt})`)] };
  const executor = EXECUTORS[ctx.step.uses];
  try {
    const prepared = await executor.prepare(ctx);
    const hash = inputHash(ctx.step.uses, prepared);
    const hit = ctx.step.cache && executor.cacheable ? await cachedStep(l.run.projectId, hash, row.id) : null;
    if (hit) {
      await moveRunning(running, { status: "CACHED", inputHash: hash, cachedFromId: hit.id, outputs: toJsonValue(hit.outputs), finishedAt: new Date(), log: { push: line("inputs unchanged: outputs reused") } });
      return null;
    }
    if (!(await moveRunning(running, { inputHash: hash }))) return null;
    const outcome = await executor.start(ctx, prepared);
    const next = await apply(running, outcome);
    if (outcome.outputs) await stopIfCancelled(ctx, running, outcome.outputs);
    return next;
  } catch (err) {
    return apply(running, failure(err));
  }
}

/**
 * The run was cancelled while this step was starting its work: the cancel found no work to stop, so
 * the step records what it started (for the run page's links) and stops it here.
 */
async function stopIfCancelled(ctx: StepContext, row: Row, outputs: StepOutputs): Promise<void> {
  const marked = await db().pipelineStepRun.updateMany({ where: { id: row.id, attempt: row.attempt, status: "CANCELLED", outputs: { equals: P.DbNull } }, data: { outputs: toJsonValue(outputs) } });
  if (marked.count === 0) return;
  await EXECUTORS[ctx.step.uses].cancel?.({ ...ctx, row: { ...ctx.row, outputs } }).catch((err: unknown) => console.error("[pipeline] cancel after a cancelled start", err));
}

/** A cancelled run's training is stopped (the cancel itself only marks rows). */
async function release(l: Loaded): Promise<void> {
  for (const row of l.steps.filter((s) => s.status === "CANCELLED" && s.kind === "train")) {
    await EXECUTORS.train.cancel?.(contextFor(l, row)).catch((err: unknown) => console.error("[pipeline] cancel training", err));
  }
}

export async function advanceRun(runId: string): Promise<void> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const l = await load(runId);
    if (!l) return;
    if (l.run.status === "CANCELLED") return release(l);
    if (l.run.status !== "RUNNING") return;
    const before = JSON.stringify(l.steps.map((s) => [s.id, s.status]));
    const rechecks: number[] = [];
    for (const row of l.steps.filter((s) => s.status === "RUNNING")) {
      const next = await settle(l, row);
      if (next !== null) rechecks.push(next);
    }
    const states = new Map<string, StepState>(l.steps.map((s) => [s.stepId, { status: ZStepStatus.parse(s.status), passed: outputsOf(s)?.passed }]));
    for (const step of l.spec.steps) {
      const row = l.steps.find((s) => s.stepId === step.id);
      if (!row || row.status !== "PENDING") continue;
      const d = decide(l.spec, step, states);
      if (d.kind === "skip") {
        await db().pipelineStepRun.updateMany({ where: { id: row.id, status: "PENDING", attempt: row.attempt }, data: { status: "SKIPPED", message: d.reason, finishedAt: new Date(), log: { push: line(d.reason) } } });
      } else if (d.kind === "run") {
        const next = await start(l, row);
        if (next !== null) rechecks.push(next);
      }
    }
    const after = await db().pipelineStepRun.findMany({ where: { pipelineRunId: runId }, orderBy: { id: "asc" }, select: { id: true, status: true, stepId: true, message: true } });
    if (JSON.stringify(after.map((s) => [s.id, s.status])) !== before) continue;
    if (after.every((s) => !["PENDING", "RUNNING"].includes(s.status))) {
      const order = (id: string) => l.spec.steps.findIndex((st) => st.id === id);
      const bad = after.filter((s) => s.status === "FAILED" || s.status === "CANCELLED").sort((a, b) => order(a.stepId) - order(b.stepId));
      await finishRun(runId, bad.length ? "FAILED" : "SUCCEEDED", bad.length ? bad.map((s) => `${s.stepId} ${s.status.toLowerCase()}${s.message ? `: ${s.message}` : ""}`).join("; ").slice(0, 4000) : null);
    } else if (rechecks.length) {
      const seconds = Math.min(...rechecks);
      await armRecheck(runId, `net${seconds}`, new Date(Date.now() + seconds * 1000));
    }
    return;
  }
  // Many steps settled in a row (a chain of cached steps): continue in a fresh job rather than loop on.
  await kickRun(runId);
}
