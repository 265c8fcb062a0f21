/**
 * Security headers on every response of the running app, pages that still work under the
 * Content-Security-Policy (no violations, charts and forms render), and JSON 404s for unknown API paths.
 */
import { expect, test, trpc } from "../fixtures";

const EXPECTED = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-frame-options": "DENY",
};

test("pages, API answers and static files carry the security headers; no HSTS over plain HTTP", async ({ request }) => {
  for (const path of ["/sign-in", "/api/v1/health", "/api/nope"]) {
    const res = await request.get(path);
    const headers = res.headers();
    expect(headers, path).toMatchObject(EXPECTED);
    expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(headers["strict-transport-security"], path).toBeUndefined();
  }
  const page = await (await request.get("/sign-in")).text();
  const script = /src="(\/_next\/static\/[^"]+\.js)"/.exec(page)?.[1];
  expect(script).toBeTruthy();
  expect((await request.get(script!)).headers()["x-content-type-options"]).toBe("nosniff");
});

test("signed-in pages render under the policy without CSP violations", async ({ page, account, shot }) => {
  const violations: string[] = [];
  page.on("console", (msg) => {
    if (/Content.Security.Policy|Refused to/i.test(msg.text())) violations.push(msg.text());
  });
  const request = page.context().request;
  const org = await trpc<{ id: string }>(request, "query", "org.get", { orgSlug: account.orgSlug });
  const project = await trpc<{ slug: string }>(request, "mutation", "project.create", { orgId: org.id, name: "Headers check" });
  await page.goto(`/${account.orgSlug}`);
  await expect(page.getByText("Headers check").first()).toBeVisible();
  await page.goto(`/${account.orgSlug}/${project.slug}/runs`);
  await expect(page.locator("main")).toBeVisible();
  await shot("runs-under-csp");
  await page.goto("/sign-in");
  await expect(page.locator("form")).toBeVisible();
  expect(violations).toEqual([]);
});

test("unknown /api paths answer JSON 404 for every method", async ({ request }) => {
  for (const [method, path] of [
    ["GET", "/api/nope"],
    ["POST", "/api/v1/nothing/here"],
    ["PUT", "/api/v2/projects"],
    ["DELETE", "/api/v1/projects/x/unknown"],
  ] as const) {
    const res = await request.fetch(path, { method, data: method === "GET" ? undefined : "{}" });
    expect(res.status(), `${method} ${path}`).toBe(404);
    expect(res.headers()["content-type"], `${method} ${path}`).toMatch(/application\/json/);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
  }
});
