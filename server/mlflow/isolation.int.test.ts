/**
 * Who may call the MLflow API and on which project, and what bad input gets: anonymous and unknown
 * tokens 401, another tenant's ids 404 (never their data), a low role 403, a run's token only its own
 * run, an organisation token only with X-Cairn-Project; malformed requests a 4xx in MLflow's shape.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as tracking from "@/app/api/2.0/mlflow/[...path]/route";
import * as artifacts from "@/app/api/2.0/mlflow-artifacts/[...path]/route";
import { callerAs, createTestProject, createUser, mintRunToken, mintToken, uniq, type TestUser } from "../testing/factories";
import { mlflow, serveRoutes, type RouteServer } from "../testing/route-server";

let server: RouteServer;
let a: TestUser;
let projectA: { id: string; slug: string };
let otherProjectA: { id: string; slug: string };
let runA: string;
let runA2: string;
let experimentA: string;
let projectB: { id: string };
const t: Record<string, string> = {};

const call = (who: string | null, method: string, path: string, opts: Omit<Parameters<typeof mlflow>[3], "token"> = {}) => mlflow(server.url, method, path, { ...opts, token: who === null ? null : t[who] });

beforeAll(async () => {
  server = await serveRoutes({ "/api/2.0/mlflow/": tracking.GET, "/api/2.0/mlflow-artifacts/": artifacts.GET });
  a = await createUser();
  const b = await createUser();
  projectA = await createTestProject(a.orgId, a);
  otherProjectA = await createTestProject(a.orgId, a);
  projectB = await createTestProject(b.orgId, b);
  t.member = (await mintToken(a, { role: "MEMBER", projectId: projectA.id })).secret;
  t.viewer = (await mintToken(a, { role: "VIEWER", projectId: projectA.id })).secret;
  t.org = (await mintToken(a, { role: "ADMIN" })).secret;
  t.otherProject = (await mintToken(a, { role: "ADMIN", projectId: otherProjectA.id })).secret;
  t.b = (await mintToken(b, { role: "ADMIN", projectId: projectB.id })).secret;
  t.bOrg = (await mintToken(b, { role: "ADMIN" })).secret;
  const run = await callerAs(a).run.create({ projectId: projectA.id, experiment: uniq("exp") });
  runA = run.id;
  experimentA = run.experimentId;
  runA2 = (await callerAs(a).run.create({ projectId: projectA.id, experiment: "e2" })).id;
  t.run = await mintRunToken(projectA.id, runA);
});
afterAll(() => server?.close());

describe("MLflow API access", () => {
  it("answers anonymous callers and unknown tokens 401 UNAUTHENTICATED on every endpoint kind", async () => {
    for (const [method, path] of [["GET", "runs/get?run_id=x"], ["POST", "runs/log-batch"], ["POST", "experiments/create"], ["GET", "nope/nope"]] as const) {
      const anon = await call(null, method, path, method === "POST" ? { body: {} } : {});
      expect(anon, `${method} ${path}`).toMatchObject({ status: 401, body: { error_code: "UNAUTHENTICATED" } });
    }
    const bad = await mlflow(server.url, "GET", "runs/get", { token: "cairn_not-a-token", query: { run_id: runA } });
    expect(bad).toMatchObject({ status: 401, body: { error_code: "UNAUTHENTICATED" } });
    const res = await fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/${experimentA}/${runA}/artifacts/x.txt`, { method: "PUT", body: "x" });
    expect(res.status).toBe(401);
  });

  it("answers another organisation's runs, experiments and projects 404 RESOURCE_DOES_NOT_EXIST, and writes nothing", async () => {
    for (const who of ["b", "bOrg"]) {
      const headers = who === "bOrg" ? { "X-Cairn-Project": projectB.id } : undefined;
      expect(await call(who, "GET", "runs/get", { query: { run_id: runA }, headers })).toMatchObject({ status: 404, body: { error_code: "RESOURCE_DOES_NOT_EXIST" } });
      expect(await call(who, "POST", "runs/log-batch", { headers, body: { run_id: runA, metrics: [{ key: "m", value: 1, timestamp: "1", step: "0" }], params: [{ key: "p", value: "1" }] } })).toMatchObject({ status: 404 });
      expect(await call(who, "POST", "runs/update", { headers, body: { run_id: runA, status: "FINISHED" } })).toMatchObject({ status: 404 });
      expect(await call(who, "GET", "experiments/get", { query: { experiment_id: experimentA }, headers })).toMatchObject({ status: 404 });
      expect(await call(who, "GET", "artifacts/list", { query: { run_id: runA }, headers })).toMatchObject({ status: 404 });
      const put = await fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/${experimentA}/${runA}/artifacts/x.txt`, { method: "PUT", body: "x", headers: { Authorization: `Bearer ${t[who]}`, ...headers } });
      expect(put.status).toBe(404);
      const search = await call(who, "POST", "runs/search", { headers, body: { experiment_ids: [experimentA] } });
      expect(search.body.runs).toEqual([]);
    }
    // Naming A's project from B's organisation token is not a way in.
    expect(await call("bOrg", "GET", "runs/get", { query: { run_id: runA }, headers: { "X-Cairn-Project": projectA.id } })).toMatchObject({ status: 404, body: { error_code: "RESOURCE_DOES_NOT_EXIST" } });
    const run = await callerAs(a).run.get({ projectId: projectA.id, runId: runA });
    expect(run).toMatchObject({ status: "RUNNING", params: {}, metrics: [], artifacts: [] });
  });

  it("answers another organisation's models, versions and aliases 404, and registers nothing from its runs", async () => {
    const name = uniq("iso-model");
    await callerAs(a).model.create({ projectId: projectA.id, name, task: "regression" });
    expect(await call("b", "GET", "registered-models/get", { query: { name } })).toMatchObject({ status: 404, body: { error_code: "RESOURCE_DOES_NOT_EXIST" } });
    expect(await call("b", "GET", "model-versions/get", { query: { name, version: "1" } })).toMatchObject({ status: 404 });
    expect(await call("b", "GET", "registered-models/alias", { query: { name, alias: "staging" } })).toMatchObject({ status: 404 });
    expect(await call("b", "POST", "registered-models/alias", { body: { name, alias: "staging", version: "1" } })).toMatchObject({ status: 404 });
    expect((await call("b", "GET", "registered-models/search", { query: { filter: `name = '${name}'` } })).body.registered_models).toEqual([]);
    // B's own model of the same name cannot take A's run as its source.
    await call("b", "POST", "registered-models/create", { body: { name } });
    const stolen = await call("b", "POST", "model-versions/create", { body: { name, source: `runs:/${runA}/model` } });
    expect(stolen).toMatchObject({ status: 404, body: { error_code: "RESOURCE_DOES_NOT_EXIST" } });
    expect(await call("b", "GET", "model-versions/search", { query: { filter: `name = '${name}'` } })).toMatchObject({ status: 200, body: { model_versions: [] } });
  });

  it("keeps a project-scoped token in its project, even when it names another in X-Cairn-Project", async () => {
    expect(await call("otherProject", "GET", "runs/get", { query: { run_id: runA } })).toMatchObject({ status: 404 });
    expect(await call("otherProject", "GET", "runs/get", { query: { run_id: runA }, headers: { "X-Cairn-Project": projectA.id } })).toMatchObject({ status: 404 });
  });

  it("needs X-Cairn-Project for an organisation token (id, slug or org/slug)", async () => {
    const none = await call("org", "GET", "runs/get", { query: { run_id: runA } });
    expect(none).toMatchObject({ status: 400, body: { error_code: "INVALID_PARAMETER_VALUE" } });
    expect(none.body.message).toContain("X-Cairn-Project");
    for (const project of [projectA.id, projectA.slug, `${a.orgSlug}/${projectA.slug}`]) {
      expect(await call("org", "GET", "runs/get", { query: { run_id: runA }, headers: { "X-Cairn-Project": project } }), project).toMatchObject({ status: 200 });
    }
    expect(await call("org", "GET", "runs/get", { query: { run_id: runA }, headers: { "X-Cairn-Project": "no-such-project" } })).toMatchObject({ status: 404 });
  });

  it("refuses writes below MEMBER with 403 PERMISSION_DENIED; a viewer still reads", async () => {
    expect(await call("viewer", "POST", "runs/log-metric", { body: { run_id: runA, key: "m", value: 1, timestamp: "1", step: "0" } })).toMatchObject({ status: 403, body: { error_code: "PERMISSION_DENIED" } });
    expect(await call("viewer", "POST", "runs/create", { body: { experiment_id: experimentA } })).toMatchObject({ status: 403 });
    expect(await call("viewer", "POST", "registered-models/create", { body: { name: "viewer-model" } })).toMatchObject({ status: 403 });
    expect(await call("viewer", "GET", "runs/get", { query: { run_id: runA } })).toMatchObject({ status: 200 });
  });

  it("lets a run's token log to its own run only", async () => {
    await expect(call("run", "POST", "runs/log-metric", { body: { run_id: runA, key: "m", value: 1, timestamp: "1", step: "0" } })).resolves.toMatchObject({ status: 200 });
    expect(await call("run", "POST", "runs/log-metric", { body: { run_id: runA2, key: "m", value: 1, timestamp: "1", step: "0" } })).toMatchObject({ status: 403, body: { error_code: "PERMISSION_DENIED" } });
    expect(await call("run", "POST", "runs/create", { body: { experiment_id: experimentA } })).toMatchObject({ status: 403 });
    expect(await call("run", "GET", "runs/get", { query: { run_id: runA2 } })).toMatchObject({ status: 200 });
  });
});

describe("MLflow API bad input", () => {
  const cases: [string, string, string, Parameters<typeof mlflow>[3]][] = [
    ["malformed JSON", "POST", "runs/log-batch", { body: "{not json" }],
    ["a JSON array body", "POST", "runs/log-batch", { body: "[]" }],
    ["no run id", "POST", "runs/log-metric", { body: { key: "m", value: 1 } }],
    ["a non-numeric metric", "POST", "runs/log-metric", { body: { run_id: "abc", key: "m", value: "high" } }],
    ["a negative step", "POST", "runs/log-metric", { body: { run_id: "abc", key: "m", value: 1, step: "-1" } }],
    ["a timestamp that is not an integer", "POST", "runs/log-metric", { body: { run_id: "abc", key: "m", value: 1, timestamp: "soon" } }],
    ["over 1000 metrics in a batch", "POST", "runs/log-batch", { body: { run_id: "abc", metrics: Array.from({ length: 1001 }, (_, i) => ({ key: "m", value: i, timestamp: "1", step: String(i) })) } }],
    ["a filter MLflow would not parse", "POST", "runs/search", { body: { filter: "metrics.rmse <" } }],
    ["OR in a filter", "POST", "runs/search", { body: { filter: "params.a = '1' or params.b = '2'" } }],
    ["a metric compared with text", "POST", "runs/search", { body: { filter: "metrics.rmse < 'low'" } }],
    ["an unknown attribute", "POST", "runs/search", { body: { filter: "attributes.colour = 'red'" } }],
    ["a forged page token", "POST", "runs/search", { body: { page_token: "bm9wZQ" } }],
    ["a page of no runs", "POST", "runs/search", { body: { max_results: "0" } }],
    ["two order_by keys", "POST", "runs/search", { body: { order_by: ["metrics.a", "metrics.b"] } }],
    ["an empty key", "POST", "runs/set-tag", { body: { run_id: "abc", key: "", value: "x" } }],
    ["a key with a NUL character", "POST", "runs/log-batch", { body: { run_id: "abc", params: [{ key: "a\u0000b", value: "x" }] } }],
    ["a model name Cairn does not accept", "POST", "registered-models/create", { body: { name: "Churn Model!" } }],
    ["an unknown cairn.task", "POST", "registered-models/create", { body: { name: "ok-name", tags: [{ key: "cairn.task", value: "ranking" }] } }],
    ["a source that is no run artifact", "POST", "model-versions/create", { body: { name: "ok-name", source: "s3://bucket/model" } }],
    ["a version that is not a number", "GET", "model-versions/get", { query: { name: "ok-name", version: "latest" } }],
  ];
  for (const [what, method, path, opts] of cases) {
    it(`answers ${what} with 400 INVALID_PARAMETER_VALUE`, async () => {
      const res = await call("member", method, path, opts);
      expect(res).toMatchObject({ status: 400, body: { error_code: "INVALID_PARAMETER_VALUE" } });
      expect(typeof res.body.message).toBe("string");
    });
  }

  it("answers an unknown endpoint 404 ENDPOINT_NOT_FOUND and a wrong method 405", async () => {
    expect(await call("member", "GET", "runs/teleport")).toMatchObject({ status: 404, body: { error_code: "ENDPOINT_NOT_FOUND" } });
    expect(await call("member", "GET", "runs/log-batch")).toMatchObject({ status: 405, body: { error_code: "ENDPOINT_NOT_FOUND" } });
  });

  it("refuses artifact paths that climb out of the run and locations that name no run", async () => {
    const auth = { Authorization: `Bearer ${t.member}` };
    for (const path of [`${experimentA}/${runA}/artifacts/..%2F..%2Fescape.txt`, `${experimentA}/${runA}/artifacts/%2e%2e%2fescape.txt`, `${experimentA}/${runA}/elsewhere/x`]) {
      const res = await fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/${path}`, { method: "PUT", body: "x", headers: auth });
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { error_code: string }).error_code).toBe("INVALID_PARAMETER_VALUE");
    }
    // A run of another experiment of the same project: the location is wrong, so the run is not there.
    const wrong = await fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/${experimentA}/${runA2}/artifacts/x.txt`, { method: "PUT", body: "x", headers: auth });
    expect(wrong.status).toBe(404);
    expect((await callerAs(a).run.get({ projectId: projectA.id, runId: runA2 })).artifacts).toEqual([]);
  });

  it("answers a body over MLflow's 1 MiB request limit 413 without reading it all", async () => {
    const res = await call("member", "POST", "runs/log-batch", { body: JSON.stringify({ run_id: runA, tags: [{ key: "k", value: "x".repeat(1024 * 1024) }] }) });
    expect(res).toMatchObject({ status: 413, body: { error_code: "INVALID_PARAMETER_VALUE" } });
  });
});
