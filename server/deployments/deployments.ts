/**
 * Deployments and the one way they change: a transaction holding the deployment's row lock that
 * checks the environment's policy for every version the new split serves, bumps the generation,
 * appends a ledger entry with the evidence, writes the audit event and NOTIFYs the serving processes,
 * all committed together (a serving process never hears of a change that did not commit).
 */
import { recordAudit, type Actor } from "../audit/audit";
import { db, type Tx } from "../db";
import { AppError, isUniqueViolation, notFound } from "../errors";
import { deploymentCreated } from "../events/definitions";
import { emitEvent } from "../events/outbox";
import { Prisma } from "../generated/prisma/client";
import { readStored, toJsonValue } from "../lib/stored-json";
import { getModelRow } from "../registry/lookup";
import { CHAMPION } from "../registry/names";
import { environmentByName } from "./environments";
import { appendLedger, ledgerActor } from "./ledger";
import { approvalRecord, enforceRequirement, versionEvidence } from "./policy";
import {
  DEPLOYMENTS_CHANNEL,
  ZDeploymentStatus,
  ZDeploymentStrategy,
  ZEnvironmentRequirement,
  ZRolloutState,
  type DeploymentDto,
  type DeploymentStatus,
  type EnvironmentRequirement,
  type LedgerKind,
  type LedgerProvenance,
  type ProvenanceInput,
  type RolloutState,
  type Split,
  type VersionEvidence,
} from "./schemas";

const withEnv = { environment: { select: { id: true, name: true, requires: true } } } as const;

type Row = {
  id: string;
  projectId: string;
  name: string;
  modelId: string;
  strategy: string;
  status: string;
  stableVersionId: string;
  candidateVersionId: string | null;
  candidatePercent: number;
  logSampleRate: number;
  rollout: unknown;
  generation: number;
  createdAt: Date;
  updatedAt: Date;
  environment: { id: string; name: string; requires: string };
};

/** A deployment row's canary progress, read through its schema; null when no rollout runs. */
export const rolloutOf = (row: { rollout: unknown }): RolloutState | null => (row.rollout === null || row.rollout === undefined ? null : readStored(ZRolloutState, row.rollout, "deployment rollout"));

/** Model names and version numbers of the rows, read in two queries whatever their count. */
async function toDtos(tx: Tx, rows: Row[]): Promise<DeploymentDto[]> {
  const versionIds = [...new Set(rows.flatMap((r) => [r.stableVersionId, ...(r.candidateVersionId ? [r.candidateVersionId] : [])]))];
  const [versions, models] = await Promise.all([
    tx.modelVersion.findMany({ where: { id: { in: versionIds } }, select: { id: true, number: true } }),
    tx.registeredModel.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.modelId))] } }, select: { id: true, name: true } }),
  ]);
  const number = new Map(versions.map((v) => [v.id, v.number]));
  const name = new Map(models.map((m) => [m.id, m.name]));
  return rows.map((r) => toDto(r, { modelName: name.get(r.modelId) ?? "", stableVersion: number.get(r.stableVersionId) ?? 0, candidateVersion: r.candidateVersionId ? (number.get(r.candidateVersionId) ?? 0) : null }));
}

const toOneDto = async (tx: Tx, r: Row): Promise<DeploymentDto> => (await toDtos(tx, [r]))[0]!;

const toDto = (r: Row, names: { modelName: string; stableVersion: number; candidateVersion: number | null }): DeploymentDto => ({
  ...names,
  id: r.id,
  projectId: r.projectId,
  environment: { ...r.environment, requires: readStored(ZEnvironmentRequirement, r.environment.requires, "environment requirement") },
  name: r.name,
  modelId: r.modelId,
  strategy: readStored(ZDeploymentStrategy, r.strategy, "deployment strategy"),
  status: readStored(ZDeploymentStatus, r.status, "deployment status"),
  stableVersionId: r.stableVersionId,
  candidateVersionId: r.candidateVersionId,
  candidatePercent: r.candidatePercent,
  logSampleRate: r.logSampleRate,
  rollout: rolloutOf(r),
  generation: r.generation,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

export const splitOf = (r: Pick<Row, "strategy" | "stableVersionId" | "candidateVersionId" | "candidatePercent">): Split => ({
  strategy: readStored(ZDeploymentStrategy, r.strategy, "deployment strategy"),
  stableVersionId: r.stableVersionId,
  candidateVersionId: r.candidateVersionId,
  candidatePercent: r.candidatePercent,
});

export type VersionChoice = { versionId?: string; alias?: string };

/** A version of `modelId` in the project, by id or alias (champion by default); another model's or project's = NOT_FOUND, archived = CONFLICT. */
export async function resolveVersion(tx: Tx, projectId: string, modelId: string, choice: VersionChoice) {
  let versionId = choice.versionId;
  if (!versionId) {
    const alias = choice.alias ?? CHAMPION;
    const row = await tx.modelAlias.findUnique({ where: { modelId_name: { modelId, name: alias } } });
    if (!row) throw new AppError("NOT_FOUND", `The model has no "${alias}" alias`);
    versionId = row.versionId;
  }
  const version = await tx.modelVersion.findFirst({ where: { id: versionId, projectId, modelId } });
  if (!version) throw notFound("Model version");
  if (version.archivedAt) throw new AppError("CONFLICT", `v${version.number} is archived and cannot take traffic`);
  return version;
}

/** Checks every version the split serves against the environment's policy; returns their evidence for the ledger. */
async function admit(tx: Tx, orgId: string, projectId: string, modelId: string, env: { name: string; requires: EnvironmentRequirement }, split: Split): Promise<VersionEvidence[]> {
  const ids = [split.stableVersionId, ...(split.candidateVersionId ? [split.candidateVersionId] : [])];
  const out: VersionEvidence[] = [];
  for (const id of ids) {
    const version = await resolveVersion(tx, projectId, modelId, { versionId: id });
    const ev = await versionEvidence(tx, orgId, modelId, version);
    enforceRequirement(env, version, ev);
    out.push(ev);
  }
  return out;
}

interface Commit {
  orgId: string;
  projectId: string;
  actor: Actor;
  reason: string | null;
  kind: LedgerKind;
  env: { name: string; requires: EnvironmentRequirement };
  modelId: string;
  deploymentId: string;
  deploymentName: string;
  from: Split | null;
  to: Split;
  /** Versions that only lose traffic (pause, abort) are not re-admitted; everything else is. */
  admitVersions: boolean;
  /** More evidence for the ledger entry, e.g. the health check behind a rollout job's decision. */
  evidence?: Record<string, unknown>;
  provenance?: ProvenanceInput;
}

/** The caller's provenance completed with the version's approvals (or their waiver) as they stand in this transaction. */
async function withApproval(tx: Tx, c: Commit, p: ProvenanceInput): Promise<LedgerProvenance> {
  if (p.modelVersion.id !== c.to.stableVersionId && p.modelVersion.id !== c.to.candidateVersionId) throw new Error("The provenance names a version this change does not serve");
  const version = await resolveVersion(tx, c.projectId, c.modelId, { versionId: p.modelVersion.id });
  return { ...p, approval: await approvalRecord(tx, c.orgId, c.modelId, version, c.env) };
}

/** Ledger, audit and NOTIFY of one change, in the caller's transaction (which holds the row lock). */
async function record(tx: Tx, c: Commit): Promise<void> {
  const versions = c.admitVersions ? await admit(tx, c.orgId, c.projectId, c.modelId, c.env, c.to) : [];
  const provenance = c.provenance ? await withApproval(tx, c, c.provenance) : undefined;
  const evidence = { ...c.evidence, environment: c.env, versions, ...(provenance ? { provenance } : {}) };
  await appendLedger(tx, { deploymentId: c.deploymentId, projectId: c.projectId, kind: c.kind, actor: ledgerActor(c.actor), fromSplit: c.from, toSplit: c.to, evidence, reason: c.reason });
  await recordAudit(tx, {
    orgId: c.orgId,
    projectId: c.projectId,
    actor: c.actor,
    action: `deployment.${c.kind}`,
    target: { type: "deployment", id: c.deploymentId, label: c.deploymentName },
    ...(c.from ? { before: c.from } : {}),
    after: { ...c.to, ...(c.reason ? { reason: c.reason } : {}) },
  });
  await tx.$executeRaw`SELECT pg_notify(${DEPLOYMENTS_CHANNEL}, ${c.deploymentId})`;
}

/** Serves `modelId` (a version, an alias, or its champion) under `name` in the environment, strategy direct. */
export async function createDeployment(args: {
  orgId: string;
  projectId: string;
  environment: string;
  name: string;
  modelId: string;
  versionId?: string;
  alias?: string;
  reason?: string;
  /** Where the version came from (a pipeline run), kept in the ledger entry's evidence. */
  provenance?: ProvenanceInput;
  actor: Actor;
}): Promise<DeploymentDto> {
  try {
    return await db().$transaction(async (tx) => {
      const model = await getModelRow(args.projectId, args.modelId, tx);
      const env = await environmentByName(tx, args.projectId, args.environment);
      const version = await resolveVersion(tx, args.projectId, model.id, args);
      const row = await tx.deployment.create({
        data: { projectId: args.projectId, environmentId: env.id, name: args.name, modelId: model.id, stableVersionId: version.id, createdById: args.actor.id ?? "system" },
        include: withEnv,
      });
      await record(tx, {
        ...args,
        reason: args.reason ?? null,
        kind: "create",
        env,
        modelId: model.id,
        deploymentId: row.id,
        deploymentName: row.name,
        from: null,
        to: splitOf(row),
        admitVersions: true,
      });
      await emitEvent(tx, deploymentCreated, { projectId: args.projectId, payload: { deploymentId: row.id, name: row.name } });
      return toOneDto(tx, row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", `A deployment named "${args.name}" already exists in this project`);
    throw err;
  }
}

export async function getDeployment(args: { projectId: string; deploymentId: string }): Promise<DeploymentDto> {
  const row = await db().deployment.findFirst({ where: { id: args.deploymentId, projectId: args.projectId }, include: withEnv });
  if (!row) throw notFound("Deployment");
  return toOneDto(db(), row);
}

export async function listDeployments(args: { projectId: string; environmentId?: string }): Promise<DeploymentDto[]> {
  const rows = await db().deployment.findMany({
    where: { projectId: args.projectId, ...(args.environmentId ? { environmentId: args.environmentId } : {}) },
    include: withEnv,
    orderBy: { name: "asc" },
  });
  return toDtos(db(), rows);
}

export interface ChangeArgs {
  orgId: string;
  projectId: string;
  deploymentId: string;
  reason?: string;
  /** Where the version the change serves came from (a pipeline run), kept in the ledger entry's evidence. */
  provenance?: ProvenanceInput;
  actor: Actor;
}

type Locked = Row;
export interface Next {
  kind: LedgerKind;
  split: Split;
  status: DeploymentStatus;
  admitVersions: boolean;
  /** The canary's rollout state after the change: undefined keeps it, null clears it. Cleared whatever this says when the split has no canary candidate. */
  rollout?: RolloutState | null;
  /** Added to the ledger entry's evidence (e.g. `health`: the check a rollout decision was made on). */
  evidence?: Record<string, unknown>;
}

/** A rollout lives only as long as its canary candidate: every change that removes the candidate (or leaves canary) ends it. */
function nextRollout(current: unknown, next: Next): Prisma.InputJsonValue | typeof Prisma.DbNull {
  if (next.split.candidateVersionId === null || next.split.strategy !== "canary") return Prisma.DbNull;
  const state = next.rollout === undefined ? current : next.rollout;
  return state === null || state === undefined ? Prisma.DbNull : toJsonValue(state);
}

/** Runs one change: locks the row, lets `decide` compute the next state from the locked one, then writes it with generation + 1. */
export async function changeDeployment(args: ChangeArgs, decide: (current: Locked, tx: Tx) => Promise<Next>): Promise<DeploymentDto> {
  return db().$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Deployment" WHERE "id" = ${args.deploymentId} AND "projectId" = ${args.projectId} FOR UPDATE`;
    if (locked.length === 0) throw notFound("Deployment");
    const current = await tx.deployment.findUniqueOrThrow({ where: { id: args.deploymentId }, include: withEnv });
    const next = await decide(current, tx);
    const env = { name: current.environment.name, requires: readStored(ZEnvironmentRequirement, current.environment.requires, "environment requirement") };
    const row = await tx.deployment.update({
      where: { id: current.id },
      data: {
        strategy: next.split.strategy,
        stableVersionId: next.split.stableVersionId,
        candidateVersionId: next.split.candidateVersionId,
        candidatePercent: next.split.candidatePercent,
        status: next.status,
        rollout: nextRollout(current.rollout, next),
        generation: { increment: 1 },
      },
      include: withEnv,
    });
    await record(tx, {
      ...args,
      reason: args.reason ?? null,
      kind: next.kind,
      env,
      modelId: current.modelId,
      deploymentId: current.id,
      deploymentName: current.name,
      from: splitOf(current),
      to: next.split,
      admitVersions: next.admitVersions,
      evidence: next.evidence,
    });
    return toOneDto(tx, row);
  });
}
