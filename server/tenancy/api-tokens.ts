import { db, type Tx } from "../db";
import { AppError, notFound } from "../errors";
import { newTokenSecret } from "../auth/tokens";
import { recordAudit, type Actor } from "../audit/audit";
import { roleAtLeast, type Role, type TokenDto } from "./schemas";

type TokenRow = {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  projectId: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  scope: string | null;
  deploymentId: string | null;
  project: { slug: string } | null;
  createdBy: { email: string } | null;
};

function toDto(t: TokenRow, now = new Date()): TokenDto {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    role: t.role,
    projectId: t.projectId,
    projectSlug: t.project?.slug ?? null,
    createdBy: t.createdBy?.email ?? null,
    createdAt: t.createdAt,
    expiresAt: t.expiresAt,
    lastUsedAt: t.lastUsedAt,
    revokedAt: t.revokedAt,
    state: t.revokedAt ? "revoked" : t.expiresAt && t.expiresAt <= now ? "expired" : "active",
    scope: t.scope === "predict" ? "predict" : null,
    deploymentId: t.deploymentId,
  };
}

/**
 * The member at the root of an actor's chain: the user themself, or the user behind a token (a token
 * made by a token inherits its creator's root). Null for the system and for a run's token.
 */
export async function rootUserOf(tx: Tx, actor: Actor): Promise<string | null> {
  if (actor.type === "user") return actor.id;
  if (actor.type !== "token" || actor.id === null) return null;
  const token = await tx.apiToken.findUnique({ where: { id: actor.id }, select: { rootUserId: true } });
  return token?.rootUserId ?? null;
}

const include = { project: { select: { slug: true } }, createdBy: { select: { email: true } } } as const;

/** Creates a token; its secret is returned here once and only its hash is kept. */
export async function createToken(args: {
  orgId: string;
  actor: Actor;
  actorRole: Role;
  actorProjectScope: string | null;
  name: string;
  role: Role;
  projectId?: string;
  expiresAt?: Date;
  scope?: "predict";
  deployment?: string;
}): Promise<{ token: TokenDto; secret: string }> {
  if (!roleAtLeast(args.actorRole, args.role)) {
    throw new AppError("FORBIDDEN", `A ${args.actorRole} cannot create a token with the ${args.role} role`);
  }
  if (args.actorProjectScope !== null && args.projectId !== args.actorProjectScope) {
    throw new AppError("FORBIDDEN", "A project-scoped token can only create tokens for its own project");
  }
  return db().$transaction(async (tx) => {
    if (args.projectId) {
      const project = await tx.project.findFirst({ where: { id: args.projectId, orgId: args.orgId }, select: { id: true } });
      if (!project) throw notFound("Project");
    }
    let deploymentId: string | null = null;
    if (args.deployment !== undefined) {
      const deployment = await tx.deployment.findFirst({ where: { projectId: args.projectId, name: args.deployment }, select: { id: true } });
      if (!deployment) throw notFound(`Deployment ${args.deployment}`);
      deploymentId = deployment.id;
    }
    const rootUserId = await rootUserOf(tx, args.actor);
    if (rootUserId === null) throw new AppError("FORBIDDEN", "This token has no member behind it and cannot create tokens");
    const { secret, hash, prefix } = newTokenSecret();
    const token = await tx.apiToken.create({
      data: {
        orgId: args.orgId,
        projectId: args.projectId ?? null,
        name: args.name,
        role: args.role,
        prefix,
        secretHash: hash,
        createdById: args.actor.type === "user" ? args.actor.id : null,
        rootUserId,
        expiresAt: args.expiresAt ?? null,
        scope: args.scope ?? null,
        deploymentId,
      },
      include,
    });
    await recordAudit(tx, {
      orgId: args.orgId,
      projectId: token.projectId,
      actor: args.actor,
      action: "token.create",
      target: { type: "token", id: token.id, label: `${token.name} (${token.prefix}…)` },
      after: { role: token.role, projectId: token.projectId, expiresAt: token.expiresAt?.toISOString() ?? null, ...(token.scope ? { scope: token.scope, deploymentId: token.deploymentId } : {}) },
    });
    return { token: toDto(token), secret };
  });
}

export async function listTokens(args: { orgId: string; includeRevoked: boolean; onlyProjectId: string | null }): Promise<TokenDto[]> {
  const rows = await db().apiToken.findMany({
    where: {
      orgId: args.orgId,
      runId: null,
      ...(args.includeRevoked ? {} : { revokedAt: null }),
      ...(args.onlyProjectId ? { projectId: args.onlyProjectId } : {}),
    },
    include,
    orderBy: { createdAt: "desc" },
  });
  const now = new Date();
  return rows.map((r) => toDto(r, now));
}

export async function revokeToken(args: { orgId: string; tokenId: string; actor: Actor; onlyProjectId: string | null }): Promise<TokenDto> {
  return db().$transaction(async (tx) => {
    const token = await tx.apiToken.findFirst({
      where: { id: args.tokenId, orgId: args.orgId, ...(args.onlyProjectId ? { projectId: args.onlyProjectId } : {}) },
      include,
    });
    if (!token) throw notFound("Token");
    if (token.revokedAt) return toDto(token);
    const revoked = await tx.apiToken.update({ where: { id: token.id }, data: { revokedAt: new Date() }, include });
    await recordAudit(tx, {
      orgId: args.orgId,
      projectId: token.projectId,
      actor: args.actor,
      action: "token.revoke",
      target: { type: "token", id: token.id, label: `${token.name} (${token.prefix}…)` },
      before: { state: "active" },
      after: { state: "revoked" },
    });
    return toDto(revoked);
  });
}
