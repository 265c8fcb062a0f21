/**
 * Headers the web process sets on every response (pages, API, static files); a route may still
 * replace one (artifact downloads answer `Content-Security-Policy: sandbox`).
 *
 * The policy allows inline scripts and styles: Next.js streams its page data as inline scripts and
 * Tremor styles charts inline; without per-request nonces those need 'unsafe-inline'. Everything is
 * still limited to Cairn's own origin, and no other site may frame Cairn (clickjacking).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export function securityHeaders(opts: { https: boolean }): Record<string, string> {
  return {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
    // Only over HTTPS: a browser ignores HSTS on plain HTTP, and sending it from a host that is not
    // reachable over HTTPS would lock users out once it is.
    ...(opts.https ? { "strict-transport-security": "max-age=31536000" } : {}),
  };
}

/**
 * Whether the browser reached Cairn over HTTPS: the public URL says so, or a trusted reverse proxy
 * (CAIRN_TRUST_PROXY=1) says so in X-Forwarded-Proto. A client's own X-Forwarded-Proto is ignored.
 */
export function servedOverHttps(forwardedProto: string | string[] | undefined, env: { CAIRN_PUBLIC_URL?: string; CAIRN_TRUST_PROXY?: string }): boolean {
  if (env.CAIRN_PUBLIC_URL?.startsWith("https://")) return true;
  if (env.CAIRN_TRUST_PROXY !== "1") return false;
  const proto = (Array.isArray(forwardedProto) ? forwardedProto[0] : forwardedProto)?.split(",")[0]?.trim().toLowerCase();
  return proto === "https";
}
