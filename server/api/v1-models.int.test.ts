/**
 * The registry's REST endpoints for scripts, called as Next calls them (a Request and a params
 * promise) with real API tokens, a real trained run and real ONNX files.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as modelsRoute from "@/app/api/v1/projects/[project]/models/route";
import * as versionsRoute from "@/app/api/v1/projects/[project]/models/[name]/versions/route";
import * as versionRoute from "@/app/api/v1/projects/[project]/models/[name]/versions/[number]/route";
import { db } from "../db";
import { createTestProject, createUser, mintToken, type TestUser } from "../testing/factories";
import { linearModel, projectWithTrainedRun } from "../testing/registry";

const BASE = "http://localhost/api/v1";
let owner: TestUser;
let project: { id: string; slug: string };
let runId: string;
const secrets: Record<string, string> = {};

function req(path: string, secret: string | null, init: RequestInit = {}): Request {
  const headers = new Headers(init.headers);
  if (secret !== null) headers.set("authorization", `Bearer ${secret}`);
  return new Request(`${BASE}${path}`, { ...init, headers });
}
const json = (body: unknown): RequestInit => ({ method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
const onnx = (bytes: Buffer): RequestInit => ({ method: "POST", body: new Uint8Array(bytes), headers: { "content-type": "application/octet-stream" } });
const params = <P>(p: P) => ({ params: Promise.resolve(p) });
const errorOf = async (res: Response) => ({ status: res.status, ...((await res.json()) as { error: { code: string; message: string } }).error });

const post = (name: string, init: RequestInit, secret = secrets.member!, query = "") =>
  versionsRoute.POST(req(`/projects/${project.id}/models/${name}/versions${query}`, secret, init), params({ project: project.id, name }));

beforeAll(async () => {
  const setup = await projectWithTrainedRun({ rows: 300 });
  owner = setup.owner;
  project = setup.project;
  runId = setup.run.id;
  secrets.member = (await mintToken(owner, { role: "MEMBER" })).secret;
  secrets.viewer = (await mintToken(owner, { role: "VIEWER" })).secret;
  const stranger = await createUser();
  await createTestProject(stranger.orgId, stranger);
  secrets.stranger = (await mintToken(stranger, { role: "ADMIN" })).secret;
});

describe("/api/v1/projects/{project}/models", () => {
  it("registers a run's model with JSON: 201 with the version, 200 with the same version on retry", async () => {
    const first = await post("eta", json({ runId, description: "from CI" }));
    expect(first.status).toBe(201);
    const version = (await first.json()) as { id: string; number: number; model: string; lineage: { source: string; run: { id: string } }; metrics: { metrics: { rmse: number } } | null; description: string };
    expect(version).toMatchObject({ number: 1, model: "eta", description: "from CI", lineage: { source: "run", run: { id: runId } } });
    expect(version.metrics?.metrics.rmse).toBeGreaterThan(0);
    const again = await post("eta", json({ runId }));
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe(version.id);

    const one = await versionRoute.GET(req(`/projects/${project.slug}/models/eta/versions/1`, secrets.viewer!), params({ project: project.slug, name: "eta", number: "1" }));
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ id: version.id, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), createdAt: expect.any(String) });
    const list = await versionsRoute.GET(req(`/projects/${project.id}/models/eta/versions`, secrets.viewer!), params({ project: project.id, name: "eta" }));
    expect(((await list.json()) as { versions: { id: string }[] }).versions.map((v) => v.id)).toEqual([version.id]);
    const models = await modelsRoute.GET(req(`/projects/${project.id}/models`, secrets.viewer!), params({ project: project.id }));
    expect((await models.json()) as unknown).toMatchObject({ models: [{ name: "eta", task: "regression", versionCount: 1, latest: { number: 1 } }] });
  });

  it("uploads an external ONNX file as application/octet-stream and refuses bytes that are not a model", async () => {
    const created = await modelsRoute.POST(req(`/projects/${project.id}/models`, secrets.member!, json({ name: "uploaded", task: "binary" })), params({ project: project.id }));
    expect(created.status).toBe(201);
    const dup = await modelsRoute.POST(req(`/projects/${project.id}/models`, secrets.member!, json({ name: "uploaded", task: "binary" })), params({ project: project.id }));
    expect(await errorOf(dup)).toMatchObject({ status: 409, code: "CONFLICT" });

    const res = await post("uploaded", onnx(linearModel(0.5 + Math.random(), { task: "binary" })), secrets.member, "?task=binary&description=vendor");
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ number: 1, task: "binary", description: "vendor", lineage: { source: "external" }, runId: null });
    expect(await errorOf(await post("uploaded", onnx(Buffer.from("garbage"))))).toMatchObject({ status: 400, code: "BAD_REQUEST", message: expect.stringMatching(/ONNX Runtime/) });
    expect(await errorOf(await post("uploaded", onnx(linearModel(Math.random()))))).toMatchObject({ status: 400, message: expect.stringMatching(/uploaded is a binary model/) });
    expect(await errorOf(await post("uploaded", { method: "POST", body: "x", headers: { "content-type": "text/plain" } }))).toMatchObject({ status: 400, message: expect.stringMatching(/application\/json.*application\/octet-stream/) });
    expect(await db().modelVersion.count({ where: { projectId: project.id, model: { name: "uploaded" } } })).toBe(1);
  });

  it("answers bad input with 4xx JSON", async () => {
    expect(await errorOf(await post("eta", { method: "POST", body: "{not json", headers: { "content-type": "application/json" } }))).toMatchObject({ status: 400, message: "The request body must be JSON" });
    expect(await errorOf(await post("eta", json({ runId: "../etc" })))).toMatchObject({ status: 400, message: expect.stringMatching(/runId/) });
    expect(await errorOf(await post("Bad Name", json({ runId })))).toMatchObject({ status: 400, message: expect.stringMatching(/model name/) });
    expect(await errorOf(await post("eta", json({ runId: "x".repeat(2_000_000) })))).toMatchObject({ status: 413, code: "PAYLOAD_TOO_LARGE" });
    const missing = await versionRoute.GET(req(`/projects/${project.id}/models/eta/versions/99`, secrets.viewer!), params({ project: project.id, name: "eta", number: "99" }));
    expect(await errorOf(missing)).toMatchObject({ status: 404, message: "Model version not found" });
    const word = await versionRoute.GET(req(`/projects/${project.id}/models/eta/versions/one`, secrets.viewer!), params({ project: project.id, name: "eta", number: "one" }));
    expect((await errorOf(word)).status).toBe(400);
    const noModel = await versionsRoute.GET(req(`/projects/${project.id}/models/nope/versions`, secrets.viewer!), params({ project: project.id, name: "nope" }));
    expect(await errorOf(noModel)).toMatchObject({ status: 404, message: "Model not found" });
  });

  it("keeps anonymous callers, other organisations and viewers out", async () => {
    expect(await errorOf(await post("eta", json({ runId }), ""))).toMatchObject({ status: 401, code: "UNAUTHORIZED" });
    expect(await errorOf(await modelsRoute.GET(req(`/projects/${project.id}/models`, ""), params({ project: project.id })))).toMatchObject({ status: 401 });
    expect(await errorOf(await post("eta", json({ runId }), secrets.stranger))).toMatchObject({ status: 404, message: "Project not found" });
    const strangerRead = await versionRoute.GET(req(`/projects/${project.id}/models/eta/versions/1`, secrets.stranger!), params({ project: project.id, name: "eta", number: "1" }));
    expect(await errorOf(strangerRead)).toMatchObject({ status: 404 });
    expect(await errorOf(await post("eta", json({ runId }), secrets.viewer))).toMatchObject({ status: 403, code: "FORBIDDEN" });
    expect(await errorOf(await post("viewer-upload", onnx(linearModel(Math.random())), secrets.viewer))).toMatchObject({ status: 403 });
    expect(await db().registeredModel.count({ where: { projectId: project.id, name: "viewer-upload" } })).toBe(0);
  });
});
