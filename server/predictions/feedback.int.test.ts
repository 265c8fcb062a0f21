/**
 * Feedback over REST (called as Next calls the route, with real API tokens) and its join with the
 * prediction log written by the real logger, with labels arriving before and after the flush.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as feedbackRoute from "@/app/api/v1/projects/[project]/deployments/[name]/feedback/route";
import * as predictionsRoute from "@/app/api/v1/projects/[project]/deployments/[name]/predictions/route";
import { db, pool } from "../db";
import { createTestProject, createUser, mintToken, type TestUser } from "../testing/factories";
import { joinFeedback } from "./feedback";
import { PredictionLogger } from "./log";

const BASE = "http://localhost/api/v1";
let owner: TestUser;
let project: { id: string; slug: string };
let other: { id: string; slug: string };
let strangerProject: { id: string; slug: string };
const deployments: Record<string, string> = {};
const secrets: Record<string, string> = {};
const log = new PredictionLogger({ pool: pool(), flushIntervalMs: 3_600_000, onError: () => {} });

async function deployment(projectId: string, name: string, createdById: string): Promise<string> {
  const env = await db().environment.upsert({ where: { projectId_name: { projectId, name: "production" } }, create: { projectId, name: "production" }, update: {} });
  const d = await db().deployment.create({ data: { projectId, environmentId: env.id, name, modelId: "m", stableVersionId: "v1", createdById } });
  return d.id;
}

const post = (projectParam: string, name: string, body: unknown, secret = secrets.member!, query = "") =>
  feedbackRoute.POST(
    new Request(`${BASE}/projects/${projectParam}/deployments/${name}/feedback${query}`, {
      method: "POST",
      body: typeof body === "string" ? body : JSON.stringify(body),
      headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
    }),
    { params: Promise.resolve({ project: projectParam, name }) },
  );
const errorOf = async (res: Response) => ({ status: res.status, ...((await res.json()) as { error: { code: string; message: string } }).error });
const stored = async (deploymentId: string) => db().predictionFeedback.findMany({ where: { deploymentId }, orderBy: { requestId: "asc" }, select: { requestId: true, labels: true, projectId: true } });

beforeAll(async () => {
  owner = await createUser();
  project = await createTestProject(owner.orgId, owner);
  other = await createTestProject(owner.orgId, owner);
  const stranger = await createUser();
  strangerProject = await createTestProject(stranger.orgId, stranger);
  deployments.eta = await deployment(project.id, "eta", owner.userId);
  deployments.join = await deployment(project.id, "join", owner.userId);
  deployments.list = await deployment(project.id, "list", owner.userId);
  deployments.otherEta = await deployment(other.id, "other-eta", owner.userId);
  deployments.strangerEta = await deployment(strangerProject.id, "eta", stranger.userId);
  secrets.member = (await mintToken(owner, { role: "MEMBER" })).secret;
  secrets.viewer = (await mintToken(owner, { role: "VIEWER" })).secret;
  secrets.scoped = (await mintToken(owner, { role: "MEMBER", projectId: other.id })).secret;
  secrets.stranger = (await mintToken(stranger, { role: "ADMIN" })).secret;
});
afterAll(() => log.close());

describe("POST /api/v1/projects/{project}/deployments/{name}/feedback", () => {
  it("stores labels by request id: 201, 200 for the same labels again, 409 for different ones", async () => {
    const first = await post(project.slug, "eta", { requestId: "req-1", labels: [1, 0, 1] }, secrets.member, `?org=${owner.orgSlug}`);
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ stored: 1, unchanged: 0 });
    const again = await post(project.id, "eta", { requestId: "req-1", labels: [1, 0, 1] });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ stored: 0, unchanged: 1 });
    expect(await errorOf(await post(project.id, "eta", { requestId: "req-1", labels: [1, 1, 1] }))).toMatchObject({ status: 409, code: "CONFLICT", message: expect.stringContaining("req-1") });
    expect(await stored(deployments.eta!)).toEqual([{ requestId: "req-1", labels: [1, 0, 1], projectId: project.id }]);
  });

  it("takes a batch of up to 1,000 items in one transaction: a conflicting item writes none of them", async () => {
    const items = Array.from({ length: 1000 }, (_, i) => ({ requestId: `batch-${String(i).padStart(4, "0")}`, labels: [i % 2 === 0, `class-${i % 3}`, i / 10, null] }));
    const res = await post(project.id, "eta", { items });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ stored: 1000, unchanged: 0 });
    const rows = await stored(deployments.eta!);
    expect(rows).toHaveLength(1001);
    expect(rows.find((r) => r.requestId === "batch-0007")?.labels).toEqual([false, "class-1", 0.7, null]);

    const mixed = [{ requestId: "new-1", labels: [1] }, items[5]!, { requestId: "batch-0006", labels: ["changed"] }, { requestId: "new-2", labels: [2] }];
    expect(await errorOf(await post(project.id, "eta", { items: mixed }))).toMatchObject({ status: 409, message: expect.stringContaining("batch-0006") });
    const sameTwice = [{ requestId: "dup", labels: [1] }, { requestId: "dup", labels: [2] }];
    expect(await errorOf(await post(project.id, "eta", { items: sameTwice }))).toMatchObject({ status: 409, message: expect.stringContaining("dup") });
    expect(await stored(deployments.eta!)).toHaveLength(1001);
    const partlyKnown = await post(project.id, "eta", { items: [items[5]!, { requestId: "new-3", labels: [3] }] });
    expect(partlyKnown.status).toBe(201);
    expect(await partlyKnown.json()).toEqual({ stored: 1, unchanged: 1 });
  });

  it("settles concurrent posts of one request id: one label set stored, the same again 200, different 409, never 500", async () => {
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => post(project.id, "eta", { requestId: "race-1", labels: [i % 2] })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    const winner = (await stored(deployments.eta!)).find((r) => r.requestId === "race-1")!.labels as number[];
    statuses.forEach((s, i) => {
      if (s !== 201) expect(s).toBe(i % 2 === winner[0] ? 200 : 409);
    });
  });

  it("answers bad bodies with 400 JSON and writes nothing", async () => {
    const before = await db().predictionFeedback.count();
    const bad: [unknown, RegExp][] = [
      ["{not json", /must be JSON/],
      [{ requestId: "x" }, /labels/],
      [{ requestId: "x", labels: [] }, /labels/],
      [{ requestId: "", labels: [1] }, /requestId/],
      [{ requestId: "a\u0001b", labels: [1] }, /control characters/],
      [{ requestId: "x", labels: [{ nested: 1 }] }, /labels/],
      [{ requestId: "x", labels: ["a\u0000b"] }, /NUL/],
      [{ requestId: "x", labels: [1], extra: true }, /extra|Unrecognized/i],
      [{ items: [] }, /items/],
      [{ items: Array.from({ length: 1001 }, (_, i) => ({ requestId: `r${i}`, labels: [1] })) }, /items/],
      [[{ requestId: "x", labels: [1] }], /input|expected/i],
    ];
    for (const [body, message] of bad) {
      const res = await post(project.id, "eta", body);
      expect(await errorOf(res), JSON.stringify(body).slice(0, 80)).toMatchObject({ status: 400, code: "BAD_REQUEST", message: expect.stringMatching(message) });
    }
    expect(await db().predictionFeedback.count()).toBe(before);
  });

  it("keeps tenants apart and needs MEMBER: 404 for unknown and foreign deployments, 403 for a viewer, 401 without a token", async () => {
    const body = { requestId: "iso-1", labels: [1] };
    expect(await errorOf(await post(project.id, "nope", body))).toMatchObject({ status: 404, message: "Deployment nope not found" });
    // Another project's deployment by name, in this project's path: not found here.
    expect(await errorOf(await post(project.id, "other-eta", body))).toMatchObject({ status: 404 });
    // Another org: its member cannot reach this project, and this project's token cannot reach theirs.
    expect(await errorOf(await post(project.id, "eta", body, secrets.stranger))).toMatchObject({ status: 404, message: "Project not found" });
    expect(await errorOf(await post(strangerProject.id, "eta", body))).toMatchObject({ status: 404, message: "Project not found" });
    // A token scoped to another project of the same org.
    expect((await post(project.id, "eta", body, secrets.scoped)).status).toBe(404);
    expect(await errorOf(await post(project.id, "eta", body, secrets.viewer))).toMatchObject({ status: 403, code: "FORBIDDEN" });
    expect(await errorOf(await post(project.id, "eta", body, ""))).toMatchObject({ status: 401, code: "UNAUTHORIZED" });
    expect(await errorOf(await post(project.id, "eta", body, "cairn_bogus"))).toMatchObject({ status: 401 });
    expect(await db().predictionFeedback.count({ where: { requestId: "iso-1" } })).toBe(0);
    expect(await stored(deployments.strangerEta!)).toEqual([]);
    // The scoped token does write in its own project.
    expect((await post(other.id, "other-eta", body, secrets.scoped)).status).toBe(201);
  });
});

describe("joinFeedback", () => {
  it("joins labels posted before and after the log's flush, per deployment, role and time", async () => {
    const d = deployments.join!;
    const entry = (requestId: string, role: "primary" | "shadow" = "primary") => ({
      projectId: project.id, deploymentId: d, versionId: role === "primary" ? "v1" : "v2", requestId, role, inputs: [{ x: requestId }], outputs: [requestId.length], latencyMs: 1,
    });
    const start = new Date();
    log.log(entry("early-1"));
    log.log(entry("early-1", "shadow"));
    log.log(entry("early-2"));
    log.log(entry("late-1"));
    log.log({ ...entry("early-1"), deploymentId: deployments.eta! }); // same request id, another deployment
    // Labels arrive before the predictions are written: accepted, nothing to join yet.
    expect((await post(project.id, "join", { items: [{ requestId: "early-1", labels: [10] }, { requestId: "early-2", labels: [20] }] })).status).toBe(201);
    expect(await joinFeedback(d)).toEqual([]);
    await log.flush();
    const joined = await joinFeedback(d, { since: start });
    expect(joined.map((j) => [j.requestId, j.role, j.versionId, j.labels, j.outputs, j.inputs])).toEqual([
      ["early-1", "primary", "v1", [10], [7], [{ x: "early-1" }]],
      ["early-1", "shadow", "v2", [10], [7], [{ x: "early-1" }]],
      ["early-2", "primary", "v1", [20], [7], [{ x: "early-2" }]],
    ]);
    expect(joined[0]!.predictedAt.getTime()).toBeGreaterThanOrEqual(start.getTime());
    // A label long after the flush joins too.
    await post(project.id, "join", { requestId: "late-1", labels: [30] });
    const primary = await joinFeedback(d, { role: "primary" });
    expect(primary.map((j) => [j.requestId, j.labels])).toEqual([["early-1", [10]], ["early-2", [20]], ["late-1", [30]]]);
    expect(primary[2]!.labelledAt.getTime()).toBeGreaterThan(primary[2]!.predictedAt.getTime());
    expect((await joinFeedback(d, { role: "shadow" })).map((j) => j.requestId)).toEqual(["early-1"]);
    expect(await joinFeedback(d, { since: new Date(Date.now() + 60_000) })).toEqual([]);
    expect(await joinFeedback(d, { limit: 2 })).toHaveLength(2);
    // The log row of "early-1" on `eta` does not join with the label posted on `join`.
    expect((await joinFeedback(deployments.eta!)).map((j) => j.requestId)).toEqual([]);
  });
});

const list = (name: string, query = "", secret = secrets.viewer!, projectParam = project.id) =>
  predictionsRoute.GET(
    new Request(`${BASE}/projects/${projectParam}/deployments/${name}/predictions${query}`, { headers: { authorization: `Bearer ${secret}` } }),
    { params: Promise.resolve({ project: projectParam, name }) },
  );
type Page = { predictions: { id: string; requestId: string; role: string; labels: unknown[] | null; labelledAt: string | null; outputs: unknown; predictedAt: string }[]; next: string | null };

describe("GET /api/v1/projects/{project}/deployments/{name}/predictions", () => {
  it("pages through the log oldest first with feedback where it arrived, filtered by role, label and time", async () => {
    const d = deployments.list!;
    for (let i = 0; i < 5; i++) log.log({ projectId: project.id, deploymentId: d, versionId: "v1", requestId: `l-${i}`, role: i === 4 ? "shadow" : "primary", inputs: [{ i }], outputs: [i], latencyMs: 1 });
    await log.flush();
    await post(project.id, "list", { items: [{ requestId: "l-1", labels: [11] }, { requestId: "l-3", labels: [33] }] });

    const first = await list("list", "?limit=2");
    expect(first.status).toBe(200);
    const p1 = (await first.json()) as Page;
    expect(p1.predictions.map((p) => [p.requestId, p.labels])).toEqual([["l-0", null], ["l-1", [11]]]);
    expect(p1.next).toBe(p1.predictions[1]!.id);
    const p2 = (await (await list("list", `?limit=2&after=${p1.next}`)).json()) as Page;
    expect(p2.predictions.map((p) => p.requestId)).toEqual(["l-2", "l-3"]);
    const p3 = (await (await list("list", `?limit=2&after=${p2.next}`)).json()) as Page;
    expect(p3).toMatchObject({ predictions: [{ requestId: "l-4", role: "shadow", outputs: [4] }], next: null });

    const labelled = (await (await list("list", "?labelled=true")).json()) as Page;
    expect(labelled.predictions.map((p) => [p.requestId, p.labels])).toEqual([["l-1", [11]], ["l-3", [33]]]);
    expect(labelled.predictions.every((p) => p.labelledAt !== null && p.labelledAt >= p.predictedAt)).toBe(true);
    expect(((await (await list("list", "?role=shadow")).json()) as Page).predictions.map((p) => p.requestId)).toEqual(["l-4"]);
    expect(((await (await list("list", `?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).json()) as Page).predictions).toEqual([]);
  });

  it("answers bad queries with 400 and keeps tenants apart", async () => {
    for (const q of ["?limit=0", "?limit=5000", "?after=abc", "?since=yesterday", "?role=judge", "?labelled=maybe"]) {
      expect(await errorOf(await list("list", q)), q).toMatchObject({ status: 400, code: "BAD_REQUEST" });
    }
    expect(await errorOf(await list("nope"))).toMatchObject({ status: 404, message: "Deployment nope not found" });
    expect(await errorOf(await list("other-eta"))).toMatchObject({ status: 404 });
    expect(await errorOf(await list("list", "", secrets.stranger))).toMatchObject({ status: 404, message: "Project not found" });
    expect(await errorOf(await list("eta", "", secrets.viewer, strangerProject.id))).toMatchObject({ status: 404, message: "Project not found" });
    expect((await list("list", "", secrets.scoped)).status).toBe(404);
    expect(await errorOf(await list("list", "", ""))).toMatchObject({ status: 401 });
  });
});
