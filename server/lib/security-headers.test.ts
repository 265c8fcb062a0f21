import { describe, expect, it } from "vitest";
import { securityHeaders, servedOverHttps } from "./security-headers";

describe("security headers", () => {
  it("always carry a CSP that forbids framing, nosniff and a referrer policy", () => {
    const h = securityHeaders({ https: false });
    expect(h["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
    expect(h["content-security-policy"]).toMatch(/default-src 'self'/);
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(h["strict-transport-security"]).toBeUndefined();
    expect(securityHeaders({ https: true })["strict-transport-security"]).toMatch(/max-age=\d{7,}/);
  });

  it("send HSTS only when HTTPS is known: the public URL, or a trusted proxy's X-Forwarded-Proto", () => {
    expect(servedOverHttps(undefined, { CAIRN_PUBLIC_URL: "https://cairn.example.com" })).toBe(true);
    expect(servedOverHttps("https", { CAIRN_PUBLIC_URL: "http://localhost:3000" })).toBe(false);
    expect(servedOverHttps("https", { CAIRN_TRUST_PROXY: "1" })).toBe(true);
    expect(servedOverHttps("https, http", { CAIRN_TRUST_PROXY: "1" })).toBe(true);
    expect(servedOverHttps("http", { CAIRN_TRUST_PROXY: "1" })).toBe(false);
    expect(servedOverHttps(undefined, {})).toBe(false);
  });
});
