import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createContext } from "@/server/api/context";
import { trpcBodyLimit, withBodyLimit } from "@/server/api/body-limit";
import { appRouter } from "@/server/api/root";

export const dynamic = "force-dynamic";

/**
 * The caller is resolved from headers before any procedure runs, and procedures read their input
 * only after the caller passed (see protectedProcedure), so an anonymous body is never parsed; the
 * body of any caller is capped per procedure (413 beyond the limit).
 */
const handler = (req: Request) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req: withBodyLimit(req, trpcBodyLimit(new URL(req.url).pathname)),
    router: appRouter,
    createContext: () => createContext({ headers: req.headers }),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`[trpc] ${path ?? "?"}:`, error.cause ?? error);
    },
  });

export { handler as GET, handler as POST };
