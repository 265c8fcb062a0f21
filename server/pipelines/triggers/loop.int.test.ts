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
import { createDeployment } from "../../deployments/deployments";
import { savePolicy } from "../../gates/policies";
import { deliveriesCsv } from "../../ml/synthetic/deliveries";
import { createModel } from "../../registry/models";
import { registerFromRun } from "../../registry/register";
import { once, projectWithVersion } from "../../testing/datasets";
import { drainJobs } from "../../testing/drain-jobs";
import { trainRun } from "../../testing/registry";
import type { Actor } from "../../audit/audit";
import { savePipeline } from "../pipelines";
import { pipelineRunDto } from "../run-dto";
import { TERMINAL_RUN_STATUSES } from "../schemas";

const PASS = "approvals:\n  required: 0\nchecks:\n  thresholds:\n    - metric: rmse\n      max: 1000\n";

let s: Awaited<ReturnType<typeof projectWithVersion>>;
let actor: Actor;
let pipelineId = "";
let stableVersionId = "";

beforeAll(async () => {
  s = await projectWithVersion(deliveriesCsv(400));
  actor = { type: "user", id: s.owner.userId, label: s.owner.email };
  const base = { projectId: s.project.id, orgId: s.owner.orgId, actor };
  await drainJobs();
  // The deployment `eta` serves v1 of the model, trained by hand; its policy passes any sane model.
  const eta = await createModel({ ...base, name: "eta", task: "regression", description: "" });
  await savePolicy({ ...base, modelId: eta.id, yaml: PASS });
  const first = await trainRun(s.caller, s.project.id, s.version.id, { rounds: 10 });
  const v1 = await registerFromRun({ ...base, modelName: "eta", runId: first.id });
  stableVersionId = v1.version.id;
  await drainJobs();
  await createDeployment({ ...base, environment: "staging", name: "eta", modelId: eta.id, versionId: v1.version.id });
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
