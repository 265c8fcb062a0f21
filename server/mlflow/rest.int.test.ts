/**
 * Requests shaped as MLflow's official Python client sends them (MLflow's REST API reference and
 * mlflow/utils/rest_utils.py: GET with query parameters, everything else a JSON body from
 * protobuf's MessageToDict, so int64 fields such as timestamps and steps arrive as strings and NaN as
 * "NaN"), over real HTTP to the route handlers: tracking, artifacts and the registry.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as tracking from "@/app/api/2.0/mlflow/[...path]/route";
import * as artifacts from "@/app/api/2.0/mlflow-artifacts/[...path]/route";
import { callerAs, createTestProject, createUser, mintToken, uniq, type TestUser } from "../testing/factories";
import { linearModel } from "../testing/registry";
import { mlflow, serveRoutes, type RouteServer } from "../testing/route-server";

let server: RouteServer;
let owner: TestUser;
let project: { id: string; slug: string };
let token: string;

type Json = Record<string, unknown>;

const call = (method: string, path: string, opts: Parameters<typeof mlflow>[3] = {}) => mlflow(server.url, method, path, { token, ...opts });
const ok = async (method: string, path: string, opts: Parameters<typeof mlflow>[3] = {}) => {
  const res = await call(method, path, opts);
  expect(res, `${method} ${path}`).toMatchObject({ status: 200 });
  return res.body as Json & Record<string, Json & Record<string, unknown>>;
};

beforeAll(async () => {
  server = await serveRoutes({ "/api/2.0/mlflow/": tracking.POST, "/api/2.0/mlflow-artifacts/": artifacts.PUT });
  owner = await createUser();
  project = await createTestProject(owner.orgId, owner);
  token = (await mintToken(owner, { role: "MEMBER", projectId: project.id })).secret;
});
afterAll(() => server?.close());

/** What mlflow.start_run() sends after mlflow.set_experiment(name). */
async function startRun(experimentId: string, runName: string, startTime = "1700000000000") {
  const created = await ok("POST", "runs/create", {
    body: {
      experiment_id: experimentId,
      user_id: "alice",
      start_time: startTime,
      run_name: runName,
      tags: [
        { key: "mlflow.user", value: "alice" },
        { key: "mlflow.source.name", value: "train.py" },
        { key: "mlflow.source.type", value: "LOCAL" },
        { key: "mlflow.source.git.commit", value: "0123abcd" },
        { key: "mlflow.runName", value: runName },
      ],
    },
  });
  return (created.run as { info: { run_id: string } }).info.run_id;
}

describe("tracking, as the Python client calls it", () => {
  let experimentId: string;
  const name = uniq("churn");

  it("sets an experiment: get-by-name (404), create, create again (RESOURCE_ALREADY_EXISTS), search", async () => {
    expect(await call("GET", "experiments/get-by-name", { query: { experiment_name: name } })).toMatchObject({ status: 404, body: { error_code: "RESOURCE_DOES_NOT_EXIST" } });
    experimentId = (await ok("POST", "experiments/create", { body: { name, tags: [] } })).experiment_id as unknown as string;
    expect(await call("POST", "experiments/create", { body: { name } })).toMatchObject({ status: 400, body: { error_code: "RESOURCE_ALREADY_EXISTS" } });
    const byName = await ok("GET", "experiments/get-by-name", { query: { experiment_name: name } });
    expect(byName.experiment).toMatchObject({ experiment_id: experimentId, name, lifecycle_stage: "active", artifact_location: `mlflow-artifacts:/${experimentId}` });
    const search = await ok("POST", "experiments/search", { body: { max_results: "1000", filter: `name LIKE '${name.slice(0, 7)}%'`, view_type: "ACTIVE_ONLY" } });
    expect((search.experiments as unknown as { name: string }[]).map((e) => e.name)).toEqual([name]);
  });

  it("logs runs (log-batch idempotent under retry, NaN kept), searches them with MLflow's filter, order and pages", async () => {
    const runs: string[] = [];
    for (const [i, rmse] of [0.8, 0.4, 0.6].entries()) {
      const runId = await startRun(experimentId, `run-${i}`, String(1_700_000_000_000 + i));
      runs.push(runId);
      const batch = {
        run_id: runId,
        metrics: [
          { key: "rmse", value: rmse + 0.5, timestamp: "1700000000001", step: "0" },
          { key: "rmse", value: rmse, timestamp: "1700000000002", step: "1" },
          { key: "val loss", value: "NaN", timestamp: "1700000000002", step: "1" },
        ],
        params: [{ key: "depth", value: i === 2 ? "8" : "6" }, { key: "optimizer.lr", value: "0.1" }],
        tags: [{ key: "team", value: i === 0 ? "ops" : "eta" }],
      };
      await ok("POST", "runs/log-batch", { body: batch });
      await ok("POST", "runs/log-batch", { body: batch });
    }
    const history = await ok("GET", "metrics/get-history", { query: { run_id: runs[0]!, metric_key: "rmse" } });
    expect(history.metrics).toEqual([
      { key: "rmse", value: 1.3, timestamp: 1_700_000_000_001, step: 0 },
      { key: "rmse", value: 0.8, timestamp: 1_700_000_000_002, step: 1 },
    ]);
    const nan = await ok("GET", "metrics/get-history", { query: { run_id: runs[0]!, metric_key: "val loss" } });
    expect(nan.metrics).toEqual([{ key: "val loss", value: "NaN", timestamp: 1_700_000_000_002, step: 1 }]);

    const search = (body: Json) => ok("POST", "runs/search", { body: { experiment_ids: [experimentId], run_view_type: "ACTIVE_ONLY", max_results: 1000, ...body } });
    const ids = (r: Json) => (r.runs as unknown as { info: { run_id: string } }[] | undefined ?? []).map((x) => x.info.run_id);
    expect(ids(await search({ filter: "metrics.rmse < 0.7 and params.depth = '6' and tags.team = 'eta'" }))).toEqual([runs[1]]);
    expect(ids(await search({ filter: "params.`optimizer.lr` = '0.1' and tags.\"team\" != 'ops'", order_by: ["metrics.rmse DESC"] }))).toEqual([runs[2], runs[1]]);
    expect(ids(await search({ filter: "attributes.run_name LIKE 'run-%' and attributes.status = 'RUNNING'", order_by: ["attributes.start_time ASC"] }))).toEqual(runs);
    expect(ids(await search({ filter: `attributes.run_id IN ('${runs[0]}', '${runs[2]}')`, order_by: ["params.depth DESC"] }))).toEqual([runs[2], runs[0]]);

    // Pages of one: each answer carries the token of the next, the last none.
    const seen: string[] = [];
    let pageToken: string | undefined;
    do {
      const page = await search({ max_results: "1", order_by: ["metrics.rmse ASC"], ...(pageToken ? { page_token: pageToken } : {}) });
      seen.push(...ids(page));
      pageToken = page.next_page_token as unknown as string | undefined;
    } while (pageToken);
    expect(seen).toEqual([runs[1], runs[2], runs[0]]);
    // mlflow.search_runs() asks for pages of 10,000: served (in pages of at most 5000), not refused.
    expect(ids(await search({ max_results: "10000", order_by: ["metrics.rmse ASC"] }))).toEqual([runs[1], runs[2], runs[0]]);

    await ok("POST", "runs/update", { body: { run_id: runs[0], run_uuid: runs[0], status: "FINISHED", end_time: "1700000009999" } });
    expect(ids(await search({ filter: "attributes.status = 'FINISHED'" }))).toEqual([runs[0]]);
    const got = await ok("GET", "runs/get", { query: { run_uuid: runs[0]!, run_id: runs[0]! } });
    const run = got.run as unknown as { info: Json; data: { metrics: Json[]; params: Json[]; tags: Json[] } };
    expect(run.info).toMatchObject({ run_id: runs[0], run_name: "run-0", status: "FINISHED", experiment_id: experimentId, lifecycle_stage: "active" });
    expect(run.data.metrics).toEqual([
      { key: "rmse", value: 0.8, timestamp: 1_700_000_000_002, step: 1 },
      { key: "val loss", value: "NaN", timestamp: 1_700_000_000_002, step: 1 },
    ]);
    expect(run.data.params).toEqual(expect.arrayContaining([{ key: "depth", value: "6" }, { key: "optimizer.lr", value: "0.1" }]));
    expect(run.data.tags).toEqual(expect.arrayContaining([{ key: "mlflow.source.name", value: "train.py" }, { key: "mlflow.runName", value: "run-0" }]));

    // The runs table holds them once each: two points per rmse series despite the retried batches, the git commit as the run's code version.
    const { runs: listed } = await callerAs(owner).run.list({ projectId: project.id, experimentId, sort: { by: "number", dir: "asc" } });
    expect(listed.map((r) => r.metrics.find((m) => m.key === "rmse")?.count)).toEqual([2, 2, 2]);
    expect(listed[0]).toMatchObject({ code: { commit: "0123abcd" }, params: { depth: "6", "optimizer.lr": "0.1" } });
  });

  it("keeps MLflow's param and metric semantics: a changed param is refused, log-metric retried is stored once", async () => {
    const runId = await startRun(experimentId, "semantics");
    await ok("POST", "runs/log-parameter", { body: { run_id: runId, run_uuid: runId, key: "depth", value: "6" } });
    await ok("POST", "runs/log-parameter", { body: { run_id: runId, key: "depth", value: "6" } });
    const changed = await call("POST", "runs/log-parameter", { body: { run_id: runId, key: "depth", value: "7" } });
    expect(changed).toMatchObject({ status: 400, body: { error_code: "INVALID_PARAMETER_VALUE" } });
    // A batch whose param conflicts writes nothing, not even its metrics.
    const refused = await call("POST", "runs/log-batch", { body: { run_id: runId, params: [{ key: "depth", value: "9" }], metrics: [{ key: "acc", value: 0.9, timestamp: "1", step: "0" }] } });
    expect(refused).toMatchObject({ status: 400, body: { error_code: "INVALID_PARAMETER_VALUE" } });
    const point = { run_id: runId, key: "acc", value: 0.91, timestamp: "1700000000123", step: "3" };
    await ok("POST", "runs/log-metric", { body: point });
    await ok("POST", "runs/log-metric", { body: point });
    await ok("POST", "runs/log-metric", { body: { ...point, value: 0.93, step: "4" } });
    const history = await ok("GET", "metrics/get-history", { query: { run_id: runId, metric_key: "acc" } });
    expect((history.metrics as unknown as { step: number }[]).map((m) => m.step)).toEqual([3, 4]);
    await ok("POST", "runs/set-tag", { body: { run_id: runId, key: "mlflow.runName", value: "renamed" } });
    await ok("POST", "runs/delete-tag", { body: { run_id: runId, key: "mlflow.source.type" } });
    const got = await ok("GET", "runs/get", { query: { run_id: runId } });
    expect((got.run as unknown as { info: Json }).info.run_name).toBe("renamed");
    expect(JSON.stringify(got)).not.toContain("mlflow.source.type");
    expect(await call("POST", "runs/delete-tag", { body: { run_id: runId, key: "mlflow.source.type" } })).toMatchObject({ status: 404 });
  });

  it("stores artifacts through the artifact proxy and registers a logged ONNX model; champion only moves through promotion", async () => {
    const runId = await startRun(experimentId, "with-model");
    const root = `${server.url}/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts`;
    const auth = { Authorization: `Bearer ${token}` };
    const onnx = linearModel(1.5, { task: "binary" });
    expect((await fetch(`${root}/model/model.onnx`, { method: "PUT", headers: auth, body: new Uint8Array(onnx) })).status).toBe(200);
    const mlmodel = "flavors:\n  onnx: {}\n";
    expect((await fetch(`${root}/model/MLmodel`, { method: "PUT", headers: auth, body: mlmodel })).status).toBe(200);
    const list = async (path: string) => (await (await fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent(path)}`, { headers: auth })).json()) as Json;
    expect(await list(`${experimentId}/${runId}/artifacts`)).toEqual({ files: [{ path: "model", is_dir: true }] });
    expect(await list(`${experimentId}/${runId}/artifacts/model`)).toEqual({ files: [{ path: "MLmodel", is_dir: false, file_size: Buffer.byteLength(mlmodel) }, { path: "model.onnx", is_dir: false, file_size: onnx.length }] });
    const download = await fetch(`${root}/model/model.onnx`, { headers: auth });
    expect(Buffer.from(await download.arrayBuffer()).equals(onnx)).toBe(true);

    const modelName = uniq("churn-model");
    const created = await ok("POST", "registered-models/create", { body: { name: modelName } });
    expect(created.registered_model).toMatchObject({ name: modelName, latest_versions: [], aliases: [] });
    expect(await call("POST", "registered-models/create", { body: { name: modelName } })).toMatchObject({ status: 400, body: { error_code: "RESOURCE_ALREADY_EXISTS" } });
    const source = `mlflow-artifacts:/${experimentId}/${runId}/artifacts/model`;
    // Cairn registers a finished run's model only.
    const early = await call("POST", "model-versions/create", { body: { name: modelName, source, run_id: runId } });
    expect(early).toMatchObject({ status: 400, body: { error_code: "INVALID_PARAMETER_VALUE" } });
    expect(early.body.message).toContain("FINISHED");
    await ok("POST", "runs/update", { body: { run_id: runId, status: "FINISHED", end_time: String(Date.now()) } });
    const version = await ok("POST", "model-versions/create", { body: { name: modelName, source, run_id: runId } });
    expect(version.model_version).toMatchObject({ name: modelName, version: "1", status: "READY", run_id: runId, source: `runs:/${runId}/model/model.onnx`, current_stage: "None" });
    // The model was created without cairn.task: its first version's file (a binary classifier) set it.
    const model = await ok("GET", "registered-models/get", { query: { name: modelName } });
    expect(model.registered_model).toMatchObject({ tags: [{ key: "cairn.task", value: "binary" }], latest_versions: [expect.objectContaining({ version: "1" })] });
    expect((await ok("GET", "model-versions/get", { query: { name: modelName, version: "1" } })).model_version).toMatchObject({ version: "1" });
    const versions = await ok("GET", "model-versions/search", { query: { filter: `name='${modelName}' and run_id='${runId}'` } });
    expect((versions.model_versions as unknown as Json[]).map((v) => v.version)).toEqual(["1"]);
    const models = await ok("GET", "registered-models/search", { query: { filter: `name ILIKE '${modelName.toUpperCase()}'`, max_results: "10" } });
    expect((models.registered_models as unknown as Json[]).map((m) => m.name)).toEqual([modelName]);

    const latest = await ok("POST", "registered-models/get-latest-versions", { body: { name: modelName, stages: ["None"] } });
    expect((latest.model_versions as unknown as Json[]).map((v) => v.version)).toEqual(["1"]);
    expect((await ok("POST", "registered-models/get-latest-versions", { body: { name: modelName, stages: ["Production"] } })).model_versions).toEqual([]);
    await ok("POST", "registered-models/alias", { body: { name: modelName, alias: "staging", version: "1" } });
    expect((await ok("GET", "registered-models/alias", { query: { name: modelName, alias: "staging" } })).model_version).toMatchObject({ version: "1", aliases: ["staging"] });
    const champion = await call("POST", "registered-models/alias", { body: { name: modelName, alias: "champion", version: "1" } });
    expect(champion).toMatchObject({ status: 400, body: { error_code: "INVALID_PARAMETER_VALUE" } });
    expect(champion.body.message).toMatch(/promotion/);
    expect(await call("DELETE", "registered-models/alias", { body: { name: modelName, alias: "champion" } })).toMatchObject({ status: 400 });
    // The Python client sends DELETE with a JSON body.
    await ok("DELETE", "registered-models/alias", { body: { name: modelName, alias: "staging" } });
    expect(await call("GET", "registered-models/alias", { query: { name: modelName, alias: "staging" } })).toMatchObject({ status: 404, body: { error_code: "RESOURCE_DOES_NOT_EXIST" } });
    const history = await callerAs(owner).model.history({ projectId: project.id, modelId: (await callerAs(owner).model.get({ projectId: project.id, name: modelName })).id });
    expect(history.map((h) => [h.alias, h.kind])).toEqual([["staging", "remove"], ["staging", "set"]]);
  });

  it("maps MLflow's default experiment \"0\" to the project's Default experiment, which only creating a run creates", async () => {
    expect(await call("GET", "experiments/get", { query: { experiment_id: "0" } })).toMatchObject({ status: 404, body: { error_code: "RESOURCE_DOES_NOT_EXIST" } });
    expect((await ok("POST", "runs/search", { body: { experiment_ids: ["0"] } })).runs).toEqual([]);
    const runId = await startRun("0", "no-experiment-set");
    const experiment = (await ok("GET", "experiments/get", { query: { experiment_id: "0" } })).experiment as unknown as { experiment_id: string; name: string };
    expect(experiment.name).toBe("Default");
    const got = await ok("GET", "runs/get", { query: { run_id: runId } });
    expect((got.run as unknown as { info: Json }).info.experiment_id).toBe(experiment.experiment_id);
    const found = await ok("POST", "runs/search", { body: { experiment_ids: ["0"] } });
    expect((found.runs as unknown as { info: { run_id: string } }[]).map((r) => r.info.run_id)).toEqual([runId]);
  });
});
