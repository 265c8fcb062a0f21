/**
 * The one access policy of Cairn's API: tRPC procedures (`orgProcedure`/`projectProcedure`) and
 * /api/v1 route handlers (`orgRoute`/`projectRoute`) both authorise through these functions, so a
 * rule (role order, project-scoped tokens, what a training run's token may do) lives in one place.
 */
import { db } from "../db";
import { AppError, notFound } from "../errors";
import { ZId } from "../lib/ids";
import { requireRole, resolveOrgAccess, resolveProjectAccess, type Identity, type OrgAccess, type ProjectAccess } from "../tenancy/access";
import { findProjectIdBySlugs } from "../tenancy/projects";
import { chargeApiCall } from "../lib/rate-limit";
import type { Role } from "../tenancy/schemas";

/**
 * What the short-lived token of a training run (minted for its command) may do: "own-run" where the
 * request names that run, "read" for reads of its project. Refused everywhere else.
 */
export type RunTokenRule = "own-run" | "read";

export interface OrgPolicy {
  minRole: Role;
  /** Project-scoped tokens may call it (the handler narrows results to the token's project). */
  allowProjectTokens?: boolean;
  /** A run's token may read here (only its own project's rows are visible to it). */
  runTokens?: "read";
}

export interface ProjectPolicy {
  minRole: Role;
  runTokens?: RunTokenRule;
}

const RUN_TOKEN_REFUSED = "A run's token can only log to that run and read its project's data";

function isRunToken(identity: Identity): boolean {
  return identity.kind === "token" && identity.runId !== null;
}

/** The caller's access to an organisation under `policy`; NOT_FOUND for other tenants, FORBIDDEN for a low role. */
export async function authorizeOrg(identity: Identity, orgId: string, policy: OrgPolicy, what = "this action"): Promise<OrgAccess> {
  const access = await resolveOrgAccess(identity, orgId);
  if (isRunToken(identity) && policy.runTokens !== "read") throw new AppError("FORBIDDEN", RUN_TOKEN_REFUSED);
  if (access.projectScope !== null && !policy.allowProjectTokens) {
    throw new AppError("FORBIDDEN", "A project-scoped token cannot act on the whole organisation");
  }
  requireRole(access.role, policy.minRole, what);
  return access;
}

/**
 * The caller's access to a project under `policy`. `runId` is the run the request names (input or
 * path), checked against a run token's own run when the policy says "own-run".
 */
export async function authorizeProject(
  identity: Identity,
  projectId: string,
  policy: ProjectPolicy,
  opts: { what?: string; runId?: unknown } = {},
): Promise<ProjectAccess> {
  const access = await resolveProjectAccess(identity, projectId);
  if (identity.kind === "token" && identity.runId !== null) {
    const ownRun = policy.runTokens === "own-run" && opts.runId === identity.runId;
    if (!ownRun && policy.runTokens !== "read") throw new AppError("FORBIDDEN", RUN_TOKEN_REFUSED);
  }
  requireRole(access.role, policy.minRole, opts.what);
  return access;
}

// Looser than ZSlug (no reserved words, no length minimum): it only keeps junk such as NUL out of queries.
const SLUG_LIKE = /^[a-z0-9-]{1,64}$/;

/**
 * The project id a `{project}` path segment names: a project id, or a project slug within the
 * `org` query parameter's organisation (default: the token's). Unknown and foreign ones are NOT_FOUND.
 */
export async function projectIdFromPath(identity: Identity, projectParam: string, orgSlug: string | null): Promise<string> {
  // Anything that is neither an id nor a slug names no project; it never reaches a query.
  const asId = ZId.safeParse(projectParam).success;
  if (asId) {
    const byId = await db().project.findUnique({ where: { id: projectParam }, select: { id: true } });
    if (byId) return byId.id;
  }
  if (!SLUG_LIKE.test(projectParam)) throw notFound("Project");
  const org = orgSlug ?? (identity.kind === "token" ? ((await db().organization.findUnique({ where: { id: identity.orgId } }))?.slug ?? null) : null);
  if (!org) throw new AppError("NOT_FOUND", "Project not found (use its id, or its slug with ?org=<organisation slug>)");
  if (!SLUG_LIKE.test(org)) throw notFound("Project");
  const id = await findProjectIdBySlugs(org, projectParam);
  if (!id) throw notFound("Project");
  return id;
}

/**
 * Charges an identified API caller for `calls` requests against its rate limit (see
 * server/lib/rate-limit.ts): 0 when allowed, else the seconds to wait before retrying.
 */
export function chargeCaller(identity: Identity, calls = 1): number {
  return chargeApiCall(identity.kind === "user" ? `user:${identity.userId}` : `token:${identity.tokenId}`, calls);
}

export const rateLimitedMessage = (seconds: number) => `Too many requests; retry in ${seconds} s`;
