import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import { AppError, appErrorFromDb, INTERNAL_MESSAGE } from "../errors";
import { ZId } from "../lib/ids";
import { actorOf } from "../tenancy/access";
import { authorizeOrg, authorizeProject, rateLimitedMessage, type OrgPolicy, type ProjectPolicy } from "./authorize";
import type { Role } from "../tenancy/schemas";
import type { Context } from "./context";

/** Deeper input is refused: no input schema nests this far, and recursive code downstream would overflow. */
const MAX_INPUT_DEPTH = 64;

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const zod = error.cause instanceof ZodError ? error.cause : null;
    return {
      ...shape,
      message: zod
        ? zod.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ")
        : // An unexpected error's text may hold SQL, table names or values: it goes to the log, never to the caller.
          error.code === "INTERNAL_SERVER_ERROR"
          ? INTERNAL_MESSAGE
          : // Parsing an input nested hundreds of thousands deep overflows the stack before any check runs.
            error.cause instanceof RangeError
            ? `input: nested more than ${MAX_INPUT_DEPTH} levels deep`
            : shape.message,
      // A service's structured details (e.g. the located problems of a refused cairn.yaml) reach the UI as data.details.
      data: { ...shape.data, stack: undefined, zodError: zod ? z.flattenError(zod) : null, ...(error.cause instanceof AppError && error.cause.details ? { details: error.cause.details } : {}) },
    };
  },
});

/**
 * Maps service errors, and database errors that the input caused, to tRPC errors (the same mapping
 * as /api/v1); unknown errors stay INTERNAL_SERVER_ERROR and the formatter hides their text.
 */
const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.code === "INTERNAL_SERVER_ERROR") {
    const mapped = appErrorFromDb(result.error.cause);
    if (mapped) throw new TRPCError({ code: mapped.code, message: mapped.message, cause: mapped });
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
  if (typeof value !== "object" || value === null) return null;
  if (depth > MAX_INPUT_DEPTH) throw new TRPCError({ code: "BAD_REQUEST", message: `input: nested more than ${MAX_INPUT_DEPTH} levels deep` });
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

/**
 * A signed-in user or a valid API token. The caller is checked before anything reads the input:
 * tRPC parses the body lazily, so an anonymous request is refused without its body being read.
 */
export const protectedProcedure = t.procedure
  .use(appErrors)
  .use(({ ctx, next }) => {
    if (ctx.badToken) throw new TRPCError({ code: "UNAUTHORIZED", message: "The API token is unknown, revoked or expired" });
    if (!ctx.identity) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in or send an API token" });
    if (ctx.retryAfterSeconds) throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: rateLimitedMessage(ctx.retryAfterSeconds) });
    return next({ ctx: { identity: ctx.identity, actor: actorOf(ctx.identity, ctx.ip) } });
  })
  .use(noNulCharacters);

/** A signed-in user only: actions that automation must not take (creating organisations). */
export const userProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.identity.kind !== "user") throw new TRPCError({ code: "FORBIDDEN", message: "This action needs a signed-in user, not an API token" });
  return next({ ctx: { user: ctx.identity } });
});

/** Input carries `orgId`; the caller must belong to that org with at least `minRole`. */
export const orgProcedure = (minRole: Role, options: Omit<OrgPolicy, "minRole" | "runTokens"> = {}) =>
  protectedProcedure.input(z.object({ orgId: ZId })).use(async ({ ctx, input, next, path }) => {
    const access = await authorizeOrg(ctx.identity, input.orgId, { ...options, minRole }, path);
    return next({ ctx: { org: access.org, role: access.role, projectScope: access.projectScope } });
  });

/**
 * Input carries `projectId`; the caller must reach that project with at least `minRole`.
 * `runTokens` says what a training run's token may do here (see RunTokenRule).
 */
export const projectProcedure = (minRole: Role, options: Omit<ProjectPolicy, "minRole"> = {}) =>
  protectedProcedure.input(z.object({ projectId: ZId })).use(async ({ ctx, input, next, path, getRawInput }) => {
    const runId = options.runTokens === "own-run" ? ((await getRawInput()) as { runId?: unknown } | undefined)?.runId : undefined;
    const access = await authorizeProject(ctx.identity, input.projectId, { ...options, minRole }, { what: path, runId });
    return next({ ctx: { org: access.org, project: access.project, role: access.role } });
  });
