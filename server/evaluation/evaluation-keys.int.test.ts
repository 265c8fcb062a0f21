/**
 * Evaluating a run again on other data keeps the run's own metrics as trained: only the report on the
 * version it was trained on writes test/rmse and the like; others are kept by (version, split).
 */
import { describe, expect, it } from "vitest";
import { uploadReadyVersion } from "../testing/datasets";
import { callerAs, createTestProject, createUser } from "../testing/factories";
import { deliveriesCsv } from "../ml/synthetic/deliveries";
import { runTrainingJob, type WorkerHost } from "../training/job";
import { runEvaluationJob } from "./job";

const WORKER: WorkerHost = { id: "test-worker", hostname: "test-host", gpus: [], cpuCount: 2, version: "test" };


describe("evaluation results are keyed by what was evaluated", () => {
  it("an evaluation on another version leaves the run's test metrics as trained and is compared beside them", async () => {
    const owner = await createUser();
    const project = await createTestProject(owner.orgId, owner);
    const caller = callerAs(owner);
    const upload = (csv: string) => uploadReadyVersion(owner, project.id, csv);
    const v1 = await upload(deliveriesCsv(600));
    // The same columns, drawn again with drift: the model does worse on it.
    const v2 = await upload(deliveriesCsv(600, 7, 1));
    const run = await caller.training.start({ projectId: project.id, datasetVersionId: v1.id, target: "minutes", exclude: ["delivery_id"], trainer: "ridge", evaluate: false });
    await runTrainingJob(run.id, WORKER);

    const own = await caller.training.evaluate({ projectId: project.id, runId: run.id, versionId: v1.id, split: "test" });
    await runEvaluationJob(own.id);
    const trained = (await caller.run.get({ projectId: project.id, runId: run.id })).metrics.find((m) => m.key === "test/rmse")!;
    expect(trained.count).toBe(1);

    const other = await caller.training.evaluate({ projectId: project.id, runId: run.id, versionId: v2.id, split: "test" });
    await runEvaluationJob(other.id);
    const after = (await caller.run.get({ projectId: project.id, runId: run.id })).metrics.find((m) => m.key === "test/rmse")!;
    // Before the fix the second report wrote its RMSE into the same test/rmse series at step 0.
    expect(after).toMatchObject({ count: 1, last: trained.last });

    const reports = await caller.training.evaluations({ projectId: project.id, runId: run.id });
    const byVersion = new Map(reports.map((r) => [r.versionId, r]));
    expect(byVersion.get(v1.id)).toMatchObject({ status: "DONE", onTrainingData: true });
    expect(byVersion.get(v2.id)).toMatchObject({ status: "DONE", onTrainingData: false });
    expect(byVersion.get(v1.id)!.headline.rmse).toBe(trained.last);
    expect(byVersion.get(v2.id)!.headline.rmse).not.toBe(trained.last);
    // A run filter on test/rmse keeps its meaning.
    const listed = await caller.run.list({ projectId: project.id, filter: `metrics.test/rmse <= ${trained.last}` });
    expect(listed.runs.map((r) => r.id)).toEqual([run.id]);
  });
});
