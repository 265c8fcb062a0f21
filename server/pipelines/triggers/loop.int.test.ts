/**
 * The whole chain from a trigger to a canary, on real parts: a new version of `deliveries` is uploaded,
 * the outbox hands its event to the dataset trigger, and the worker's own handlers (drainJobs) run the
 * pipeline validate → train → evaluate → register → gate → deploy, which makes the new model version the
 * canary candidate of the deployment `eta` (10 % at the first step).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ingestVersion } from "../../datasets/ingest";
import { db } from "../../db";
import { deliveriesCsv } from "../../ml/synthetic/deliveries";
import { once } from "../../testing/datasets";
import { drainJobs } from "../../testing/drain-jobs";
import { servedModelWorld } from "../../testing/served-model";
import type { Actor } from "../../audit/audit";
import { savePipeline } from "../pipelines";
import { pipelineRunDto } from "../run-dto";
import { TERMINAL_RUN_STATUSES } from "../schemas";

let s: Awaited<ReturnType<typeof servedModelWorld>>;
let actor: Actor;
let pipelineId = "";
let stableVersionId = "";

beforeAll(async () => {
  // The deployment `eta` serves v1 of the model, trained by hand; its policy passes any sane model.
  s = await servedModelWorld({ rows: 400, rounds: 10 });
  actor = s.actor;
  stableVersionId = s.v1.id;
  const yaml = stringify({
    name: "eta-retrain",
    params: { rounds: 12 },
    triggers: [{ dataset: "deliveries" }],
    steps: [
      { id: "validate", uses: "validate-data", with: { dataset: "deliveries" } },
      { id: "train", uses: "train", with: { trainer: "gbdt", target: "minutes", exclude: ["delivery_id"], params: { rounds: "${{ params.rounds }}", maxDepth: 3 } } },
      { id: "evaluate", uses: "evaluate" },
      { id: "register", uses: "register", with: { model: "eta" } },
      { id: "gate", uses: "gate" },
      { id: "deploy", uses: "deploy", if: "gate.passed", with: { deployment: "eta", strategy: "canary", steps: [10, 50, 100], bakeSeconds: 600 } },
    ],
  });
  pipelineId = (await savePipeline({ projectId: s.project.id, yaml, source: "cli", actor })).id;
}, 240_000);

describe("trigger → pipeline → model version → gate → canary", () => {
  it("an upload of new data ends as the canary candidate of the deployment, every link recorded", async () => {
    const { version } = await ingestVersion({ projectId: s.project.id, orgId: s.owner.orgId, dataset: "deliveries", createDataset: false, actor, body: once(deliveriesCsv(500, 7)), fileName: "deliveries.csv" });
    let runId = "";
    const deadline = Date.now() + 240_000;
    for (;;) {
      await drainJobs(500);
      const run = runId ? null : await db().pipelineRun.findFirst({ where: { pipelineId }, select: { id: true } });
      if (run) runId = run.id;
      if (runId && TERMINAL_RUN_STATUSES.includes((await pipelineRunDto(s.project.id, runId)).status)) break;
      if (Date.now() > deadline) throw new Error(`no finished run: ${runId ? JSON.stringify((await pipelineRunDto(s.project.id, runId)).steps.map((x) => [x.stepId, x.status, x.message])) : "none started"}`);
      await sleep(500);
    }
    const run = await pipelineRunDto(s.project.id, runId);
    expect(run).toMatchObject({ status: "SUCCEEDED", trigger: "dataset", triggerInfo: { datasetVersionId: version.id, dataset: "deliveries" } });
    expect(run.steps.map((x) => [x.stepId, x.status])).toEqual([
      ["validate", "SUCCEEDED"],
      ["train", "SUCCEEDED"],
      ["evaluate", "SUCCEEDED"],
      ["register", "SUCCEEDED"],
      ["gate", "SUCCEEDED"],
      ["deploy", "SUCCEEDED"],
    ]);
    const out = Object.fromEntries(run.steps.map((x) => [x.stepId, x.outputs!]));
    // Lineage of the chain: the trained run read the uploaded version; the registered version came from that run;
    // the gate judged that version; the deployment rolls exactly that version out as its canary.
    expect(out.validate!.datasetVersionId).toBe(version.id);
    expect((await db().run.findUniqueOrThrow({ where: { id: out.train!.runId! }, select: { spec: true } })).spec).toMatchObject({ datasetVersionId: version.id });
    const registered = await db().modelVersion.findUniqueOrThrow({ where: { id: out.register!.modelVersionId! }, select: { runId: true, number: true } });
    expect(registered).toEqual({ runId: out.train!.runId, number: 2 });
    const report = await db().gateReport.findUniqueOrThrow({ where: { id: out.gate!.gateReportId! }, select: { versionId: true, status: true } });
    expect(report.versionId).toBe(out.register!.modelVersionId);
    expect(out.gate!.passed).toBe(true);
    const deployment = await db().deployment.findFirstOrThrow({ where: { projectId: s.project.id, name: "eta" } });
    expect(deployment).toMatchObject({ strategy: "canary", status: "rolling_out", stableVersionId, candidateVersionId: out.register!.modelVersionId, candidatePercent: 10 });
    const ledger = await db().deploymentLedgerEntry.findMany({ where: { deploymentId: deployment.id }, orderBy: { seq: "asc" }, select: { kind: true } });
    expect(ledger.map((e) => e.kind)).toEqual(["create", "candidate"]);
  }, 300_000);
});
