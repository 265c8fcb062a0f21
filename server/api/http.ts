import { ZodError, z } from "zod";
import { AppError, HTTP_STATUS } from "../errors";
import { bearerFrom, verifyBearer } from "../auth/tokens";
import { currentUser } from "../auth/next-auth";
import { clientIp } from "../lib/http";
import { actorOf, type Identity } from "../tenancy/access";
import type { Actor } from "../audit/audit";

/** JSON error body of every /api/v1 endpoint. */
export interface ApiErrorBody {
  error: { code: string; message: string; issues?: unknown };
}

export function jsonError(status: number, code: string, message: string, issues?: unknown): Response {
  const body: ApiErrorBody = { error: { code, message, ...(issues ? { issues } : {}) } };
  return Response.json(body, { status });
}

export interface ApiCaller {
  identity: Identity;
  actor: Actor;
}

/** Resolves the caller of a /api/v1 request: bearer token first, else the session cookie. */
export async function apiCaller(req: Request): Promise<ApiCaller> {
  const bearer = bearerFrom(req.headers);
  const identity = bearer !== undefined ? (bearer ? await verifyBearer(bearer) : null) : await currentUser();
  if (!identity) {
    throw new AppError("UNAUTHORIZED", bearer !== undefined ? "The API token is unknown, revoked or expired" : "Sign in or send an API token");
  }
  return { identity, actor: actorOf(identity, clientIp(req.headers)) };
}

/** Wraps a /api/v1 handler: service errors and bad input become 4xx JSON, never an HTML 500. */
export function apiRoute<C>(handler: (req: Request, ctx: C) => Promise<Response>) {
  return async (req: Request, ctx: C): Promise<Response> => {
    try {
      return await handler(req, ctx);
    } catch (err) {
      if (err instanceof AppError) return jsonError(HTTP_STATUS[err.code], err.code, err.message);
      // Postgres refuses NUL characters and invalid byte sequences in text: the input is at fault.
      const pgCode = (err as { code?: unknown; cause?: { code?: unknown } }).code ?? (err as { cause?: { code?: unknown } }).cause?.code;
      if (pgCode === "22021" || pgCode === "22P05") return jsonError(400, "BAD_REQUEST", "The request contains characters that cannot be stored (e.g. NUL)");
      if (err instanceof ZodError) {
        return jsonError(400, "BAD_REQUEST", err.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "), z.flattenError(err));
      }
      console.error(`[api] ${req.method} ${new URL(req.url).pathname}:`, err);
      return jsonError(500, "INTERNAL_SERVER_ERROR", "Something went wrong on our side");
    }
  };
}

/**
 * Resolves `{project}` in a /api/v1 path: a project id, or a project slug within the token's
 * organisation (or the `org` query parameter's). Other tenants' projects are NOT_FOUND.
 */
export async function projectFromPath(caller: ApiCaller, projectParam: string, orgSlug: string | null) {
  const { findProjectIdBySlugs } = await import("../tenancy/projects");
  const { resolveProjectAccess } = await import("../tenancy/access");
  const { db } = await import("../db");
  let projectId = projectParam;
  const byId = await db().project.findUnique({ where: { id: projectParam }, select: { id: true } });
  if (!byId) {
    const org =
      orgSlug ?? (caller.identity.kind === "token" ? (await db().organization.findUnique({ where: { id: caller.identity.orgId } }))?.slug ?? null : null);
    if (!org) throw new AppError("NOT_FOUND", "Project not found (use its id, or its slug with ?org=<organisation slug>)");
    projectId = (await findProjectIdBySlugs(org, projectParam)) ?? "";
    if (!projectId) throw new AppError("NOT_FOUND", "Project not found");
  }
  return resolveProjectAccess(caller.identity, projectId);
}

/**
 * What a training run's token may do over /api/v1: read its project's data, and write only
 * under its own run. Other callers pass untouched.
 */
export function checkRunToken(caller: ApiCaller, scope: { read: true } | { runId: string } | { write: true }): void {
  if (caller.identity.kind !== "token" || caller.identity.runId === null) return;
  if ("read" in scope) return;
  if ("runId" in scope && scope.runId === caller.identity.runId) return;
  throw new AppError("FORBIDDEN", "A run's token can only write to that run");
}
