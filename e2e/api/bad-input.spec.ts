/**
 * Bad input over real HTTP: every malformed request gets a 4xx with a readable JSON message,
 * never a 500, and changes nothing.
 */
import { expect, test, trpc, signUpViaApi, signInViaApi } from "../fixtures";

test.describe("bad input is refused with 4xx and a readable message", () => {
  test("tRPC mutations", async ({ page }) => {
    const account = await signUpViaApi(page.context().request, "bad");
    await signInViaApi(page, account.email);
    const request = page.context().request;
    const org = await trpc<{ id: string }>(request, "query", "org.get", { orgSlug: account.orgSlug });

    // A Buffer goes out byte for byte; Playwright would JSON-encode a string body sent as application/json.
    const post = (path: string, body: string) => request.post(`/api/trpc/${path}`, { data: Buffer.from(body), headers: { "content-type": "application/json" } });
    const cases: { name: string; path: string; body: string; message: RegExp }[] = [
      { name: "malformed JSON", path: "project.create", body: '{"json": {"orgId": ', message: /JSON|parse/i },
      { name: "wrong types", path: "project.create", body: JSON.stringify({ json: { orgId: org.id, name: 12345 } }), message: /name/i },
      { name: "over-long name", path: "project.create", body: JSON.stringify({ json: { orgId: org.id, name: "n".repeat(500) } }), message: /at most 100/i },
      { name: "unknown enum value", path: "member.invite", body: JSON.stringify({ json: { orgId: org.id, email: "x@example.test", role: "SUPERUSER" } }), message: /role/i },
      { name: "malformed id", path: "project.create", body: JSON.stringify({ json: { orgId: "../../etc", name: "ok" } }), message: /orgId/i },
      { name: "bad slug", path: "project.create", body: JSON.stringify({ json: { orgId: org.id, name: "ok", slug: "Not A Slug!" } }), message: /slug/i },
      { name: "missing body", path: "project.create", body: "", message: /.+/ },
    ];
    for (const c of cases) {
      const res = await post(c.path, c.body);
      expect(res.status(), c.name).toBeGreaterThanOrEqual(400);
      expect(res.status(), c.name).toBeLessThan(500);
      const body = (await res.json()) as { error: { json: { message: string; data: { code: string } } } };
      expect(body.error.json.message, c.name).toMatch(c.message);
    }
    // Nothing was created by any of the refused requests.
    const projects = await trpc<unknown[]>(request, "query", "project.list", { orgId: org.id });
    expect(projects).toHaveLength(0);
  });

  test("tRPC queries with malformed input and unknown procedures", async ({ request, page }) => {
    // The caller is checked before the input is read: anonymous garbage is 401, a signed-in caller's is 400.
    const garbled = await request.get(`/api/trpc/project.list?input=${encodeURIComponent("{not json")}`);
    expect(garbled.status()).toBe(401);
    const account = await signUpViaApi(page.context().request, "garbled");
    await signInViaApi(page, account.email);
    const signedIn = await page.context().request.get(`/api/trpc/project.list?input=${encodeURIComponent("{not json")}`);
    expect(signedIn.status()).toBe(400);
    const unknown = await request.get(`/api/trpc/nope.nothing?input=${encodeURIComponent('{"json":null}')}`);
    expect(unknown.status()).toBe(404);
    const anonymous = await request.get(`/api/trpc/org.list`);
    expect(anonymous.status()).toBe(401);
  });

  test("/api/v1 endpoints answer JSON errors", async ({ request }) => {
    const noAuth = await request.get("/api/v1/projects?orgId=abc");
    expect(noAuth.status()).toBe(401);
    expect(((await noAuth.json()) as { error: { code: string } }).error.code).toBe("UNAUTHORIZED");

    const badHeader = await request.get("/api/v1/whoami", { headers: { authorization: "Bearer" } });
    expect(badHeader.status()).toBe(401);

    const account = await signUpViaApi(request, "v1bad");
    const csrf = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    await request.post("/api/auth/callback/credentials", { form: { csrfToken: csrf.csrfToken, email: account.email, password: "e2e-password-123", json: "true" } });
    const badQuery = await request.get("/api/v1/projects?orgId=..%2F..");
    expect(badQuery.status()).toBe(400);
    const body = (await badQuery.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("BAD_REQUEST");
    expect(body.error.message).toMatch(/orgId/);
  });
});
