/**
 * Canary rollouts: the candidate's share walks through the configured steps, each held for its bake
 * time while `rollout.step` jobs check its health; a failing check rolls the candidate back (when
 * autoRollback is on), a healthy one at bake end moves to the next step or promotes after the last.
 * Every move goes through changeDeployment (row lock, ledger, audit, NOTIFY); a check that only
 * holds records itself in Deployment.rollout.lastCheck and writes no ledger entry.
 */
import type { Actor } from "../audit/audit";
import { db, type Tx } from "../db";
import { AppError } from "../errors";
import { enqueue } from "../jobs/boss";
import { rolloutStep, type JobPayload } from "../jobs/definitions";
import { toJsonValue } from "../lib/stored-json";
import { changeDeployment, rolloutOf, type ChangeArgs, type Next } from "./deployments";
import { checkCanary } from "./health";
import type { DeploymentDto, HealthCheck, RolloutConfig, RolloutState, Split } from "./schemas";

/** Who the rollout job's changes are by in the ledger ("job:rollout.step") and the audit log. */
export const ROLLOUT_ACTOR: Actor = { type: "system", id: null, label: "rollout.step" };

type StepPayload = JobPayload<typeof rolloutStep>;

interface RowLike {
  id: string;
  name: string;
  strategy: string;
  status: string;
  stableVersionId: string;
  candidateVersionId: string | null;
  candidatePercent: number;
  generation: number;
  rollout: unknown;
}

/** A step is checked every bake/5 (between 1 and 30 s) and once more exactly at its bake end. */
export const checkIntervalMs = (config: RolloutConfig) => Math.min(30_000, Math.max(1000, (config.bakeSeconds * 1000) / 5));

export const startRollout = (config: RolloutConfig, now: Date): RolloutState => ({ config, step: 0, stepStartedAt: now.toISOString(), lastCheck: null });

/** Enqueues the next check of `state` in the caller's transaction, for the deployment at `generation`. */
export async function scheduleCheck(tx: Tx, deploymentId: string, generation: number, state: RolloutState, now: Date): Promise<void> {
  const remaining = Date.parse(state.stepStartedAt) + state.config.bakeSeconds * 1000 - now.getTime();
  const delayMs = remaining > 0 ? Math.min(checkIntervalMs(state.config), remaining) : checkIntervalMs(state.config);
  const payload: StepPayload = { deploymentId, generation, step: state.step, lastCheckAt: state.lastCheck?.at ?? null };
  await enqueue(rolloutStep, payload, { tx, startAfter: Math.max(delayMs, 10) / 1000 });
}

const direct = (stableVersionId: string): Split => ({ strategy: "direct", stableVersionId, candidateVersionId: null, candidatePercent: 0 });

/**
 * The next step of a running canary (or its promotion after the last), scheduling the new step's first
 * check in `tx`. `lastCheck` is the check that justified the move (null when a person advanced).
 */
async function nextStep(tx: Tx, current: RowLike, state: RolloutState, now: Date, lastCheck: HealthCheck | null): Promise<Next> {
  const candidate = current.candidateVersionId!;
  const evidence = lastCheck ? { health: lastCheck } : undefined;
  if (state.step >= state.config.steps.length - 1) return { kind: "promote", split: direct(candidate), status: "active", admitVersions: true, rollout: null, evidence };
  const next: RolloutState = { config: state.config, step: state.step + 1, stepStartedAt: now.toISOString(), lastCheck };
  await scheduleCheck(tx, current.id, current.generation + 1, next, now);
  return {
    kind: "step",
    split: { strategy: "canary", stableVersionId: current.stableVersionId, candidateVersionId: candidate, candidatePercent: state.config.steps[next.step]! },
    status: "rolling_out",
    admitVersions: true,
    rollout: next,
    evidence,
  };
}

/** The user's "advance": the next step now (its bake clock starts now), or promotion at the last step. */
export function advanceRollout(args: ChangeArgs): Promise<DeploymentDto> {
  return changeDeployment(args, async (current, tx) => {
    const state = rolloutOf(current);
    if (current.strategy !== "canary" || !current.candidateVersionId || !state) throw new AppError("CONFLICT", `Deployment "${current.name}" has no canary rollout to advance (set a canary candidate with rollout steps)`);
    if (current.status === "paused") throw new AppError("CONFLICT", `Deployment "${current.name}" is paused: resume it before advancing`);
    return nextStep(tx, current, state, new Date(), null);
  });
}

/** Whether a job (or a decision made on its check) still applies to the row: same generation, step and last check, running. */
function isCurrent(row: RowLike, payload: StepPayload): RolloutState | null {
  const state = rolloutOf(row);
  const current = state !== null && row.generation === payload.generation && state.step === payload.step && (state.lastCheck?.at ?? null) === payload.lastCheckAt;
  return current && row.status === "rolling_out" && row.strategy === "canary" && row.candidateVersionId !== null ? state : null;
}

class Stale extends Error {}

/** A move the job decided on, or the message of the policy check (AppError) that refused it. */
async function moveOn(args: ChangeArgs, decide: Parameters<typeof changeDeployment>[1]): Promise<DeploymentDto | string> {
  try {
    return await changeDeployment(args, decide);
  } catch (err) {
    if (err instanceof AppError) return err.message;
    throw err;
  }
}

export type RolloutOutcome = "stale" | "hold" | "step" | "promote" | "auto_rollback";

/**
 * Runs one `rollout.step` job: checks the step's health and acts on it. Safe to run twice and safe
 * to run late: it acts only while the deployment is still at the generation, step and last check it
 * was scheduled for, re-checked under the row lock before anything is written.
 */
export async function runRolloutStep(payload: StepPayload, now = new Date()): Promise<RolloutOutcome> {
  const row = await db().deployment.findUnique({ where: { id: payload.deploymentId }, include: { project: { select: { orgId: true } } } });
  const state = row ? isCurrent(row, payload) : null;
  if (!row || !state) return "stale";
  const check = await checkCanary({ deploymentId: row.id, stableVersionId: row.stableVersionId, candidateVersionId: row.candidateVersionId!, limits: state.config.health, from: new Date(state.stepStartedAt), now });
  const baked = now.getTime() >= Date.parse(state.stepStartedAt) + state.config.bakeSeconds * 1000;
  const args: ChangeArgs = { orgId: row.project.orgId, projectId: row.projectId, deploymentId: row.id, actor: ROLLOUT_ACTOR };
  try {
    if (check.verdict === "failing" && state.config.autoRollback) {
      await changeDeployment({ ...args, reason: `Health check failed at ${state.config.steps[state.step]} %: ${check.reasons.join("; ")}` }, async (current) => {
        if (!isCurrent(current, payload)) throw new Stale();
        return { kind: "auto_rollback", split: direct(current.stableVersionId), status: "rolled_back", admitVersions: false, rollout: null, evidence: { health: check } };
      });
      return "auto_rollback";
    }
    if (check.verdict === "healthy" && baked) {
      const next = await moveOn({ ...args, reason: `Step at ${state.config.steps[state.step]} % baked ${state.config.bakeSeconds} s and is healthy` }, async (current, tx) => {
        const locked = isCurrent(current, payload);
        if (!locked) throw new Stale();
        return nextStep(tx, current, locked, now, check);
      });
      if (typeof next === "string") {
        // The environment's policy refused the move (e.g. the candidate was archived or lost an approval): hold and say why.
        await holdStep(payload, { ...check, reasons: [...check.reasons, `cannot move on: ${next}`] }, now);
        return "hold";
      }
      return next.candidateVersionId === null ? "promote" : "step";
    }
    await holdStep(payload, check, now);
    return "hold";
  } catch (err) {
    if (err instanceof Stale) return "stale";
    throw err;
  }
}

/** Records a check that changes nothing (not baked yet, too few requests, or failing without autoRollback) and schedules the next. */
async function holdStep(payload: StepPayload, check: HealthCheck, now: Date): Promise<void> {
  await db().$transaction(async (tx) => {
    const locked = await tx.$queryRaw<RowLike[]>`SELECT "id", "name", "strategy", "status", "stableVersionId", "candidateVersionId", "candidatePercent", "generation", "rollout" FROM "Deployment" WHERE "id" = ${payload.deploymentId} FOR UPDATE`;
    const state = locked[0] ? isCurrent(locked[0], payload) : null;
    if (!state) throw new Stale();
    const held: RolloutState = { ...state, lastCheck: check };
    // Not a deployment change (traffic, status and generation stay): no ledger entry, no NOTIFY.
    await tx.deployment.update({ where: { id: payload.deploymentId }, data: { rollout: toJsonValue(held) } });
    await scheduleCheck(tx, payload.deploymentId, payload.generation, held, now);
  });
}
