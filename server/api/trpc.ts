import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import { AppError } from "../errors";
import { ZId } from "../lib/ids";
import { actorOf, requireRole, resolveOrgAccess, resolveProjectAccess } from "../tenancy/access";
import type { Role } from "../tenancy/schemas";
import type { Context } from "./context";

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const zod = error.cause instanceof ZodError ? error.cause : null;
    return {
      ...shape,
      message: zod ? zod.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ") : shape.message,
      data: { ...shape.data, stack: undefined, zodError: zod ? z.flattenError(zod) : null },
    };
  },
});

/** Maps service errors to tRPC errors; unknown errors stay INTERNAL_SERVER_ERROR without details. */
const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    throw new TRPCError({ code: result.error.cause.code, message: result.error.cause.message, cause: result.error.cause });
  }
  return result;
});

/**
 * Where the first string holding a NUL character is, or null; PostgreSQL stores NUL in neither text
 * nor jsonb. Runs on every input, metric batches of 10,000 points included, so it allocates nothing
 * until it finds one.
 */
function nulPath(value: unknown, depth = 0): string[] | null {
  if (typeof value === "string") return value.includes("\u0000") ? [] : null;
  if (typeof value !== "object" || value === null || depth > 32) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulPath(value[i], depth + 1);
      if (found) return [String(i), ...found];
    }
    return null;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const found = nulPath(record[key], depth + 1);
    if (found) return [key, ...found];
  }
  return null;
}

/** Refuses NUL characters in any input string as bad input, before they reach a query as a database error. */
const noNulCharacters = t.middleware(async ({ getRawInput, next }) => {
  const found = nulPath(await getRawInput());
  if (found) throw new TRPCError({ code: "BAD_REQUEST", message: `${found.join(".") || "input"}: must not contain NUL characters` });
  return next();
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.use(appErrors).use(noNulCharacters);

/** A signed-in user or a valid API token. */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (ctx.badToken) throw new TRPCError({ code: "UNAUTHORIZED", message: "The API token is unknown, revoked or expired" });
  if (!ctx.identity) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in or send an API token" });
  return next({ ctx: { identity: ctx.identity, actor: actorOf(ctx.identity, ctx.ip) } });
});

/** A signed-in user only: actions that automation must not take (creating organisations). */
export const userProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.identity.kind !== "user") throw new TRPCError({ code: "FORBIDDEN", message: "This action needs a signed-in user, not an API token" });
  return next({ ctx: { user: ctx.identity } });
});

interface OrgOptions {
  /** Project-scoped tokens may call it (the procedure narrows results to the token's project). */
  allowProjectTokens?: boolean;
}

const RUN_TOKEN_REFUSED = "A run's token can only log to that run and read its project's data";

/** Input carries `orgId`; the caller must belong to that org with at least `minRole`. */
export const orgProcedure = (minRole: Role, options: OrgOptions = {}) =>
  protectedProcedure.input(z.object({ orgId: ZId })).use(async ({ ctx, input, next, path }) => {
    const access = await resolveOrgAccess(ctx.identity, input.orgId);
    if (ctx.identity.kind === "token" && ctx.identity.runId !== null) throw new AppError("FORBIDDEN", RUN_TOKEN_REFUSED);
    if (access.projectScope !== null && !options.allowProjectTokens) {
      throw new AppError("FORBIDDEN", "A project-scoped token cannot act on the whole organisation");
    }
    requireRole(access.role, minRole, path);
    return next({ ctx: { org: access.org, role: access.role, projectScope: access.projectScope } });
  });

interface ProjectOptions {
  /**
   * What the short-lived token of a training run (minted for its command) may do here: "own-run"
   * for procedures whose input names that run, "read" for reads of its project. Refused otherwise.
   */
  runTokens?: "own-run" | "read";
}

/** Input carries `projectId`; the caller must reach that project with at least `minRole`. */
export const projectProcedure = (minRole: Role, options: ProjectOptions = {}) =>
  protectedProcedure.input(z.object({ projectId: ZId })).use(async ({ ctx, input, next, path, getRawInput }) => {
    const access = await resolveProjectAccess(ctx.identity, input.projectId);
    if (ctx.identity.kind === "token" && ctx.identity.runId !== null) {
      const raw = (await getRawInput()) as { runId?: unknown } | undefined;
      const ownRun = options.runTokens === "own-run" && raw?.runId === ctx.identity.runId;
      if (!ownRun && options.runTokens !== "read") throw new AppError("FORBIDDEN", RUN_TOKEN_REFUSED);
    }
    requireRole(access.role, minRole, path);
    return next({ ctx: { org: access.org, project: access.project, role: access.role } });
  });
