/**
 * POSTs an alert to a Slack or webhook URL. Rules (README "Alerts"):
 * - http(s) only; redirects are not followed (a redirect could lead anywhere the check below forbids);
 * - addresses of cloud metadata services and link-local networks are refused, checked on the address
 *   the connection actually uses (the DNS answer is checked inside the connection's own lookup, so a
 *   name cannot resolve to a harmless address for a check and to 169.254.169.254 for the request);
 *   private and loopback networks are allowed (on-premise receivers live there) unless
 *   CAIRN_ALERTS_BLOCK_PRIVATE=1, for installations where organisation admins must not probe the host's networks;
 * - one deadline for the whole exchange; the receiver's body is read (up to 64 KiB) but never shown,
 *   so the error an admin sees is a status line, not another server's content.
 */
import dns, { type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { env } from "../env";

export class SendError extends Error {
  override name = "SendError";
}

const METADATA_V4 = new Set(["100.100.100.200", "168.63.129.16"]);

function privateV4(a: number, b: number): boolean {
  return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
}

/** Why an address may not receive alerts, or null; `blockPrivate` also refuses private, loopback and shared networks. */
export function blockedAddress(ip: string, blockPrivate = env().CAIRN_ALERTS_BLOCK_PRIVATE === "1"): string | null {
  let v4 = net.isIPv4(ip) ? ip : null;
  const lower = ip.toLowerCase();
  // IPv4 inside IPv6 (::ffff:a.b.c.d, and the hex form URL parsing normalises it to: ::ffff:a9fe:a9fe).
  const dotted = /^::(?:ffff:)?(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  const hex = /^::(?:ffff:)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (dotted) v4 = dotted[1]!;
  else if (hex) {
    const [hi, lo] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
    v4 = `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  if (v4) {
    const [a, b] = v4.split(".").map(Number) as [number, number];
    if (a === 169 && b === 254) return "a link-local address (cloud metadata services live there)";
    if (a === 0) return "an unspecified address";
    if (METADATA_V4.has(v4)) return "a cloud metadata service address";
    if (blockPrivate && privateV4(a, b)) return "a private or loopback address (CAIRN_ALERTS_BLOCK_PRIVATE=1)";
    return null;
  }
  if (net.isIPv6(lower)) {
    if (/^fe[89ab][0-9a-f]:/.test(lower)) return "a link-local address (cloud metadata services live there)";
    if (lower === "fd00:ec2::254") return "a cloud metadata service address";
    if (lower === "::") return "an unspecified address";
    if (blockPrivate && (lower === "::1" || /^f[cd][0-9a-f]{2}:/.test(lower))) return "a private or loopback address (CAIRN_ALERTS_BLOCK_PRIVATE=1)";
  }
  return null;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

function guardedLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback): void {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const refused = addresses.map((a) => blockedAddress(a.address)).find((r) => r !== null);
    if (refused) return callback(new SendError(`the host resolves to ${refused}, which alerts may not be sent to`), []);
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first) return callback(new SendError("the host name has no address"), []);
    callback(null, first.address, first.family);
  });
}

/** Throws SendError when the URL may not receive alerts (scheme, literal address). */
export function checkTarget(url: string): URL {
  const u = new URL(url);
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new SendError("only http:// and https:// URLs can receive alerts");
  const host = u.hostname.replace(/^\[|\]$/g, "");
  if (net.isIP(host)) {
    const refused = blockedAddress(host);
    if (refused) throw new SendError(`the URL points at ${refused}, which alerts may not be sent to`);
  }
  if (host.toLowerCase() === "metadata.google.internal") throw new SendError("the URL points at a cloud metadata service, which alerts may not be sent to");
  return u;
}

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: "the connection was refused",
  ECONNRESET: "the connection was reset",
  ENOTFOUND: "the host name was not found",
  EAI_AGAIN: "the host name could not be resolved (DNS)",
  EHOSTUNREACH: "the host is unreachable",
  ENETUNREACH: "the network is unreachable",
  CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's TLS certificate is self-signed",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's TLS certificate does not match its name",
};

/** A message about a failed send that holds no URL, credential or response body. */
export function describeNetworkError(err: unknown): string {
  if (err instanceof SendError) return err.message;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === "string") return NETWORK_ERRORS[code] ?? `network error (${code})`;
  return "network error";
}

/** POSTs `body`; resolves on a 2xx answer, throws SendError otherwise. */
export async function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<void> {
  const target = checkTarget(url);
  const transport = target.protocol === "https:" ? https : http;
  await new Promise<void>((resolve, reject) => {
    const req = transport.request(
      target,
      {
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8", "content-length": String(Buffer.byteLength(body)), "user-agent": "Cairn-Alerts/1", ...headers },
        lookup: guardedLookup as unknown as typeof dns.lookup, // node's overloads; guardedLookup honours `all`
      },
      (res) => {
        let seen = 0;
        res.on("data", (chunk: Buffer) => {
          seen += chunk.length;
          if (seen > 64 * 1024) res.destroy();
        });
        res.on("error", () => undefined);
        res.on("close", () => {
          clearTimeout(timer);
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else if (status >= 300 && status < 400) reject(new SendError(`the receiver answered HTTP ${status} (redirects are not followed)`));
          else reject(new SendError(`the receiver answered HTTP ${status}${res.statusMessage ? ` ${res.statusMessage.slice(0, 60)}` : ""}`));
        });
        res.resume();
      },
    );
    const timer = setTimeout(() => req.destroy(new SendError(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    req.on("error", (err) => {
      clearTimeout(timer);
      reject(new SendError(describeNetworkError(err)));
    });
    req.end(body);
  });
}

/**
 * The same address rules for a host another client (nodemailer) connects to by itself: its addresses are
 * checked before the connection. (That client resolves the name again; the HTTP path above has no such gap.)
 */
export async function checkHost(host: string): Promise<void> {
  const bare = host.replace(/^\[|\]$/g, "");
  const addresses = net.isIP(bare) ? [bare] : (await dns.promises.lookup(bare, { all: true }).catch(() => [])).map((a) => a.address);
  const refused = addresses.map((a) => blockedAddress(a)).find((r) => r !== null);
  if (refused) throw new SendError(`the host resolves to ${refused}, which alerts may not be sent to`);
}
