/**
 * A trigger through to a finished pipeline on real parts: an upload emits the version's event, the
 * outbox delivers it to the dataset trigger, and the worker's own handlers (drainJobs) profile and
 * validate the data, advance the run and train the model on the version that fired it. A signed
 * GitHub push then starts the same pipeline for a commit.
 */
import { createHmac, randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import * as githubRoute from "@/app/api/v1/hooks/pipelines/[pipelineId]/github/route";
import { ingestVersion } from "../../datasets/ingest";
import { db } from "../../db";
import { deliveriesCsv } from "../../ml/synthetic/deliveries";
import { once } from "../../testing/datasets";
import { drainJobs } from "../../testing/drain-jobs";
import { savePipeline } from "../pipelines";
import { pipelineRunDto } from "../run-dto";
import { TERMINAL_RUN_STATUSES, type PipelineRunDto } from "../schemas";
import { runsOf, triggerWorld, type TriggerWorld } from "./test-world";

let w: TriggerWorld;
let pipeline: { id: string; webhookSecret: string };

/** Runs the queues until the run is finished; a validate step re-checks on a delay, so this polls. */
async function finished(runId: string, timeoutMs = 120_000): Promise<PipelineRunDto> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await drainJobs(500);
    const run = await pipelineRunDto(w.projectId, runId);
    if (TERMINAL_RUN_STATUSES.includes(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${run.status}: ${JSON.stringify(run.steps.map((s) => [s.stepId, s.status, s.message]))}`);
    await sleep(500);
  }
}

beforeAll(async () => {
  w = await triggerWorld();
  const yaml = stringify({
    name: "eta-retrain",
    params: { rounds: 5, commit: "" },
    triggers: [{ dataset: "deliveries" }, { push: { branches: ["main"] } }],
    steps: [
      { id: "validate", uses: "validate-data", with: { dataset: "deliveries" } },
      { id: "train", uses: "train", with: { trainer: "gbdt", target: "minutes", exclude: ["delivery_id"], params: { rounds: "${{ params.rounds }}", maxDepth: 2 } } },
    ],
  });
  const saved = await savePipeline({ projectId: w.projectId, yaml, source: "cli", actor: w.actor });
  pipeline = await db().pipeline.findUniqueOrThrow({ where: { id: saved.id }, select: { id: true, webhookSecret: true } });
});

describe("triggers end to end", () => {
  it("a new dataset version runs the pipeline to SUCCEEDED on that version", async () => {
    const { version } = await ingestVersion({ projectId: w.projectId, orgId: w.owner.orgId, dataset: "deliveries", createDataset: true, actor: w.actor, body: once(deliveriesCsv(300)), fileName: "deliveries.csv" });
    await drainJobs(500);
    const [started] = await runsOf(pipeline.id);
    expect(started).toMatchObject({ trigger: "dataset", triggerInfo: { datasetVersionId: version.id, dataset: "deliveries" } });

    const run = await finished(started!.id);
    expect(run.status).toBe("SUCCEEDED");
    const out = Object.fromEntries(run.steps.map((s) => [s.stepId, s.outputs]));
    expect(out.validate?.datasetVersionId).toBe(version.id);
    const training = await db().run.findUniqueOrThrow({ where: { id: out.train!.runId! }, select: { status: true, spec: true } });
    expect(training.status).toBe("FINISHED");
    expect(training.spec).toMatchObject({ datasetVersionId: version.id });
  }, 180_000);

  it("a signed push of main runs it for the pushed commit", async () => {
    const commit = "9fceb02d0ae598e95dc970b74767f19372d61af8";
    const body = JSON.stringify({ ref: "refs/heads/main", after: commit, repository: { full_name: "acme/eta" }, pusher: { name: "ana" } });
    const req = new Request(`http://localhost/api/v1/hooks/pipelines/${pipeline.id}/github`, {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "x-github-event": "push",
        "x-github-delivery": randomUUID(),
        "x-hub-signature-256": `sha256=${createHmac("sha256", pipeline.webhookSecret).update(body).digest("hex")}`,
      },
    });
    const res = await githubRoute.POST(req, { params: Promise.resolve({ pipelineId: pipeline.id }) });
    expect(res.status).toBe(201);
    const { run: started } = (await res.json()) as { run: { id: string; number: number } };
    expect(started.number).toBe(2);

    const run = await finished(started.id);
    expect(run).toMatchObject({ status: "SUCCEEDED", trigger: "push", params: { commit, rounds: 5 }, triggerInfo: { commit, branch: "main" } });
  }, 180_000);
});
