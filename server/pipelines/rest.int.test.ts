/**
 * Pipelines over /api/v1, called as Next calls the route handlers (a Request and a params promise)
 * with real tokens: PUT of YAML text (400 with located problems), runs by number with idempotency,
 * the ?wait= long-poll, cancel and retry, and the access policy (401 / 404 / 403).
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as listRoute from "@/app/api/v1/projects/[project]/pipelines/route";
import * as oneRoute from "@/app/api/v1/projects/[project]/pipelines/[name]/route";
import * as runsRoute from "@/app/api/v1/projects/[project]/pipelines/[name]/runs/route";
import * as runRoute from "@/app/api/v1/projects/[project]/pipelines/[name]/runs/[number]/route";
import * as cancelRoute from "@/app/api/v1/projects/[project]/pipelines/[name]/runs/[number]/cancel/route";
import * as retryRoute from "@/app/api/v1/projects/[project]/pipelines/[name]/runs/[number]/steps/[step]/retry/route";
import { db } from "../db";
import { createTestProject, createUser, mintToken, type TestUser } from "../testing/factories";

let owner: TestUser;
let projectId: string;
const s: Record<string, string> = {};

type Handler<P> = (r: Request, c: { params: Promise<P> }) => Promise<Response>;
interface Answer {
  status: number;
  body: unknown;
}
type ErrorBody = { error: { code: string; message: string; problems?: { line: number; column: number; path: string; message: string }[] } };

async function call<P extends { project: string }>(
  handler: unknown,
  p: P,
  secret: string | null,
  opts: { method?: string; body?: string; type?: string; query?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers = new Headers(opts.headers);
  if (secret !== null) headers.set("authorization", `Bearer ${secret}`);
  if (opts.body !== undefined) headers.set("content-type", opts.type ?? "application/json");
  const url = `http://localhost/api/v1/projects/${p.project}/pipelines${opts.query ?? ""}`;
  const res = await (handler as Handler<P>)(new Request(url, { method: opts.method ?? (opts.body === undefined ? "GET" : "POST"), body: opts.body, headers }), { params: Promise.resolve(p) });
  return { status: res.status, body: await res.json() };
}

const P = () => ({ project: projectId });
const named = (name = "eta-retrain") => ({ project: projectId, name });
const run = (number: string | number, name = "eta-retrain") => ({ project: projectId, name, number: String(number) });
const put = (yaml: string, secret = s.member!, type = "application/yaml", query = "") => call(listRoute.PUT, P(), secret, { method: "PUT", body: yaml, type, query });

const YAML = `name: eta-retrain
params: { rounds: 200 }
steps:
  - { id: register, uses: register, with: { model: eta-gbdt } }
  - { id: gate, uses: gate }
`;

beforeAll(async () => {
  owner = await createUser();
  projectId = (await createTestProject(owner.orgId, owner)).id;
  s.member = (await mintToken(owner, { role: "MEMBER" })).secret;
  s.viewer = (await mintToken(owner, { role: "VIEWER" })).secret;
  const outsider = await createUser();
  await createTestProject(outsider.orgId, outsider);
  s.outsider = (await mintToken(outsider, { role: "ADMIN" })).secret;
  s.otherProject = (await mintToken(owner, { role: "ADMIN", projectId: (await createTestProject(owner.orgId, owner)).id })).secret;
});

describe("saving pipelines with PUT", () => {
  it("saves YAML text, keeps the revision for the same text, and marks CLI saves", async () => {
    const first = await put(YAML, s.member, "application/yaml", "?source=cli");
    expect(first).toMatchObject({ status: 200, body: { name: "eta-retrain", revision: { number: 1, source: "cli" } } });
    for (const type of ["text/yaml", "text/plain; charset=utf-8", "application/x-yaml"]) {
      expect(await put(YAML, s.member, type)).toMatchObject({ status: 200, body: { revision: { number: 1 } } });
    }
    const listed = await call(listRoute.GET, P(), s.viewer!);
    expect(listed.status).toBe(200);
    expect((listed.body as { name: string }[]).map((p) => p.name)).toEqual(["eta-retrain"]);
    const one = await call(oneRoute.GET, named(), s.viewer!);
    expect(one).toMatchObject({ status: 200, body: { name: "eta-retrain", yaml: YAML, revisions: [{ number: 1 }] } });
  });

  it("answers 400 with every problem's line and column, and writes nothing", async () => {
    const bad = "name: broken\nsteps:\n  - { id: a, uses: gate }\n  - id: b\n    uses: train\n    needs: [zzz]\n    with: { trainer: gbdt, target: y }\n";
    const res = await put(bad);
    expect(res.status).toBe(400);
    const { error } = res.body as ErrorBody;
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(/line 6, column 13: steps\[1\]\.needs\[0\]: needs "zzz": no step has that id/);
    expect(error.problems).toEqual([{ line: 6, column: 13, path: "steps[1].needs[0]", message: 'needs "zzz": no step has that id' }]);
    const syntax = await put("name: broken\nsteps: [\n");
    expect(syntax.status).toBe(400);
    expect((syntax.body as ErrorBody).error.problems![0]).toMatchObject({ line: 3 });
    expect(await db().pipeline.count({ where: { projectId, name: "broken" } })).toBe(0);
  });

  it("refuses other content types, empty and oversized bodies with 4xx JSON", async () => {
    expect(await put(YAML, s.member, "application/json")).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/Content-Type application\/yaml/) } } });
    expect(await put("", s.member)).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/empty/) } } });
    expect(await put(`${YAML}# ${"x".repeat(210 * 1024)}\n`)).toMatchObject({ status: 413, body: { error: { code: "PAYLOAD_TOO_LARGE" } } });
  });
});

describe("runs over REST", () => {
  it("starts runs (201), answers a repeated idempotency key with the first run (200), lists newest first", async () => {
    const created = await call(runsRoute.POST, named(), s.member!, { body: JSON.stringify({ params: { rounds: 300 }, idempotencyKey: "gh-1" }) });
    expect(created).toMatchObject({ status: 201, body: { number: 1, trigger: "api", params: { rounds: 300 } } });
    const repeated = await call(runsRoute.POST, named(), s.member!, { body: JSON.stringify({ idempotencyKey: "gh-1" }) });
    expect(repeated).toMatchObject({ status: 200, body: { id: (created.body as { id: string }).id, number: 1 } });
    const byHeader = await call(runsRoute.POST, named(), s.member!, { body: "", headers: { "idempotency-key": "gh-2" } });
    expect(byHeader).toMatchObject({ status: 201, body: { number: 2 } });
    expect(await call(runsRoute.POST, named(), s.member!, { body: "", headers: { "idempotency-key": "gh-2" } })).toMatchObject({ status: 200, body: { number: 2 } });
    // An unset CI variable sends an empty header: no key, a new run.
    expect(await call(runsRoute.POST, named(), s.member!, { body: "", headers: { "idempotency-key": " " } })).toMatchObject({ status: 201, body: { number: 3 } });

    expect(await call(runsRoute.POST, named(), s.member!, { body: JSON.stringify({ params: { nope: 1 } }) })).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/"nope" is not a param/) } } });
    expect(await call(runsRoute.POST, named(), s.member!, { body: "{not json" })).toMatchObject({ status: 400, body: { error: { code: "BAD_REQUEST" } } });
    expect(await call(runsRoute.POST, named("no-such"), s.member!, { body: "" })).toMatchObject({ status: 404 });
    expect(await call(runsRoute.POST, named("Bad Name"), s.member!, { body: "" })).toMatchObject({ status: 400 });

    const listed = await call(runsRoute.GET, named(), s.viewer!);
    expect((listed.body as { number: number }[]).map((r) => r.number)).toEqual([3, 2, 1]);
    expect(await call(runsRoute.GET, named(), s.viewer!, { query: "?limit=0" })).toMatchObject({ status: 400 });
    expect(await call(runRoute.GET, run(1), s.viewer!)).toMatchObject({ status: 200, body: { number: 1, steps: [{ stepId: "register" }, { stepId: "gate" }] } });
    expect(await call(runRoute.GET, run(99), s.viewer!)).toMatchObject({ status: 404 });
    expect(await call(runRoute.GET, run("x"), s.viewer!)).toMatchObject({ status: 400 });
  });

  it("?wait= answers as soon as the run finishes, or when the wait is over", async () => {
    const started = await call(runsRoute.POST, named(), s.member!, { body: "" });
    const number = (started.body as { number: number }).number;
    let t = Date.now();
    const timedOut = await call(runRoute.GET, run(number), s.viewer!, { query: "?wait=1" });
    expect(Date.now() - t).toBeGreaterThanOrEqual(950);
    expect(["QUEUED", "RUNNING"]).toContain((timedOut.body as { status: string }).status);

    t = Date.now();
    const waiting = call(runRoute.GET, run(number), s.viewer!, { query: "?wait=30" });
    await new Promise((r) => setTimeout(r, 700));
    await db().pipelineRun.updateMany({ where: { projectId, number }, data: { status: "SUCCEEDED", finishedAt: new Date() } });
    const finished = await waiting;
    expect((finished.body as { status: string }).status).toBe("SUCCEEDED");
    expect(Date.now() - t).toBeLessThan(5000);
    expect(await call(runRoute.GET, run(number), s.viewer!, { query: "?wait=-1" })).toMatchObject({ status: 400 });
  });

  it("cancels a run (409 the second time) and retries one of its cancelled steps", async () => {
    const started = await call(runsRoute.POST, named(), s.member!, { body: "" });
    const number = (started.body as { number: number }).number;
    const cancelled = await call(cancelRoute.POST, run(number), s.member!, { body: "" });
    expect(cancelled).toMatchObject({ status: 200, body: { status: "CANCELLED" } });
    expect(await call(cancelRoute.POST, run(number), s.member!, { body: "" })).toMatchObject({ status: 409 });
    expect(await call(retryRoute.POST, { ...run(number), step: "nope" }, s.member!, { body: "" })).toMatchObject({ status: 404 });
    const retried = await call(retryRoute.POST, { ...run(number), step: "register" }, s.member!, { body: "" });
    expect(retried).toMatchObject({ status: 200, body: { status: "RUNNING", steps: [{ stepId: "register", status: "PENDING", attempt: 2 }, { stepId: "gate" }] } });
    // A run that is going again takes no second retry until it has finished.
    expect(await call(retryRoute.POST, { ...run(number), step: "register" }, s.member!, { body: "" })).toMatchObject({ status: 409 });
  });
});

describe("access", () => {
  const routes = () => [
    { name: "list", go: (k: string) => call(listRoute.GET, P(), k) },
    { name: "put", go: (k: string) => put(`${YAML}description: hijack\n`, k) },
    { name: "get", go: (k: string) => call(oneRoute.GET, named(), k) },
    { name: "runs", go: (k: string) => call(runsRoute.GET, named(), k) },
    { name: "start", go: (k: string) => call(runsRoute.POST, named(), k, { body: "" }) },
    { name: "run", go: (k: string) => call(runRoute.GET, run(1), k) },
    { name: "cancel", go: (k: string) => call(cancelRoute.POST, run(1), k, { body: "" }) },
    { name: "retry", go: (k: string) => call(retryRoute.POST, { ...run(1), step: "register" }, k, { body: "" }) },
  ];

  it("anonymous callers get 401; another org and another project's token get 404; nothing changes", async () => {
    const before = await db().pipelineRun.count({ where: { projectId } });
    for (const r of routes()) {
      // An empty bearer is a caller without identity (outside Next there is no session cookie to read).
      const outcomes = { anonymous: (await r.go("")).status, badToken: (await r.go("cairn_bogus")).status, outsider: (await r.go(s.outsider!)).status, otherProject: (await r.go(s.otherProject!)).status };
      expect(outcomes, r.name).toEqual({ anonymous: 401, badToken: 401, outsider: 404, otherProject: 404 });
    }
    expect(await db().pipelineRun.count({ where: { projectId } })).toBe(before);
    expect(await db().pipelineRevision.count({ where: { pipeline: { projectId } } })).toBe(1);
  });

  it("a VIEWER token reads but cannot save, start, cancel or retry", async () => {
    for (const r of routes()) {
      const status = (await r.go(s.viewer!)).status;
      expect(status, r.name).toBe(["list", "get", "runs", "run"].includes(r.name) ? 200 : 403);
    }
  });
});
