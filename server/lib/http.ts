import { AppError } from "../errors";
import { chunksOf } from "./streams";

/** Set by the web process (scripts/web-server.ts) from the socket, or from X-Forwarded-For behind a trusted proxy. */
export const CLIENT_IP_HEADER = "x-cairn-client-ip";

/**
 * The client's address as the web process determined it. Client-sent X-Forwarded-For is not read
 * here: it would let a client choose its address and dodge per-address throttling.
 */
export function clientIp(headers: Headers | Record<string, string | string[] | undefined> | undefined): string {
  if (!headers) return "unknown";
  const value = headers instanceof Headers ? headers.get(CLIENT_IP_HEADER) : headers[CLIENT_IP_HEADER];
  return (Array.isArray(value) ? value[0] : value) || "unknown";
}

/** A request body's bytes: 413 past `limit` bytes (declared or read), read no further than that. */
export async function bodyBytes(req: Request, limit: number): Promise<Buffer> {
  const tooLarge = () => new AppError("PAYLOAD_TOO_LARGE", `The request body is larger than this endpoint accepts (${Math.round(limit / 1024)} KiB)`);
  if (Number(req.headers.get("content-length") ?? NaN) > limit) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let seen = 0;
  if (req.body) {
    for await (const chunk of chunksOf(req.body)) {
      seen += chunk.byteLength;
      if (seen > limit) throw tooLarge();
      chunks.push(chunk);
    }
  }
  return Buffer.concat(chunks);
}

/** A request body as text: 413 past `limit` bytes (declared or read), read no further than that. */
export async function bodyText(req: Request, limit: number): Promise<string> {
  return (await bodyBytes(req, limit)).toString("utf8");
}

/** Text parsed as JSON, or 400 saying what to send. */
export function parseJsonText(text: string, hint = "The request body must be JSON"): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("BAD_REQUEST", hint);
  }
}
