/** API tokens on the tRPC endpoint and /api/v1, sign-in throttling and health, over real HTTP. */
import { expect, test, trpc, signUpViaApi, signInViaApi } from "../fixtures";

test("a bearer token works on tRPC and /api/v1 until it is revoked", async ({ page, playwright, baseURL }) => {
  const account = await signUpViaApi(page.context().request, "tok");
  await signInViaApi(page, account.email);
  const session = page.context().request;
  const org = await trpc<{ id: string }>(session, "query", "org.get", { orgSlug: account.orgSlug });
  await trpc(session, "mutation", "project.create", { orgId: org.id, name: "From CI" });
  const created = await trpc<{ secret: string; token: { id: string } }>(session, "mutation", "token.create", { orgId: org.id, name: "ci", role: "MEMBER" });
  expect(created.secret).toMatch(/^cairn_/);

  // A separate context with no cookies: only the bearer header identifies it.
  const ci = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${created.secret}` } });
  const projects = await trpc<{ slug: string }[]>(ci, "query", "project.list", { orgId: org.id });
  expect(projects.map((p) => p.slug)).toEqual(["from-ci"]);
  const whoami = await ci.get("/api/v1/whoami");
  expect(whoami.status()).toBe(200);
  expect(await whoami.json()).toMatchObject({ kind: "token", orgId: org.id, role: "MEMBER" });
  const v1 = await ci.get(`/api/v1/projects?orgId=${org.id}`);
  expect(((await v1.json()) as { projects: unknown[] }).projects).toHaveLength(1);
  // MEMBER tokens may not create projects (ADMIN+).
  const denied = await ci.post("/api/trpc/project.create", { data: JSON.stringify({ json: { orgId: org.id, name: "nope" } }), headers: { "content-type": "application/json" } });
  expect(denied.status()).toBe(403);

  await trpc(session, "mutation", "token.revoke", { orgId: org.id, tokenId: created.token.id });
  expect((await ci.get("/api/v1/whoami")).status()).toBe(401);
  const afterRevoke = await ci.get(`/api/trpc/project.list?input=${encodeURIComponent(JSON.stringify({ json: { orgId: org.id } }))}`);
  expect(afterRevoke.status()).toBe(401);
  await ci.dispose();
});

test("ten failed sign-ins for one account from one address get HTTP 429", async ({ request }) => {
  const account = await signUpViaApi(request, "throttle");
  const attempt = async (password: string) => {
    const csrf = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    return request.post("/api/auth/callback/credentials", { form: { csrfToken: csrf.csrfToken, email: account.email, password, json: "true" } });
  };
  for (let i = 0; i < 10; i++) expect((await attempt("wrong-password")).status()).not.toBe(429);
  const throttled = await attempt("e2e-password-123");
  expect(throttled.status()).toBe(429);
  expect(((await throttled.json()) as { message: string }).message).toMatch(/Too many failed sign-ins/);
  // A spoofed X-Forwarded-For does not reset the count: the server uses the socket address.
  const csrf = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const spoofed = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken: csrf.csrfToken, email: account.email, password: "e2e-password-123", json: "true" },
    headers: { "x-forwarded-for": "203.0.113.9" },
  });
  expect(spoofed.status()).toBe(429);
});

test("health reports the database and the queue", async ({ request }) => {
  const res = await request.get("/api/v1/health");
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { status: string; database: { ok: boolean }; queue: { ok: boolean }; workers: { online: number } };
  expect(body).toMatchObject({ status: "ok", database: { ok: true }, queue: { ok: true } });
  expect(body.workers.online).toBeGreaterThanOrEqual(1);
});
