import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { callerAs, callerWithToken, createTestProject, createUser } from "../testing/factories";
import { waitFor } from "../testing/wait";
import { ingestVersion } from "../datasets/ingest";
import { profileVersion } from "../datasets/profile-job";
import { validateVersion } from "../datasets/validate-job";
import { deliveriesCsv } from "../ml/synthetic/deliveries";
import { runTrainingJob, type WorkerHost } from "./job";

const WORKER: WorkerHost = { id: "finish-worker", hostname: "finish-host", gpus: [], cpuCount: 2, version: "test" };

async function* chunk(text: string) {
  yield Buffer.from(text);
}

/** The secret the worker gave the command, read from where the command wrote it (as an attacker's command could use it). */
function leakedToken(runId: string): string {
  const dir = readdirSync(os.tmpdir()).find((d) => d.startsWith(`cairn-run-${runId}-`));
  if (!dir) return "";
  try {
    return readFileSync(path.join(os.tmpdir(), dir, "output", "token.txt"), "utf8").trim();
  } catch {
    return "";
  }
}

describe("ending a training run", () => {
  it("is the worker's decision: the command's run token (and a project owner) cannot mark it FINISHED without a model", async () => {
    const owner = await createUser();
    const project = await createTestProject(owner.orgId, owner);
    const caller = callerAs(owner);
    const { version } = await ingestVersion({
      projectId: project.id, orgId: owner.orgId, dataset: "deliveries", createDataset: true,
      actor: { type: "user", id: owner.userId, label: owner.email }, body: chunk(deliveriesCsv(100)), fileName: "deliveries.csv",
    });
    await profileVersion(version.id);
    await validateVersion(version.id);
    const cmd = await caller.training.saveCommand({ projectId: project.id, name: "cheat", command: 'echo "$CAIRN_TOKEN" > "$CAIRN_OUTPUT_DIR/token.txt"; echo ready; sleep 30', timeoutSeconds: 60 });
    const run = await caller.training.start({ projectId: project.id, datasetVersionId: version.id, target: "minutes", trainer: "command", commandId: cmd.id, evaluate: false });
    const job = runTrainingJob(run.id, WORKER);
    const secret = await waitFor("the command to write its token", async () => leakedToken(run.id) || null, { timeoutMs: 20_000 });

    const asRun = await callerWithToken(secret);
    // The token is live and may log to its run...
    await expect(asRun.run.logMetrics({ projectId: project.id, runId: run.id, points: [{ key: "loss", step: 0, value: 1 }] })).resolves.toMatchObject({ stored: 1 });
    // ...but not end it.
    await expect(asRun.run.finish({ projectId: project.id, runId: run.id, status: "FINISHED" })).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/ended by the worker/) });
    await expect(caller.run.finish({ projectId: project.id, runId: run.id, status: "FINISHED" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await caller.training.status({ projectId: project.id, runId: run.id })).status).toBe("RUNNING");

    await caller.training.cancel({ projectId: project.id, runId: run.id });
    await job;
    expect((await caller.training.status({ projectId: project.id, runId: run.id })).status).toBe("KILLED");

    // A run tracked from a script (not trained by Cairn) is still ended by its client.
    const tracked = await caller.run.create({ projectId: project.id });
    await expect(caller.run.finish({ projectId: project.id, runId: tracked.id, status: "FINISHED" })).resolves.toMatchObject({ status: "FINISHED" });
  }, 60_000);
});
