import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createContext } from "@/server/api/context";
import { chargeCaller } from "@/server/api/authorize";
import { trpcBodyLimit, withBodyLimit } from "@/server/api/body-limit";
import { appRouter } from "@/server/api/root";

export const dynamic = "force-dynamic";

/**
 * The caller is resolved from headers before any procedure runs, and procedures read their input
 * only after the caller passed (see protectedProcedure), so an anonymous body is never parsed; the
 * body of any caller is capped per procedure (413 beyond the limit). Identified callers are charged
 * one request per call of a batch against their rate limit (429 with Retry-After beyond it).
 */
const handler = (req: Request) => {
  const { pathname } = new URL(req.url);
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: withBodyLimit(req, trpcBodyLimit(pathname)),
    router: appRouter,
    // The browser client sends a query with a long input (a pipeline YAML to validate) as a POST.
    allowMethodOverride: true,
    createContext: async () => {
      const ctx = await createContext({ headers: req.headers });
      const calls = pathname.slice("/api/trpc/".length).split(",").length;
      return ctx.identity ? { ...ctx, retryAfterSeconds: chargeCaller(ctx.identity, calls) } : ctx;
    },
    responseMeta({ ctx, errors }) {
      const wait = ctx?.retryAfterSeconds;
      return wait && errors.some((e) => e.code === "TOO_MANY_REQUESTS") ? { headers: new Headers({ "retry-after": String(wait) }) } : {};
    },
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`[trpc] ${path ?? "?"}:`, error.cause ?? error);
    },
  });
};

export { handler as GET, handler as POST };
