/**
 * The changes a person (or later a rollout job) makes to a running deployment. Each decides the next
 * split from the row as locked, so two changes racing each other are applied one after the other
 * and the second one judges the state the first one left.
 */
import { AppError } from "../errors";
import { readStored } from "../lib/stored-json";
import { changeDeployment, resolveVersion, rolloutOf, splitOf, type ChangeArgs, type VersionChoice } from "./deployments";
import { checkOnlineMetric } from "./health";
import { scheduleCheck, startRollout } from "./rollout";
import { ZSplit, type DeploymentDto, type SetCandidateInput, type Split } from "./schemas";

const direct = (stableVersionId: string): Split => ({ strategy: "direct", stableVersionId, candidateVersionId: null, candidatePercent: 0 });

function needCandidate(current: { candidateVersionId: string | null; name: string }): string {
  if (!current.candidateVersionId) throw new AppError("CONFLICT", `Deployment "${current.name}" has no candidate`);
  return current.candidateVersionId;
}

/** Direct replace: the version becomes stable at once; CONFLICT while a candidate is in flight (promote or abort it first). */
export function replaceVersion(args: ChangeArgs & VersionChoice): Promise<DeploymentDto> {
  return changeDeployment(args, async (current, tx) => {
    if (current.candidateVersionId) throw new AppError("CONFLICT", `Deployment "${current.name}" has a candidate: promote or abort it before replacing`);
    const version = await resolveVersion(tx, args.projectId, current.modelId, args);
    if (version.id === current.stableVersionId) throw new AppError("CONFLICT", `v${version.number} is already serving`);
    return { kind: "replace", split: direct(version.id), status: "active", admitVersions: true };
  });
}

/**
 * Starts (or re-weights) a candidate: canary and A/B answer `candidatePercent` of requests, blue/green
 * waits at 0 until switched, shadow scores mirrored requests only. A different candidate while one is
 * in flight is CONFLICT: abort or promote it first, so the ledger never loses a rollout silently.
 * A canary with `rollout` starts at its first step and is walked by rollout.step jobs from then on
 * (again from the first step when set anew); one without keeps the share the user gives it.
 */
export function setCandidate(args: ChangeArgs & Omit<SetCandidateInput, "projectId" | "deploymentId" | "reason">): Promise<DeploymentDto> {
  return changeDeployment(args, async (current, tx) => {
    const version = await resolveVersion(tx, args.projectId, current.modelId, args);
    if (version.id === current.stableVersionId) throw new AppError("CONFLICT", `v${version.number} is the stable version already`);
    if (current.candidateVersionId && (current.candidateVersionId !== version.id || current.strategy !== args.strategy)) {
      throw new AppError("CONFLICT", `Deployment "${current.name}" already has a ${current.strategy} candidate: promote or abort it first`);
    }
    const status = current.status === "paused" ? "paused" : "rolling_out";
    if (args.strategy === "canary" && args.rollout) {
      const metric = args.rollout.health.metric;
      if (metric) checkOnlineMetric(version.task === "binary" ? "binary" : "regression", metric.name);
      const now = new Date();
      const rollout = startRollout(args.rollout, now);
      // A paused deployment gets its first check when resumed.
      if (status === "rolling_out") await scheduleCheck(tx, current.id, current.generation + 1, rollout, now);
      const split: Split = { strategy: "canary", stableVersionId: current.stableVersionId, candidateVersionId: version.id, candidatePercent: args.rollout.steps[0]! };
      return { kind: "candidate", split, status, admitVersions: true, rollout, evidence: { rollout: args.rollout } };
    }
    const split: Split = { strategy: args.strategy, stableVersionId: current.stableVersionId, candidateVersionId: version.id, candidatePercent: args.candidatePercent };
    return { kind: "candidate", split, status, admitVersions: true, rollout: null };
  });
}

/** Blue/green: the candidate takes all traffic and the old stable stays loaded as the candidate; calling it again switches back. */
export function switchBlueGreen(args: ChangeArgs): Promise<DeploymentDto> {
  return changeDeployment(args, async (current) => {
    const candidate = needCandidate(current);
    if (current.strategy !== "blue_green") throw new AppError("CONFLICT", `Deployment "${current.name}" is ${current.strategy}, not blue_green`);
    const split: Split = { strategy: "blue_green", stableVersionId: candidate, candidateVersionId: current.stableVersionId, candidatePercent: 0 };
    return { kind: "switch", split, status: "active", admitVersions: true };
  });
}

/** Freezes a rollout where it stands (traffic unchanged; rollout steps wait). */
export function pauseDeployment(args: ChangeArgs): Promise<DeploymentDto> {
  return changeDeployment(args, async (current) => {
    needCandidate(current);
    if (current.status === "paused") throw new AppError("CONFLICT", `Deployment "${current.name}" is paused already`);
    return { kind: "pause", split: splitOf(current), status: "paused", admitVersions: false };
  });
}

/** Lets a paused rollout go on; a canary rollout's step starts its bake time again (the paused time judged nothing). */
export function resumeDeployment(args: ChangeArgs): Promise<DeploymentDto> {
  return changeDeployment(args, async (current, tx) => {
    needCandidate(current);
    if (current.status !== "paused") throw new AppError("CONFLICT", `Deployment "${current.name}" is not paused`);
    const state = current.strategy === "canary" ? rolloutOf(current) : null;
    if (!state) return { kind: "resume", split: splitOf(current), status: "rolling_out", admitVersions: true };
    const now = new Date();
    const rollout = { ...state, stepStartedAt: now.toISOString(), lastCheck: null };
    await scheduleCheck(tx, current.id, current.generation + 1, rollout, now);
    return { kind: "resume", split: splitOf(current), status: "rolling_out", admitVersions: true, rollout };
  });
}

/** Removes the candidate: the stable version answers everything again. */
export function abortRollout(args: ChangeArgs): Promise<DeploymentDto> {
  return changeDeployment(args, async (current) => {
    needCandidate(current);
    return { kind: "abort", split: direct(current.stableVersionId), status: "aborted", admitVersions: false };
  });
}

/** The candidate becomes the stable version now, whatever step the rollout was at. */
export function promoteCandidate(args: ChangeArgs): Promise<DeploymentDto> {
  return changeDeployment(args, async (current) => {
    const candidate = needCandidate(current);
    return { kind: "promote", split: direct(candidate), status: "active", admitVersions: true };
  });
}

/**
 * The stable version before the current one, reading the ledger as a stack: a change of the stable
 * version pushes the one it replaced, a rollback pops it (v1→v2→v3, rollback → v2, rollback → v1).
 */
export function previousStable(entries: { kind: string; fromSplit: Split | null; toSplit: Split | null }[], current: string): string | null {
  const stack: string[] = [];
  for (const e of entries) {
    if (e.kind === "rollback") stack.pop();
    else if (e.fromSplit && e.toSplit && e.fromSplit.stableVersionId !== e.toSplit.stableVersionId) stack.push(e.fromSplit.stableVersionId);
  }
  while (stack.length > 0 && stack.at(-1) === current) stack.pop();
  return stack.at(-1) ?? null;
}

/** Back to the previous stable version from the ledger, candidate removed; PRECONDITION_FAILED when there is none. */
export function rollbackDeployment(args: ChangeArgs): Promise<DeploymentDto> {
  return changeDeployment(args, async (current, tx) => {
    const rows = await tx.deploymentLedgerEntry.findMany({ where: { deploymentId: current.id }, orderBy: { seq: "asc" }, select: { kind: true, fromSplit: true, toSplit: true } });
    const entries = rows.map((r) => ({
      kind: r.kind,
      fromSplit: r.fromSplit === null ? null : readStored(ZSplit, r.fromSplit, "ledger split"),
      toSplit: r.toSplit === null ? null : readStored(ZSplit, r.toSplit, "ledger split"),
    }));
    const previous = previousStable(entries, current.stableVersionId);
    if (!previous) throw new AppError("PRECONDITION_FAILED", `Deployment "${current.name}" has no previous stable version to roll back to${current.candidateVersionId ? " (abort removes the candidate)" : ""}`);
    return { kind: "rollback", split: direct(previous), status: "rolled_back", admitVersions: true };
  });
}
