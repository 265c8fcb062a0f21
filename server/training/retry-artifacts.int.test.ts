import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../db";
import { deliveriesCsv } from "../ml/synthetic/deliveries";
import { putArtifact } from "../runs/artifacts";
import { artifactStore } from "../storage/artifact-store";
import { once, projectWithVersion } from "../testing/datasets";
import { runTrainingJob, type WorkerHost } from "./job";

const WORKER: WorkerHost = { id: "test-worker", hostname: "test-host", gpus: [], cpuCount: 2, version: "test" };

describe("a training run retried after its worker died", () => {
  it("drops the dead attempt's artifacts and removes their bytes when nothing else uses them", async () => {
    const { project, caller, version } = await projectWithVersion(deliveriesCsv(300));
    const run = await caller.training.start({ projectId: project.id, datasetVersionId: version.id, target: "minutes", exclude: ["delivery_id"], trainer: "ridge", evaluate: false });
    // The first attempt got as far as storing an artifact, then its worker died with the run RUNNING.
    await db().run.update({ where: { id: run.id }, data: { status: "RUNNING", attempt: 1, startedAt: new Date() } });
    const stale = await putArtifact({ projectId: project.id, runId: run.id, path: "partial.bin", body: once(randomBytes(64)) });
    expect(await artifactStore().stat(stale.sha256)).not.toBeNull();

    await runTrainingJob(run.id, WORKER);
    const done = await caller.run.get({ projectId: project.id, runId: run.id });
    expect(done.status).toBe("FINISHED");
    expect(done.artifacts.map((a) => a.path)).not.toContain("partial.bin");
    expect(done.artifacts.map((a) => a.path)).toContain("model.onnx");
    expect(await artifactStore().stat(stale.sha256)).toBeNull();
  });
});
