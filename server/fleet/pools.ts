/**
 * Worker pools. Training commands are code written by any organisation's ADMIN, so the installation's
 * shared workers run them only for organisations an installation admin allowed (or every organisation
 * with CAIRN_SHARED_COMMANDS=all, for a single-team install). Other organisations run their commands
 * on their own pool: workers started with one of their worker tokens, which serve that pool only.
 * Built-in trainers (Cairn's own code) always run on the shared pool.
 */
import { listWorkers } from "./workers";
import { db, type Tx } from "../db";
import { AppError, notFound } from "../errors";
import { hashToken, newTokenSecret } from "../auth/tokens";
import { recordAudit, type Actor } from "../audit/audit";
import { orgTrainQueue, train, trainGpu, type ResourceClass } from "../jobs/definitions";
import type { WorkerTokenDto } from "./schemas";

const adminEmails = () =>
  new Set((process.env.CAIRN_ADMIN_EMAILS ?? "").split(",").map((e) => e.trim().toLowerCase()).filter(Boolean));

/** Installation admins: the flag on the user (the seeded demo owner) or an address in CAIRN_ADMIN_EMAILS. */
export async function isInstallationAdmin(userId: string): Promise<boolean> {
  const user = await db().user.findUnique({ where: { id: userId }, select: { email: true, isInstallationAdmin: true } });
  return user !== null && (user.isInstallationAdmin || adminEmails().has(user.email.toLowerCase()));
}

async function requireInstallationAdmin(userId: string): Promise<void> {
  if (!(await isInstallationAdmin(userId))) throw new AppError("FORBIDDEN", "Only an installation admin may change which organisations use the shared workers");
}

const everyOrgAllowed = () => process.env.CAIRN_SHARED_COMMANDS === "all";

/** Whether the shared workers run this organisation's training commands. */
export async function sharedCommandsAllowed(orgId: string, tx: Tx = db()): Promise<boolean> {
  if (everyOrgAllowed()) return true;
  const org = await tx.organization.findUnique({ where: { id: orgId }, select: { sharedCommandsAllowed: true } });
  return org?.sharedCommandsAllowed === true;
}

/** The queue a training run goes to: the organisation's own pool for a command it may not run on the shared workers. */
export async function trainingQueue(args: { orgId: string; trainer: string; resource: ResourceClass }): Promise<string> {
  if (args.trainer === "command" && !(await sharedCommandsAllowed(args.orgId))) return orgTrainQueue(args.orgId, args.resource);
  return args.resource === "gpu" ? trainGpu.name : train.name;
}

/**
 * Checked by the worker before it runs a command (the queue routing is the first line; this one also
 * covers runs queued before an admin withdrew the permission, and a worker subscribed by mistake).
 */
export async function assertPoolMayRunCommand(args: { projectId: string; workerOrgId: string | null; hostname: string }): Promise<void> {
  const project = await db().project.findUniqueOrThrow({ where: { id: args.projectId }, select: { orgId: true } });
  if (args.workerOrgId !== null) {
    if (args.workerOrgId !== project.orgId) throw new AppError("FORBIDDEN", `Worker ${args.hostname} serves another organisation's pool`);
    return;
  }
  if (!(await sharedCommandsAllowed(project.orgId))) {
    throw new AppError("FORBIDDEN", "The installation's shared workers do not run this organisation's training commands; start a worker with one of the organisation's worker tokens, or ask an installation admin");
  }
}

/** Where an organisation's commands run, and whether the caller may change it. */
export async function orgPool(orgId: string, userId: string | null) {
  return { sharedCommandsAllowed: await sharedCommandsAllowed(orgId), installationAdmin: userId !== null && (await isInstallationAdmin(userId)) };
}

/** Organisations the caller belongs to: whose own workers the caller may see. */
export async function visibleOrgIds(identity: { kind: "user"; userId: string } | { kind: "token"; orgId: string }): Promise<string[]> {
  if (identity.kind === "token") return [identity.orgId];
  return (await db().membership.findMany({ where: { userId: identity.userId }, select: { orgId: true } })).map((m) => m.orgId);
}

/** Every organisation with its shared-pool permission, for installation admins. */
export async function listOrgPools(actorUserId: string) {
  await requireInstallationAdmin(actorUserId);
  const orgs = await db().organization.findMany({ orderBy: { name: "asc" }, select: { id: true, slug: true, name: true, sharedCommandsAllowed: true } });
  // Each organisation's own setting; CAIRN_SHARED_COMMANDS=all overrides them all while it is set.
  return { allByInstallation: everyOrgAllowed(), orgs };
}

/** Allows or withdraws an organisation's use of the shared workers for its commands. Installation admins only. */
export async function setSharedCommands(args: { orgId: string; allowed: boolean; actorUserId: string; actor: Actor }) {
  await requireInstallationAdmin(args.actorUserId);
  return db().$transaction(async (tx) => {
    const org = await tx.organization.findUnique({ where: { id: args.orgId } });
    if (!org) throw notFound("Organization");
    const updated = await tx.organization.update({ where: { id: org.id }, data: { sharedCommandsAllowed: args.allowed } });
    await recordAudit(tx, {
      orgId: org.id,
      actor: args.actor,
      action: "org.shared-commands",
      target: { type: "org", id: org.id, label: org.slug },
      before: { sharedCommandsAllowed: org.sharedCommandsAllowed },
      after: { sharedCommandsAllowed: args.allowed },
    });
    return { id: updated.id, slug: updated.slug, name: updated.name, sharedCommandsAllowed: updated.sharedCommandsAllowed };
  });
}

type TokenRow = { id: string; name: string; prefix: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null };
const toDto = (t: TokenRow): WorkerTokenDto => ({ id: t.id, name: t.name, prefix: t.prefix, createdAt: t.createdAt, lastUsedAt: t.lastUsedAt, revokedAt: t.revokedAt });

export async function listWorkerTokens(orgId: string): Promise<WorkerTokenDto[]> {
  return (await db().workerToken.findMany({ where: { orgId }, orderBy: { createdAt: "desc" } })).map(toDto);
}

/** A worker token for the organisation's own pool; its secret is returned here once, only its hash is kept. */
export async function createWorkerToken(args: { orgId: string; name: string; actor: Actor }): Promise<{ token: WorkerTokenDto; secret: string }> {
  return db().$transaction(async (tx) => {
    const { secret, hash, prefix } = newTokenSecret();
    const token = await tx.workerToken.create({
      data: { orgId: args.orgId, name: args.name, prefix, secretHash: hash, createdById: args.actor.type === "user" ? args.actor.id : null },
    });
    await recordAudit(tx, { orgId: args.orgId, actor: args.actor, action: "worker-token.create", target: { type: "worker-token", id: token.id, label: token.name } });
    return { token: toDto(token), secret };
  });
}

export async function revokeWorkerToken(args: { orgId: string; tokenId: string; actor: Actor }): Promise<WorkerTokenDto> {
  return db().$transaction(async (tx) => {
    const token = await tx.workerToken.findFirst({ where: { id: args.tokenId, orgId: args.orgId } });
    if (!token) throw notFound("Worker token");
    if (token.revokedAt) return toDto(token);
    const revoked = await tx.workerToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, { orgId: args.orgId, actor: args.actor, action: "worker-token.revoke", target: { type: "worker-token", id: token.id, label: token.name } });
    return toDto(revoked);
  });
}

/** The organisation a worker token serves, or null when it is unknown or revoked. */
export async function resolveWorkerToken(secret: string): Promise<{ tokenId: string; orgId: string } | null> {
  if (secret.length > 200) return null;
  const token = await db().workerToken.findUnique({ where: { secretHash: hashToken(secret) } });
  if (!token || token.revokedAt) return null;
  await db().workerToken.update({ where: { id: token.id }, data: { lastUsedAt: new Date() } });
  return { tokenId: token.id, orgId: token.orgId };
}

/** The workers a caller may see, with host details only for installation admins and the caller's own pools. */
export async function visibleWorkers(identity: { kind: "user"; userId: string } | { kind: "token"; orgId: string }, includeOffline: boolean) {
  const [orgIds, admin] = await Promise.all([visibleOrgIds(identity), identity.kind === "user" ? isInstallationAdmin(identity.userId) : false]);
  return listWorkers(includeOffline, orgIds, admin);
}
