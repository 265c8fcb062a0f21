import { db } from "../db";
import { AppError, notFound } from "../errors";
import type { Actor } from "../audit/audit";
import type { TokenIdentity } from "../auth/tokens";
import { roleAtLeast, type Role } from "./schemas";

export interface UserIdentity {
  kind: "user";
  userId: string;
  email: string;
  name: string;
  /** The server-side session the request came with (absent for identities made in tests and scripts). */
  sessionId?: string;
}

/** Who is calling: a signed-in user or an API token. Anonymous callers never reach services. */
export type Identity = UserIdentity | TokenIdentity;

export function actorOf(identity: Identity, ip: string | null = null): Actor {
  return identity.kind === "user"
    ? { type: "user", id: identity.userId, label: identity.email, ip }
    : { type: "token", id: identity.tokenId, label: identity.label, ip };
}

export interface OrgRef {
  id: string;
  slug: string;
  name: string;
}

export interface OrgAccess {
  org: OrgRef;
  role: Role;
  /** Set when the caller is a project-scoped token: it may only see this project. */
  projectScope: string | null;
}

export interface ProjectAccess extends OrgAccess {
  project: { id: string; slug: string; name: string; orgId: string };
}

/**
 * The caller's access to an organisation. Another tenant's org and a missing org look the same
 * (NOT_FOUND), so that ids reveal nothing.
 */
export async function resolveOrgAccess(identity: Identity, orgId: string): Promise<OrgAccess> {
  if (identity.kind === "token") {
    if (identity.orgId !== orgId) throw notFound("Organisation");
    const org = await db().organization.findUnique({ where: { id: orgId }, select: { id: true, slug: true, name: true } });
    if (org === null) throw notFound("Organisation");
    return { org, role: identity.role, projectScope: identity.projectId };
  }
  const membership = await db().membership.findFirst({
    where: { orgId, userId: identity.userId },
    select: { role: true, org: { select: { id: true, slug: true, name: true } } },
  });
  if (membership === null) throw notFound("Organisation");
  return { org: membership.org, role: membership.role, projectScope: null };
}

export async function resolveProjectAccess(identity: Identity, projectId: string): Promise<ProjectAccess> {
  const project = await db().project.findUnique({
    where: { id: projectId },
    select: { id: true, slug: true, name: true, orgId: true },
  });
  if (project === null) throw notFound("Project");
  const access = await resolveOrgAccess(identity, project.orgId).catch((err: unknown) => {
    throw err instanceof AppError && err.code === "NOT_FOUND" ? notFound("Project") : err;
  });
  if (access.projectScope !== null && access.projectScope !== project.id) throw notFound("Project");
  return { ...access, project };
}

export function requireRole(role: Role, min: Role, what = "this action"): void {
  if (!roleAtLeast(role, min)) throw new AppError("FORBIDDEN", `Your role (${role}) cannot perform ${what}; it needs ${min} or higher.`);
}
