/** The streaming dataset upload endpoint over real HTTP: tokens, idempotency, aborts, tenants. */
import type { Page } from "@playwright/test";
import http from "node:http";
import { expect, test, trpc, signUpViaApi, signInViaApi } from "../fixtures";

async function tenant(page: Page, label: string) {
  const account = await signUpViaApi(page.context().request, label);
  await signInViaApi(page, account.email);
  const request = page.context().request;
  const org = await trpc<{ id: string; slug: string }>(request, "query", "org.get", { orgSlug: account.orgSlug });
  const project = await trpc<{ id: string; slug: string }>(request, "mutation", "project.create", { orgId: org.id, name: "Data" });
  const token = await trpc<{ secret: string }>(request, "mutation", "token.create", { orgId: org.id, name: "ci", role: "MEMBER" });
  return { request, org, project, secret: token.secret };
}

const CSV = "trip_id,km\n" + Array.from({ length: 500 }, (_, i) => `${i},${(i % 37) / 3}`).join("\n") + "\n";

test("upload with a token: 201, then 200 for the same bytes; split download; errors are JSON 4xx", async ({ page, playwright, baseURL }) => {
  const { project, org, secret } = await tenant(page, "up");
  const ci = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
  const url = `/api/v1/projects/${project.slug}/datasets/trips/versions?org=${org.slug}&fileName=trips.csv`;
  const first = await ci.put(url, { data: CSV, headers: { "content-type": "text/csv" } });
  expect(first.status()).toBe(201);
  const v1 = ((await first.json()) as { version: { id: string; number: number; rowCount: number } }).version;
  expect(v1).toMatchObject({ number: 1, rowCount: 500 });
  const again = await ci.put(url, { data: CSV, headers: { "content-type": "text/csv" } });
  expect(again.status()).toBe(200);
  expect(((await again.json()) as { version: { id: string } }).version.id).toBe(v1.id);

  const ragged = await ci.put(url.replace("trips.csv", "bad.csv"), { data: "a,b\n1\n", headers: { "content-type": "text/csv" } });
  expect(ragged.status()).toBe(400);
  expect(((await ragged.json()) as { error: { message: string } }).error.message).toMatch(/Malformed CSV/);
  const traversal = await ci.put(url.replace("trips.csv", "..%2F..%2Fetc%2Fpasswd"), { data: CSV });
  expect(traversal.status()).toBe(400);

  // Wait for the worker to profile and validate, then read a split twice: the same rows.
  await expect
    .poll(async () => ((await (await ci.get(`/api/v1/projects/${project.id}/datasets/trips/versions`)).json()) as { versions: { profileStatus: string; validation: string }[] }).versions[0], { timeout: 30_000 })
    .toMatchObject({ profileStatus: "READY", validation: "NO_CONTRACT" });
  const split = `/api/v1/projects/${project.id}/datasets/trips/versions/${v1.id}/splits/test`;
  const a = await (await ci.get(split)).text();
  const b = await (await ci.get(split)).text();
  expect(a).toBe(b);
  expect(a.split("\n")[0]).toBe("trip_id,km");
  expect(a.split("\n").length).toBeGreaterThan(20);
  await ci.dispose();
});

test("an upload aborted mid-stream leaves no version", async ({ page, baseURL }) => {
  const { request, project, secret } = await tenant(page, "abort");
  const target = new URL(`/api/v1/projects/${project.id}/datasets/partial/versions?fileName=p.csv`, baseURL);
  await new Promise<void>((resolve) => {
    const req = http.request(target, { method: "PUT", headers: { authorization: `Bearer ${secret}`, "transfer-encoding": "chunked" } });
    req.on("error", () => resolve());
    req.write("a,b\n");
    for (let i = 0; i < 2000; i++) req.write(`${i},${i}\n`);
    setTimeout(() => {
      req.destroy();
      resolve();
    }, 300);
  });
  // Give the server a moment to notice the reset, then check: no version, and the dataset has none.
  await expect
    .poll(async () => {
      const res = await request.get(`/api/trpc/dataset.list?input=${encodeURIComponent(JSON.stringify({ json: { projectId: project.id } }))}`);
      const body = (await res.json()) as { result: { data: { json: { versionCount: number }[] } } };
      return body.result.data.json.reduce((n, d) => n + d.versionCount, 0);
    }, { timeout: 10_000 })
    .toBe(0);
});

test("another tenant's token and anonymous callers get 404 / 401 on the endpoints", async ({ page, playwright, baseURL }) => {
  const owner = await tenant(page, "own");
  const up = await owner.request.put(`/api/v1/projects/${owner.project.id}/datasets/secret/versions?fileName=s.csv`, { data: CSV });
  expect(up.status()).toBe(201);
  const versionId = ((await up.json()) as { version: { id: string } }).version.id;
  const otherPage = await page.context().browser()!.newPage();
  const other = await tenant(otherPage, "other");
  const stranger = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${other.secret}` } });
  const anon = await playwright.request.newContext({ baseURL });
  const paths = [
    `/api/v1/projects/${owner.project.id}/datasets/secret/versions`,
    `/api/v1/projects/${owner.project.id}/datasets/secret/versions/${versionId}/splits/train?unvalidated=1`,
  ];
  for (const p of paths) {
    const res = await stranger.get(p);
    expect(res.status(), p).toBe(404);
    expect(JSON.stringify(await res.json())).not.toContain("trip_id");
    expect((await anon.get(p)).status(), p).toBe(401);
  }
  expect((await stranger.put(paths[0]! + "?fileName=x.csv", { data: CSV })).status()).toBe(404);
  expect((await anon.put(paths[0]! + "?fileName=x.csv", { data: CSV })).status()).toBe(401);
  await stranger.dispose();
  await anon.dispose();
  await otherPage.close();
});

/**
 * Streams `total` bytes (the first chunk from `first`, the rest from `rest`) over real HTTP and
 * returns the answer, which may arrive before the client has sent everything.
 */
function streamingPut(url: URL, secret: string, total: number, first: Buffer, rest: () => Buffer): Promise<{ status: number; body: string; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = http.request(url, { method: "PUT", headers: { authorization: `Bearer ${secret}`, "transfer-encoding": "chunked" } }, (res) => {
      answered = true;
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, body, sent });
        req.destroy();
      });
    });
    req.on("error", (err) => {
      if (!answered) reject(err);
    });
    const pump = () => {
      while (!answered && sent < total) {
        const chunk = sent === 0 ? first : rest();
        sent += chunk.byteLength;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

test("a 16 MB CSV header and a refused schema change are answered 4xx JSON while the body still streams", async ({ page, baseURL }) => {
  const { project, secret } = await tenant(page, "early");
  const MB = 1024 * 1024;
  const wide = await streamingPut(new URL(`/api/v1/projects/${project.id}/datasets/wide/versions?fileName=w.csv`, baseURL), secret, 16 * MB, Buffer.from("x"), () => Buffer.alloc(64 * 1024, "x"));
  expect(wide.status).toBe(400);
  expect((JSON.parse(wide.body) as { error: { message: string } }).error.message).toMatch(/name is longer than 256 characters/);
  expect(wide.sent).toBeLessThan(16 * MB);

  const base = `/api/v1/projects/${project.id}/datasets/trips/versions?fileName=t.csv`;
  const first = await streamingPut(new URL(base, baseURL), secret, CSV.length, Buffer.from(CSV), () => Buffer.alloc(0));
  expect(first.status).toBe(201);
  const rows = Buffer.from(Array.from({ length: 4000 }, (_, i) => `${i},${i % 13}`).join("\n") + "\n");
  const changed = await streamingPut(new URL(base, baseURL), secret, 64 * MB, Buffer.from("trip_id,miles\n"), () => rows);
  expect(changed.status).toBe(409);
  expect((JSON.parse(changed.body) as { error: { message: string } }).error.message).toMatch(/added "miles"; removed "km".*allowSchemaChange=1/);
  expect(changed.sent).toBeLessThan(64 * MB);
});
