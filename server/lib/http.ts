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
