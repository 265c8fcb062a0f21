import { httpBatchLink, httpLink, splitLink, type TRPCLink } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "@/server/api/root";

/** Characters of JSON input beyond which a query is sent as a POST body instead of in the URL. */
export const LONG_QUERY_INPUT = 2_000;

/**
 * The browser's tRPC links. A query whose input would make a long URL (a pipeline's YAML being
 * validated) goes as a POST, which the route allows (allowMethodOverride): servers refuse request
 * lines over 16 KB. The rest are batched GETs.
 */
export function browserLinks(url: string, headers?: Record<string, string>): TRPCLink<AppRouter>[] {
  return [
    splitLink({
      condition: (op) => op.type === "query" && JSON.stringify(op.input ?? null).length > LONG_QUERY_INPUT,
      true: httpLink({ url, transformer: superjson, methodOverride: "POST", headers }),
      false: httpBatchLink({ url, transformer: superjson, maxURLLength: 8_000, headers }),
    }),
  ];
}
