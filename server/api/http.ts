import { ZodError, z } from "zod";
import { AppError, appErrorFromDb, HTTP_STATUS, INTERNAL_MESSAGE, type AppErrorDetails } from "../errors";
import { bearerFrom, verifyApiBearer } from "../auth/tokens";
import { currentUser } from "../auth/next-auth";
import { clientIp } from "../lib/http";
import { actorOf, type Identity, type OrgAccess, type ProjectAccess } from "../tenancy/access";
import { authorizeOrg, authorizeProject, chargeCaller, projectIdFromPath, rateLimitedMessage, type OrgPolicy, type ProjectPolicy } from "./authorize";
import type { Actor } from "../audit/audit";
import { bodyText, parseJsonText } from "../lib/http";
import { TRPC_BODY_LIMIT } from "./body-limit";

/** JSON error body of every /api/v1 endpoint. */
export interface ApiErrorBody {
  /** Plus the AppError's details, if any (e.g. `problems` of a refused cairn.yaml). */
  error: { code: string; message: string; issues?: unknown; [detail: string]: unknown };
}

export function jsonError(status: number, code: string, message: string, issues?: unknown, details?: AppErrorDetails): Response {
  const body: ApiErrorBody = { error: { ...details, code, message, ...(issues ? { issues } : {}) } };
  return Response.json(body, { status });
}

export interface ApiCaller {
  identity: Identity;
  actor: Actor;
}

/** Resolves the caller of a /api/v1 request: bearer token first, else the session cookie. */
export async function apiCaller(req: Request): Promise<ApiCaller> {
  const bearer = bearerFrom(req.headers);
  const identity = bearer !== undefined ? (bearer ? await verifyApiBearer(bearer) : null) : await currentUser();
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
      return errorResponse(req, err);
    }
  };
}

/** The one JSON error answer of /api/v1; database and unexpected errors never show their text. */
export function errorResponse(req: Request, err: unknown): Response {
  if (err instanceof ZodError) {
    return jsonError(400, "BAD_REQUEST", err.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "), z.flattenError(err));
  }
  const mapped = appErrorFromDb(err);
  if (mapped) return jsonError(HTTP_STATUS[mapped.code], mapped.code, mapped.message, undefined, mapped.details);
  console.error(`[api] ${req.method} ${new URL(req.url).pathname}:`, err);
  return jsonError(500, "INTERNAL_SERVER_ERROR", INTERNAL_MESSAGE);
}

type RouteContext<P> = { params: Promise<P> };

/** A /api/v1 handler for any authenticated caller (user session or API token). */
export function authedRoute<P = Record<string, never>>(handler: (req: Request, c: { caller: ApiCaller; params: P }) => Promise<Response>) {
  return apiRoute(async (req: Request, ctx: RouteContext<P>) => {
    const caller = await apiCaller(req);
    const wait = chargeCaller(caller.identity);
    if (wait > 0) {
      const res = jsonError(429, "TOO_MANY_REQUESTS", rateLimitedMessage(wait));
      res.headers.set("retry-after", String(wait));
      return res;
    }
    return handler(req, { caller, params: await ctx.params });
  });
}

/**
 * A /api/v1 handler on an organisation, authorised by the same policy as `orgProcedure`. `orgId`
 * reads the organisation from the request (path or query); it may throw a ZodError (400).
 */
export function orgRoute<P = Record<string, never>>(
  policy: OrgPolicy & { what: string; orgId: (req: Request, params: P) => string },
  handler: (req: Request, c: { caller: ApiCaller; access: OrgAccess; params: P }) => Promise<Response>,
) {
  return authedRoute<P>(async (req, { caller, params }) => {
    const access = await authorizeOrg(caller.identity, policy.orgId(req, params), policy, policy.what);
    return handler(req, { caller, access, params });
  });
}

/**
 * A /api/v1 handler under `projects/{project}`, authorised by the same policy as
 * `projectProcedure`: the caller first (401 before anything else is read), then the project from the
 * path (id, or slug with `?org=`), role and run-token rules ("own-run" compares the `{run}` segment).
 */
export function projectRoute<P extends { project: string; run?: string }>(
  policy: ProjectPolicy & { what: string },
  handler: (req: Request, c: { caller: ApiCaller; access: ProjectAccess; params: P }) => Promise<Response>,
) {
  return authedRoute<P>(async (req, { caller, params }) => {
    const projectId = await projectIdFromPath(caller.identity, params.project, new URL(req.url).searchParams.get("org"));
    const access = await authorizeProject(caller.identity, projectId, policy, { what: policy.what, runId: params.run });
    return handler(req, { caller, access, params });
  });
}

/** Bodies of command endpoints (approve, promote, rollback) hold a comment or a reason: 64 KiB is plenty. */
export const COMMAND_BODY_LIMIT = 64 * 1024;

/**
 * A JSON request body parsed with `schema`: 413 past `limit` bytes, 400 for text that is not JSON or
 * a value the schema refuses (its issues in the error body). With `emptyAs`, an empty body reads as
 * that value, so commands whose fields are all optional (approve, rollback) need no body.
 */
export async function jsonBody<S extends z.ZodType>(req: Request, schema: S, opts: { limit?: number; emptyAs?: unknown } = {}): Promise<z.output<S>> {
  const text = await bodyText(req, opts.limit ?? TRPC_BODY_LIMIT);
  if (opts.emptyAs !== undefined && text.trim() === "") return schema.parse(opts.emptyAs);
  return schema.parse(parseJsonText(text, "The request body must be JSON (Content-Type: application/json)"));
}
