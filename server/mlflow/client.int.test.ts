/**
 * The third-party npm `mlflow` client (node_modules/mlflow: it calls /api/2.0/mlflow/… with the
 * headers it is given) against the MLflow route handlers served over real HTTP, with a real Cairn
 * token. What it logs must be Cairn's own run: in the runs list and the compare view.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import MLflow from "mlflow";
import { RunStatus, ViewType } from "mlflow/enum";
import * as tracking from "@/app/api/2.0/mlflow/[...path]/route";
import * as artifacts from "@/app/api/2.0/mlflow-artifacts/[...path]/route";
import { callerAs, createTestProject, createUser, mintToken, uniq, type TestUser } from "../testing/factories";
import { serveRoutes, type RouteServer } from "../testing/route-server";

let server: RouteServer;
let owner: TestUser;
let project: { id: string; slug: string };
let member: MLflow;
let admin: MLflow;
let memberToken: string;

/** The client throws Error(JSON.stringify({status, statusText, data})) wrapped once more in Error. */
async function failure(p: Promise<unknown>): Promise<{ status: number; data: { error_code: string; message: string } }> {
  const err = await p.then(
    () => null,
    (e: unknown) => e as Error,
  );
  expect(err, "the call should have failed").not.toBeNull();
  return JSON.parse(err!.message.replace(/^Error: /, "")) as unknown as { status: number; data: { error_code: string; message: string } };
}

beforeAll(async () => {
  // The client prints every request body it sends; the test output stays readable without it.
  vi.spyOn(console, "log").mockImplementation(() => undefined);
  server = await serveRoutes({ "/api/2.0/mlflow/": tracking.POST, "/api/2.0/mlflow-artifacts/": artifacts.PUT });
  owner = await createUser();
  project = await createTestProject(owner.orgId, owner);
  memberToken = (await mintToken(owner, { role: "MEMBER", projectId: project.id })).secret;
  const adminToken = (await mintToken(owner, { role: "ADMIN", projectId: project.id })).secret;
  member = new MLflow({ endpoint: server.url, headers: { Authorization: `Bearer ${memberToken}` } });
  admin = new MLflow({ endpoint: server.url, headers: { Authorization: `Bearer ${adminToken}` } });
});

afterAll(async () => {
  await server?.close();
  vi.restoreAllMocks();
});

describe("the npm mlflow client against Cairn", () => {
  it("logs a run that Cairn lists and compares like any other", async () => {
    const name = uniq("exp");
    const { experiment_id } = (await member.Experiments.create({ name, artifact_location: "" })) as unknown as { experiment_id: string };
    const got = (await member.Experiments.get({ experiment_id })) as unknown as { experiment: { name: string; lifecycle_stage: string } };
    expect(got.experiment).toMatchObject({ name, lifecycle_stage: "active" });
    const listed = (await member.Experiments.list()) as unknown as { experiments: { experiment_id: string }[] };
    expect(listed.experiments.map((e) => e.experiment_id)).toContain(experiment_id);

    const created = (await member.Runs.create({ user_id: "ci", experiment_id, start_time: Date.now(), tags: [{ key: "mlflow.runName", value: "npm-run" }, { key: "team", value: "eta" }] })) as unknown as {
      run: { info: { run_id: string; status: string; run_name: string; artifact_uri: string } };
    };
    const runId = created.run.info.run_id;
    expect(created.run.info).toMatchObject({ status: "RUNNING", run_name: "npm-run", artifact_uri: `mlflow-artifacts:/${experiment_id}/${runId}/artifacts` });

    await member.Runs.logParameter({ run_id: runId, key: "depth", value: "6" });
    for (const [step, value] of [0.9, 0.7, 0.5].entries()) await member.Runs.logMetric({ run_id: runId, key: "rmse", value, timestamp: 1_700_000_000_000 + step, step });
    await member.Runs.setTag({ run_id: runId, key: "stage", value: "tuning" });
    const batch = { run_id: runId, metrics: [{ key: "loss", value: 2, timestamp: 1_700_000_000_100, step: 1 }, { key: "loss", value: 1, timestamp: 1_700_000_000_200, step: 2 }], params: [{ key: "lr", value: "0.1" }], tags: [] };
    await member.Runs.logBatch(batch);
    // A retried batch (the answer was lost) is stored once.
    await member.Runs.logBatch(batch);

    const changed = await failure(member.Runs.logParameter({ run_id: runId, key: "depth", value: "8" }));
    expect(changed).toMatchObject({ status: 400, data: { error_code: "INVALID_PARAMETER_VALUE" } });
    expect(changed.data.message).toContain("depth");

    const history = (await member.Metrics.getHistory({ run_id: runId, metric_key: "loss" })) as unknown as { metrics: { value: number; step: number; timestamp: number }[] };
    expect(history.metrics).toEqual([
      { key: "loss", value: 2, step: 1, timestamp: 1_700_000_000_100 },
      { key: "loss", value: 1, step: 2, timestamp: 1_700_000_000_200 },
    ]);

    const search = (await member.Runs.search({ experiment_ids: [experiment_id], filter: "metrics.rmse < 0.6 and params.depth = '6' and tags.team = 'eta'" })) as unknown as { runs: { info: { run_id: string } }[] };
    expect(search.runs.map((r) => r.info.run_id)).toEqual([runId]);
    const none = (await member.Runs.search({ experiment_ids: [experiment_id], filter: "metrics.rmse < 0.5" })) as unknown as { runs?: unknown[] };
    expect(none.runs).toEqual([]);

    const csv = "step,loss\n1,2\n2,1\n";
    const upload = await fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/${experiment_id}/${runId}/artifacts/plots/loss.csv`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${memberToken}` },
      body: csv,
    });
    expect(upload.status).toBe(200);
    const files = (await member.Artifacts.list({ run_id: runId, path: "plots" })) as unknown as { files: { path: string; is_dir: boolean; file_size: number }[]; root_uri: string };
    expect(files).toEqual({ root_uri: `mlflow-artifacts:/${experiment_id}/${runId}/artifacts`, files: [{ path: "plots/loss.csv", is_dir: false, file_size: Buffer.byteLength(csv) }] });

    const updated = (await member.Runs.update({ run_id: runId, status: RunStatus.FINISHED, end_time: Date.now() })) as unknown as { run_info: { status: string; end_time: number } };
    expect(updated.run_info.status).toBe("FINISHED");
    const fetched = (await member.Runs.get({ run_id: runId })) as unknown as { run: { data: { metrics: { key: string; value: number; step: number }[]; params: { key: string; value: string }[]; tags: { key: string; value: string }[] } } };
    expect(fetched.run.data.metrics).toEqual([
      expect.objectContaining({ key: "loss", value: 1, step: 2 }),
      expect.objectContaining({ key: "rmse", value: 0.5, step: 2 }),
    ]);
    expect(fetched.run.data.params).toEqual(expect.arrayContaining([{ key: "depth", value: "6" }, { key: "lr", value: "0.1" }]));
    expect(fetched.run.data.tags).toEqual(expect.arrayContaining([{ key: "stage", value: "tuning" }, { key: "mlflow.runName", value: "npm-run" }]));

    // Cairn's own services see the same run: the runs table (with its summaries) and the compare view.
    const cairn = callerAs(owner);
    const { runs } = await cairn.run.list({ projectId: project.id, filter: `experiment = "${name}"` });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ id: runId, name: "npm-run", status: "FINISHED", params: { depth: "6", lr: "0.1" }, tags: { team: "eta", stage: "tuning" } });
    expect(runs[0]!.metrics).toEqual([
      expect.objectContaining({ key: "loss", count: 2, last: 1 }),
      expect.objectContaining({ key: "rmse", count: 3, last: 0.5, min: 0.5, max: 0.9 }),
    ]);
    const compare = await cairn.run.compare({ projectId: project.id, runIds: [runId], keys: ["rmse"] });
    expect(JSON.stringify(compare)).toContain("rmse");
    const detail = await cairn.run.get({ projectId: project.id, runId });
    expect(detail.artifacts.map((a) => a.path)).toEqual(["plots/loss.csv"]);
  });

  it("deletes (archives) and restores a run with an ADMIN token; a MEMBER token is refused", async () => {
    const { experiment_id } = (await member.Experiments.create({ name: uniq("exp"), artifact_location: "" })) as unknown as { experiment_id: string };
    const { run } = (await member.Runs.create({ user_id: "ci", experiment_id, start_time: Date.now(), tags: [] })) as unknown as { run: { info: { run_id: string } } };
    await member.Runs.update({ run_id: run.info.run_id, status: RunStatus.KILLED, end_time: Date.now() });
    expect(await failure(member.Runs.delete({ run_id: run.info.run_id }))).toMatchObject({ status: 403, data: { error_code: "PERMISSION_DENIED" } });
    await admin.Runs.delete({ run_id: run.info.run_id });
    const deleted = (await member.Runs.get({ run_id: run.info.run_id })) as unknown as { run: { info: { lifecycle_stage: string; status: string } } };
    expect(deleted.run.info).toMatchObject({ lifecycle_stage: "deleted", status: "KILLED" });
    const active = (await member.Runs.search({ experiment_ids: [experiment_id] })) as unknown as { runs: unknown[] };
    expect(active.runs).toEqual([]);
    const all = (await member.Runs.search({ experiment_ids: [experiment_id], run_view_type: ViewType.DELETED_ONLY })) as unknown as { runs: unknown[] };
    expect(all.runs).toHaveLength(1);
    await admin.Runs.restore({ run_id: run.info.run_id });
    expect(((await member.Runs.search({ experiment_ids: [experiment_id] })) as unknown as { runs: unknown[] }).runs).toHaveLength(1);
  });

  it("answers a run of another organisation as missing, and an anonymous client as unauthenticated", async () => {
    const { run } = (await member.Runs.create({ user_id: "ci", experiment_id: "0", start_time: Date.now(), tags: [] })) as unknown as { run: { info: { run_id: string } } };
    const stranger = await createUser();
    await createTestProject(stranger.orgId, stranger);
    const theirs = new MLflow({ endpoint: server.url, headers: { Authorization: `Bearer ${(await mintToken(stranger, { role: "ADMIN", projectId: (await createTestProject(stranger.orgId, stranger)).id })).secret}` } });
    expect(await failure(theirs.Runs.get({ run_id: run.info.run_id }))).toMatchObject({ status: 404, data: { error_code: "RESOURCE_DOES_NOT_EXIST" } });
    expect(await failure(theirs.Runs.logMetric({ run_id: run.info.run_id, key: "x", value: 1, timestamp: Date.now(), step: 0 }))).toMatchObject({ status: 404 });
    const anonymous = new MLflow({ endpoint: server.url });
    expect(await failure(anonymous.Runs.get({ run_id: run.info.run_id }))).toMatchObject({ status: 401, data: { error_code: "UNAUTHENTICATED" } });
    // Nothing reached the run.
    const [mine] = (await callerAs(owner).run.list({ projectId: project.id, filter: `id = "${run.info.run_id}"` })).runs;
    expect(mine!.metrics).toEqual([]);
  });
});
