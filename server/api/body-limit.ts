import { TRPCError } from "@trpc/server";

const MiB = 1024 * 1024;

/** Default request-body limit of a tRPC call; every input schema of the API fits well inside it. */
export const TRPC_BODY_LIMIT = MiB;

/**
 * Procedures whose inputs are legitimately large. A full metric batch (10,000 points with 250-character
 * keys) is about 3.5 MB of JSON; run parameters may hold 2,000 values of up to 6,000 characters.
 * File uploads do not go through tRPC: the streaming /api/v1 endpoints have their own limits.
 */
const LARGE_BODIES: Record<string, number> = {
  "run.logMetrics": 16 * MiB,
  "run.logParams": 16 * MiB,
};

/** The body limit of a tRPC request path (`/api/trpc/a.b` or a batch `/api/trpc/a.b,c.d`): the largest of its calls'. */
export function trpcBodyLimit(pathname: string): number {
  let paths: string[];
  try {
    paths = decodeURIComponent(pathname.replace(/^\/api\/trpc\/?/, "")).split(",");
  } catch {
    return TRPC_BODY_LIMIT; // a malformed path names no procedure; tRPC answers it
  }
  return Math.max(TRPC_BODY_LIMIT, ...paths.map((p) => LARGE_BODIES[p] ?? 0));
}

export const tooLarge = (limit: number) =>
  new TRPCError({ code: "PAYLOAD_TOO_LARGE", message: `The request body is larger than this endpoint accepts (${Math.round(limit / 1024)} KiB)` });

/**
 * The request with its body capped at `limit` bytes: reading past it (or a declared Content-Length
 * above it) fails with PAYLOAD_TOO_LARGE, which tRPC answers as 413 JSON. Nothing is read until
 * something asks for the body, so a refused caller's body is never read at all.
 */
export function withBodyLimit(req: Request, limit: number): Request {
  if (!req.body) return req;
  const declared = Number(req.headers.get("content-length") ?? NaN);
  const source = req.body;
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  let seen = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (declared > limit) return controller.error(tooLarge(limit));
        reader ??= source.getReader();
        const { done, value } = await reader.read();
        if (done) return controller.close();
        seen += value.byteLength;
        if (seen > limit) {
          await reader.cancel().catch(() => undefined);
          return controller.error(tooLarge(limit));
        }
        controller.enqueue(value);
      },
      cancel(reason) {
        return (reader ?? source).cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return new Request(req, { body, duplex: "half" } as RequestInit);
}
