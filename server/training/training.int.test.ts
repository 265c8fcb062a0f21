import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "../db";
import { projectWithVersion } from "../testing/datasets";
import { type callerAs, callerWithToken } from "../testing/factories";
import { waitFor } from "../testing/wait";
import { validateVersion } from "../datasets/validate-job";
import { deliveriesCsv } from "../ml/synthetic/deliveries";
import { runTrainingJob, type WorkerHost } from "./job";
import { runEvaluationJob } from "../evaluation/job";
import { dispatchPending } from "../events/dispatch";
import { newTokenSecret } from "../auth/tokens";

const WORKER: WorkerHost = { id: "test-worker", hostname: "test-host", gpus: [], cpuCount: 2, version: "test" };
const ROOT = path.resolve(import.meta.dirname, "..", "..");


const setup = (rows = 2000) => projectWithVersion(deliveriesCsv(rows));

async function command(caller: ReturnType<typeof callerAs>, projectId: string, name: string, cmd: string, timeoutSeconds = 60) {
  return caller.training.saveCommand({ projectId, name, command: cmd, timeoutSeconds });
}

describe("built-in training and evaluation", () => {
  it("trains a GBDT on a version's splits, stores model.onnx, logs history and evaluates on the test split", async () => {
    const { project, caller, version } = await setup();
    const run = await caller.training.start({
      projectId: project.id, datasetVersionId: version.id, target: "minutes", exclude: ["delivery_id"], trainer: "gbdt",
      params: { rounds: 40, maxDepth: 4, learningRate: 0.2, earlyStoppingRounds: 10 }, sliceColumn: "region", sensitiveColumn: "vehicle_type",
    });
    expect(run.status).toBe("QUEUED");
    await runTrainingJob(run.id, WORKER);
    // The evaluation report is created by the evaluation domain's consumer of run.training.finished.
    expect(await dispatchPending(project.id)).toContain("run.training.finished:evaluation.after-training");
    const done = await caller.run.get({ projectId: project.id, runId: run.id });
    expect(done.status).toBe("FINISHED");
    expect(done.artifacts.map((a) => a.path).sort()).toEqual(["encoding.json", "model.json", "model.onnx"]);
    expect(done.metrics.map((m) => m.key)).toEqual(expect.arrayContaining(["train_rmse", "valid_rmse"]));
    expect(done.environment).toMatchObject({ host: "test-host", gpus: [] });
    const logs = await caller.training.logs({ projectId: project.id, runId: run.id });
    expect(logs.map((l) => l.line).join("\n")).toMatch(/wrote model.onnx/);

    const [report] = await caller.training.evaluations({ projectId: project.id, runId: run.id });
    expect(report).toMatchObject({ status: "PENDING", split: "test" });
    await runEvaluationJob(report!.id);
    const full = await caller.training.evaluation({ projectId: project.id, reportId: report!.id });
    expect(full.status).toBe("DONE");
    const r = full.report as {
      task: string; metrics: { rmse: { value: number }; r2: { value: number } }; slices: { slices: unknown[] }; rowErrors: { values: number[] };
      robustness: { perturbation: string; delta: number | null }[]; robustnessSample: { rows: number; of: number }; encoding: { source: string }; scoring: { rows: number };
    };
    expect(r.task).toBe("regression");
    expect(r.metrics.r2.value).toBeGreaterThan(0.6);
    expect(r.slices.slices.length).toBe(5);
    expect(r.robustness.length).toBeGreaterThan(3);
    // The CSV cells were parsed before the noise was added (it used to be a no-op on text).
    expect(r.robustness.filter((p) => p.perturbation === "gaussian_noise").every((p) => p.delta !== null && Math.abs(p.delta) > 1e-6)).toBe(true);
    expect(r.robustnessSample).toEqual({ rows: r.scoring.rows, of: r.scoring.rows });
    expect(r.encoding.source).toBe("artifact");
    expect(r.rowErrors.values.length).toBeGreaterThan(100);
    const after = await caller.run.get({ projectId: project.id, runId: run.id });
    expect(after.metrics.find((m) => m.key === "test/rmse")!.last).toBeCloseTo(r.metrics.rmse.value, 9);
    // Evaluating again changes nothing.
    await runEvaluationJob(report!.id);
    expect((await caller.run.get({ projectId: project.id, runId: run.id })).metrics.find((m) => m.key === "test/rmse")!.count).toBe(1);
  });

  it("refuses a version that failed validation and bad trainer params", async () => {
    const { project, caller, version } = await setup(300);
    const ds = await caller.dataset.get({ projectId: project.id, slug: "deliveries" });
    await caller.dataset.saveContract({ projectId: project.id, datasetId: ds.id, expectations: [{ kind: "row_count", min: 100_000 }] });
    await validateVersion(version.id);
    await expect(caller.training.start({ projectId: project.id, datasetVersionId: version.id, target: "minutes", trainer: "gbdt" })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringMatching(/failed validation/),
    });
    await caller.dataset.saveContract({ projectId: project.id, datasetId: ds.id, expectations: [] });
    await validateVersion(version.id);
    await expect(caller.training.start({ projectId: project.id, datasetVersionId: version.id, target: "minutes", trainer: "gbdt", params: { depth: 3 } })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/Invalid gbdt params/) });
    await expect(caller.training.start({ projectId: project.id, datasetVersionId: version.id, target: "nope", trainer: "ridge" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("external commands", () => {
  const cases = [
    { name: "command not found", cmd: "definitely-not-a-command --epochs 3", error: /command not found: definitely-not-a-command/ },
    { name: "non-zero exit", cmd: "echo 'loss went NaN' >&2; exit 3", error: /exited with code 3[\s\S]*loss went NaN/ },
    { name: "timeout", cmd: "echo started; sleep 30", timeout: 1, error: /past its 1 s timeout[\s\S]*started/ },
    { name: "no model", cmd: "echo done", error: /wrote no model.onnx/ },
    { name: "malformed ONNX", cmd: 'echo "not a model" > "$CAIRN_OUTPUT_DIR/model.onnx"', error: /not a model ONNX Runtime can load/ },
  ];
  for (const c of cases) {
    it(`fails the run with a clear error: ${c.name}`, async () => {
      const { project, caller, version } = await setup(200);
      const cmd = await command(caller, project.id, c.name, c.cmd, c.timeout ?? 60);
      const run = await caller.training.start({ projectId: project.id, datasetVersionId: version.id, target: "minutes", trainer: "command", commandId: cmd.id, evaluate: false });
      const t0 = Date.now();
      await runTrainingJob(run.id, WORKER);
      const status = await caller.training.status({ projectId: project.id, runId: run.id });
      expect(status.status).toBe("FAILED");
      expect(status.error).toMatch(c.error);
      expect(Date.now() - t0).toBeLessThan(20_000);
      // The run's token was revoked when the command ended.
      expect(await db().apiToken.count({ where: { runId: run.id, revokedAt: null } })).toBe(0);
    });
  }

  it("gives the command its environment and collects its outputs; the run token reaches only its run", async () => {
    const { project, caller, version, owner } = await setup(300);
    const script = [
      'test -n "$CAIRN_TOKEN" && test -n "$CAIRN_RUN_ID" && test -f "$CAIRN_TRAIN_PATH" && test -f "$CAIRN_TEST_PATH"',
      'test -z "$DATABASE_URL" || { echo "database credentials leaked"; exit 9; }',
      'head -1 "$CAIRN_TRAIN_PATH" > "$CAIRN_OUTPUT_DIR/columns.txt"',
      `cp "${path.join(ROOT, "server/training/fixtures/tiny.onnx")}" "$CAIRN_OUTPUT_DIR/model.onnx"`,
      'echo "train rows: $(wc -l < "$CAIRN_TRAIN_PATH")"',
    ].join(" && ");
    const cmd = await command(caller, project.id, "env", script);
    const run = await caller.training.start({ projectId: project.id, datasetVersionId: version.id, target: "minutes", trainer: "command", commandId: cmd.id, evaluate: false });
    await runTrainingJob(run.id, WORKER);
    const done = await caller.run.get({ projectId: project.id, runId: run.id });
    expect(done.status, (await caller.training.status({ projectId: project.id, runId: run.id })).error ?? "").toBe("FINISHED");
    expect(done.artifacts.map((a) => a.path).sort()).toEqual(["columns.txt", "encoding.json", "model.onnx"]);

    // A run token (as the worker mints one) may log to its own run only.
    const other = await caller.run.create({ projectId: project.id });
    const { secret, hash, prefix } = newTokenSecret();
    await db().apiToken.create({ data: { orgId: owner.orgId, projectId: project.id, runId: run.id, name: "run", role: "MEMBER", prefix, secretHash: hash } });
    const asRun = await callerWithToken(secret);
    await expect(asRun.run.logMetrics({ projectId: project.id, runId: run.id, points: [{ key: "x", step: 0, value: 1 }] })).resolves.toMatchObject({ stored: 1 });
    await expect(asRun.run.logMetrics({ projectId: project.id, runId: other.id, points: [{ key: "x", step: 0, value: 1 }] })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asRun.dataset.list({ projectId: project.id })).resolves.toHaveLength(1);
    await expect(asRun.run.create({ projectId: project.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asRun.project.list({ orgId: owner.orgId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const stranger = await setup(50);
    await expect(asRun.dataset.list({ projectId: stranger.project.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("cancels a running command and a queued run", async () => {
    const { project, caller, version } = await setup(200);
    const cmd = await command(caller, project.id, "slow", "echo begin; sleep 30");
    const run = await caller.training.start({ projectId: project.id, datasetVersionId: version.id, target: "minutes", trainer: "command", commandId: cmd.id });
    const job = runTrainingJob(run.id, WORKER);
    await waitFor("the command's first line", async () => (await caller.training.logs({ projectId: project.id, runId: run.id })).some((l) => l.line === "begin"), { timeoutMs: 15_000 });
    await caller.training.cancel({ projectId: project.id, runId: run.id });
    const t0 = Date.now();
    await job;
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect((await caller.training.status({ projectId: project.id, runId: run.id })).status).toBe("KILLED");
    const queued = await caller.training.start({ projectId: project.id, datasetVersionId: version.id, target: "minutes", trainer: "ridge" });
    await expect(caller.training.cancel({ projectId: project.id, runId: queued.id })).resolves.toEqual({ status: "KILLED" });
    await runTrainingJob(queued.id, WORKER);
    expect((await caller.run.get({ projectId: project.id, runId: queued.id })).status).toBe("KILLED");
  });

  it("says a queued GPU run waits for a GPU worker", async () => {
    const { project, caller, version } = await setup(100);
    const run = await caller.training.start({ projectId: project.id, datasetVersionId: version.id, target: "minutes", trainer: "ridge", resource: "gpu" });
    expect(await caller.training.status({ projectId: project.id, runId: run.id })).toMatchObject({ status: "QUEUED", waitingFor: "gpu-worker", queue: "train.gpu.v1" });
  });
});

describe("worker crash during training", () => {
  it("retries a SIGKILLed worker's training on another worker, without duplicate metrics or artifacts", async () => {
    const { project, caller, version } = await setup(20_000);
    const spawnWorker = (): ChildProcess =>
      // node itself (not the tsx wrapper), so that SIGKILL hits the worker and not a launcher.
      spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "workers", "main.ts"), "--queues", "train,outbox.dispatch"], {
        cwd: ROOT,
        env: { ...process.env, CAIRN_QUEUE_SUPERVISE_SECONDS: "1" },
        stdio: "ignore",
      });
    const run = await caller.training.start({ projectId: project.id, datasetVersionId: version.id, target: "minutes", exclude: ["delivery_id"], trainer: "gbdt", params: { rounds: 300, maxDepth: 6, learningRate: 0.05 }, evaluate: false });
    const first = spawnWorker();
    await waitFor("the first worker to claim the run", async () => (await db().run.findUnique({ where: { id: run.id } }))?.status === "RUNNING", { timeoutMs: 30_000 });
    first.kill("SIGKILL");
    const second = spawnWorker();
    try {
      await waitFor("the second worker to finish the run", async () => (await db().run.findUnique({ where: { id: run.id } }))?.status === "FINISHED", { timeoutMs: 120_000, intervalMs: 500 });
    } finally {
      second.kill("SIGTERM");
    }
    const done = await db().run.findUniqueOrThrow({ where: { id: run.id }, include: { series: true, artifacts: true } });
    expect(done.attempt).toBe(2);
    // One point per boosting round in every series: the first attempt's partial metrics did not survive.
    expect(done.series.length).toBeGreaterThan(0);
    for (const s of done.series) expect(s.count, s.key).toBe(300);
    expect(done.artifacts.filter((a) => a.path === "model.onnx")).toHaveLength(1);
  }, 180_000);
});
