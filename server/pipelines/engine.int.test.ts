/**
 * The pipeline engine end to end on real parts: dataset jobs, the built-in GBDT trainer, evaluation,
 * the registry, gate reports and deployments, all run from pg-boss by the worker's own handlers
 * (drainJobs), the pipeline advanced by its jobs and by the domain events its steps wait for.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db";
import { createDeployment } from "../deployments/deployments";
import { savePolicy } from "../gates/policies";
import { deliveriesCsv } from "../ml/synthetic/deliveries";
import { createModel } from "../registry/models";
import { registerFromRun } from "../registry/register";
import { projectWithVersion } from "../testing/datasets";
import { drainJobs } from "../testing/drain-jobs";
import { trainRun } from "../testing/registry";
import type { Actor } from "../audit/audit";
import { retryStep } from "./engine";
import { pipelineRunDto } from "./run-dto";
import { createTestPipeline, startTestRun } from "./testing";
import type { ZPipelineSpec } from "./spec";
import type { z } from "zod";
import { PASS_POLICY } from "../testing/served-model";

const PASS = PASS_POLICY;
const STRICT = "approvals:\n  required: 0\nchecks:\n  thresholds:\n    - metric: rmse\n      max: 0.001\n";

type SpecInput = z.input<typeof ZPipelineSpec>;
type StepInput = SpecInput["steps"][number];
const TRAIN: StepInput = { id: "train", uses: "train", with: { trainer: "gbdt", target: "minutes", exclude: ["delivery_id"], params: { rounds: "${{ params.rounds }}", maxDepth: 3 } } };
const steps = (model: string, extra: SpecInput["steps"] = []): SpecInput["steps"] => [
  { id: "validate", uses: "validate-data", with: { dataset: "deliveries" } },
  TRAIN,
  { id: "evaluate", uses: "evaluate" },
  { id: "register", uses: "register", with: { model } },
  { id: "gate", uses: "gate" },
  ...extra,
  { id: "deploy", uses: "deploy", needs: ["gate"], if: "gate.passed", with: { deployment: "eta", strategy: "canary", steps: [10, 50, 100], bakeSeconds: 60 } },
];

let s: Awaited<ReturnType<typeof projectWithVersion>>;
let actor: Actor;
let base: { projectId: string; orgId: string; actor: Actor };

async function model(name: string, policy: string | null) {
  const m = await createModel({ ...base, name, task: "regression", description: "" });
  if (policy) await savePolicy({ ...base, modelId: m.id, yaml: policy });
  return m;
}
const pipeline = (spec: SpecInput) => createTestPipeline({ projectId: s.project.id, userId: s.owner.userId, spec });
const statuses = async (runId: string) => Object.fromEntries((await pipelineRunDto(s.project.id, runId)).steps.map((st) => [st.stepId, st.status]));
const trainingRuns = () => db().run.count({ where: { projectId: s.project.id, kind: "TRAINING" } });

beforeAll(async () => {
  s = await projectWithVersion(deliveriesCsv(400));
  actor = { type: "user", id: s.owner.userId, label: s.owner.email };
  base = { projectId: s.project.id, orgId: s.owner.orgId, actor };
  await drainJobs();
  // The deployment the pipeline rolls out to, serving v1 of "eta" trained by hand.
  const eta = await model("eta", PASS);
  const first = await trainRun(s.caller, s.project.id, s.version.id, { rounds: 15 });
  const v1 = await registerFromRun({ ...base, modelName: "eta", runId: first.id });
  await drainJobs();
  await createDeployment({ ...base, environment: "staging", name: "eta", modelId: eta.id, versionId: v1.version.id });
}, 180_000);

describe("pipeline engine", () => {
  let fullRunId = "";

  it("runs validate → train → evaluate → register → gate → deploy(canary) to SUCCEEDED", async () => {
    const p = await pipeline({ name: "eta-retrain", params: { rounds: 20 }, steps: steps("eta") });
    const before = await trainingRuns();
    fullRunId = await startTestRun(p.id, { trigger: "dataset", triggerInfo: { datasetVersionId: s.version.id } });
    await drainJobs(500);

    const run = await pipelineRunDto(s.project.id, fullRunId);
    expect(run.status).toBe("SUCCEEDED");
    expect(run.startedAt).not.toBeNull();
    expect(run.finishedAt!.getTime()).toBeGreaterThanOrEqual(run.startedAt!.getTime());
    expect(run.steps.map((st) => [st.stepId, st.status])).toEqual(["validate", "train", "evaluate", "register", "gate", "deploy"].map((id) => [id, "SUCCEEDED"]));
    const out = Object.fromEntries(run.steps.map((st) => [st.stepId, st.outputs!]));
    expect(out.validate!.datasetVersionId).toBe(s.version.id);

    // One training run, with the param substituted as a number and evaluation left to the evaluate step.
    expect(await trainingRuns()).toBe(before + 1);
    const trained = await db().run.findUniqueOrThrow({ where: { id: out.train!.runId! } });
    expect(trained).toMatchObject({ status: "FINISHED", name: "eta-retrain #1 train" });
    expect((trained.params as Record<string, unknown>)["gbdt.rounds"]).toBe(20);
    expect(await db().evaluationReport.findUniqueOrThrow({ where: { id: out.evaluate!.evaluationId! } })).toMatchObject({ status: "DONE", runId: trained.id, split: "test" });

    expect(out.register).toMatchObject({ modelName: "eta", modelVersion: 2, runId: trained.id });
    expect(out.gate).toMatchObject({ passed: true, modelVersionId: out.register!.modelVersionId });
    expect(await db().gateReport.findUniqueOrThrow({ where: { id: out.gate!.gateReportId! } })).toMatchObject({ status: "DONE", passed: true });

    const deployment = await db().deployment.findUniqueOrThrow({ where: { id: out.deploy!.deploymentId! } });
    expect(deployment).toMatchObject({ name: "eta", strategy: "canary", candidateVersionId: out.register!.modelVersionId, candidatePercent: 10, status: "rolling_out" });
    expect(run.steps.every((st) => st.log.length > 0 && st.startedAt !== null && st.finishedAt !== null)).toBe(true);
    expect(run.steps.find((st) => st.stepId === "deploy")).toMatchObject({ needs: ["gate"], condition: "gate.passed" });
  }, 240_000);

  it("running the same pipeline again changes nothing: every step is cached and the canary is not restarted", async () => {
    const p = await db().pipeline.findFirstOrThrow({ where: { projectId: s.project.id, name: "eta-retrain" } });
    const before = await db().deployment.findFirstOrThrow({ where: { projectId: s.project.id, name: "eta" } });
    const runId = await startTestRun(p.id);
    await drainJobs(500);
    const run = await pipelineRunDto(s.project.id, runId);
    expect(run.status).toBe("SUCCEEDED");
    expect(run.steps.map((st) => st.status)).toEqual(["CACHED", "CACHED", "CACHED", "CACHED", "CACHED", "SUCCEEDED"]);
    expect(run.steps.at(-1)!.log.at(-1)).toMatch(/eta already rolls this version out \(canary\)$/);
    const after = await db().deployment.findFirstOrThrow({ where: { projectId: s.project.id, name: "eta" } });
    expect(after).toMatchObject({ generation: before.generation, candidateVersionId: before.candidateVersionId, candidatePercent: 10 });
    expect(after.rollout).toEqual(before.rollout);
  }, 240_000);

  it("a failing gate fails the run: deploy is SKIPPED, the `if: gate.failed` step runs, the failed checks are named", async () => {
    await model("eta-strict", STRICT);
    const quarantine: StepInput = { id: "quarantine", uses: "register", needs: ["gate"], if: "gate.failed", with: { model: "eta-rejected" } };
    const p = await pipeline({ name: "eta-strict", params: { rounds: 20 }, steps: steps("eta-strict", [quarantine]) });
    const runId = await startTestRun(p.id);
    await drainJobs(500);

    const run = await pipelineRunDto(s.project.id, runId);
    expect(run.status).toBe("FAILED");
    expect(await statuses(runId)).toMatchObject({ register: "SUCCEEDED", gate: "FAILED", quarantine: "SUCCEEDED", deploy: "SKIPPED" });
    const gate = run.steps.find((st) => st.stepId === "gate")!;
    expect(gate.outputs).toMatchObject({ passed: false });
    expect(gate.message).toMatch(/^gate failed — thresholds: /);
    expect(run.steps.find((st) => st.stepId === "deploy")!.message).toBe("skipped: gate.passed is false (gate FAILED)");
    expect(run.error).toMatch(/^gate failed: gate failed — thresholds/);
    expect(run.steps.find((st) => st.stepId === "quarantine")!.outputs).toMatchObject({ modelName: "eta-rejected", modelVersion: 1 });
    // The deployment still serves the first pipeline's canary, untouched by this run.
    expect(await db().deployment.findFirstOrThrow({ where: { projectId: s.project.id, name: "eta" } })).toMatchObject({ candidatePercent: 10, strategy: "canary" });
  }, 240_000);

  it("a deploy the environment refuses fails with the environment's reason", async () => {
    const p = await pipeline({
      name: "strict-prod",
      params: { rounds: 20 },
      steps: steps("eta-strict").map((st) => (st.id === "deploy" ? { ...st, if: "always", with: { deployment: "eta-prod", environment: "production", strategy: "direct" } } : st)) as StepInput[],
    });
    const runId = await startTestRun(p.id);
    await drainJobs(500);
    expect(await statuses(runId)).toMatchObject({ gate: "FAILED", deploy: "FAILED" });
    expect((await pipelineRunDto(s.project.id, runId)).steps.find((st) => st.stepId === "deploy")!.message).toMatch(/cannot take traffic in "production": it needs a passed gate/);
    expect(await db().deployment.count({ where: { projectId: s.project.id, name: "eta-prod" } })).toBe(0);
  }, 240_000);

  it("caches a step whose inputs are unchanged (hit) and runs one whose params changed (miss)", async () => {
    const spec = { name: "eta-cache", params: { rounds: 20 }, steps: [{ id: "validate", uses: "validate-data", with: { dataset: "deliveries" } }, TRAIN, { id: "evaluate", uses: "evaluate" }] } satisfies SpecInput;
    const p = await pipeline(spec);
    const before = await trainingRuns();
    const hit = await startTestRun(p.id);
    await drainJobs(500);
    const hitRun = await pipelineRunDto(s.project.id, hit);
    expect(hitRun.status).toBe("SUCCEEDED");
    // Same dataset version, trainer, params and code as the first pipeline's train step: reused, nothing trained.
    expect(hitRun.steps.map((st) => st.status)).toEqual(["CACHED", "CACHED", "CACHED"]);
    expect(await trainingRuns()).toBe(before);
    const full = await pipelineRunDto(s.project.id, fullRunId);
    const fullTrain = full.steps.find((st) => st.stepId === "train")!;
    const cachedTrain = hitRun.steps.find((st) => st.stepId === "train")!;
    expect(cachedTrain).toMatchObject({ inputHash: fullTrain.inputHash, outputs: fullTrain.outputs, cachedFrom: { runId: fullRunId, number: 1 } });

    const miss = await startTestRun(p.id, { params: { rounds: 25 } });
    await drainJobs(500);
    expect(await statuses(miss)).toEqual({ validate: "CACHED", train: "SUCCEEDED", evaluate: "SUCCEEDED" });
    expect(await trainingRuns()).toBe(before + 1);
    const missTrain = (await pipelineRunDto(s.project.id, miss)).steps.find((st) => st.stepId === "train")!;
    expect(missTrain.inputHash).not.toBe(fullTrain.inputHash);
    expect(missTrain.outputs!.runId).not.toBe(fullTrain.outputs!.runId);
  }, 240_000);

  it("a gate is cached only under the same policy revision: a new policy gates again", async () => {
    const p = await pipeline({ name: "eta-regate", params: { rounds: 20 }, steps: steps("eta").filter((st) => st.id !== "deploy") });
    const cached = await startTestRun(p.id);
    await drainJobs(500);
    expect(await statuses(cached)).toEqual({ validate: "CACHED", train: "CACHED", evaluate: "CACHED", register: "CACHED", gate: "CACHED" });
    const eta = await db().registeredModel.findFirstOrThrow({ where: { projectId: s.project.id, name: "eta" } });
    await savePolicy({ ...base, modelId: eta.id, yaml: PASS.replace("max: 1000", "max: 999") });
    const regated = await startTestRun(p.id);
    await drainJobs(500);
    expect(await statuses(regated)).toEqual({ validate: "CACHED", train: "CACHED", evaluate: "CACHED", register: "CACHED", gate: "SUCCEEDED" });
    const [before, after] = [await pipelineRunDto(s.project.id, cached), await pipelineRunDto(s.project.id, regated)].map((r) => r.steps.find((st) => st.stepId === "gate")!.outputs!.gateReportId);
    expect(after).not.toBe(before);
  }, 240_000);

  it("`cache: false` runs a step again even with equal inputs", async () => {
    const p = await pipeline({ name: "eta-nocache", params: { rounds: 20 }, steps: [{ id: "validate", uses: "validate-data", with: { dataset: "deliveries" } }, { ...TRAIN, cache: false }] });
    const before = await trainingRuns();
    const runId = await startTestRun(p.id);
    await drainJobs(500);
    expect(await statuses(runId)).toEqual({ validate: "CACHED", train: "SUCCEEDED" });
    expect(await trainingRuns()).toBe(before + 1);
  }, 240_000);

  it("retries the failed gate step alone: the earlier train run is not run again", async () => {
    // No policy yet: the gate cannot run, the step fails and deploy is skipped.
    const m = await model("eta-later", null);
    const p = await pipeline({ name: "eta-retry", params: { rounds: 30 }, steps: steps("eta-later").map((st) => (st.id === "deploy" ? { ...st, with: { deployment: "eta-later", environment: "staging", strategy: "direct" } } : st)) as StepInput[] });
    const runId = await startTestRun(p.id);
    await drainJobs(500);
    const failed = await pipelineRunDto(s.project.id, runId);
    expect(failed.status).toBe("FAILED");
    expect(await statuses(runId)).toMatchObject({ train: "SUCCEEDED", gate: "FAILED", deploy: "SKIPPED" });
    expect(failed.steps.find((st) => st.stepId === "gate")!.message).toMatch(/no gate policy/);
    const trainBefore = failed.steps.find((st) => st.stepId === "train")!;
    const runsBefore = await trainingRuns();

    await savePolicy({ ...base, modelId: m.id, yaml: PASS });
    const retried = await retryStep({ projectId: s.project.id, runId, stepId: "gate", actor });
    expect(retried.status).toBe("RUNNING");
    expect(retried.steps.find((st) => st.stepId === "gate")).toMatchObject({ status: "PENDING", attempt: 2, message: null });
    expect(retried.steps.find((st) => st.stepId === "deploy")).toMatchObject({ status: "PENDING", attempt: 1 });
    await drainJobs(500);

    const done = await pipelineRunDto(s.project.id, runId);
    expect(done.status).toBe("SUCCEEDED");
    expect(done.steps.find((st) => st.stepId === "gate")).toMatchObject({ status: "SUCCEEDED", attempt: 2, outputs: expect.objectContaining({ passed: true }) });
    expect(await statuses(runId)).toMatchObject({ deploy: "SUCCEEDED" });
    // Earlier steps keep their rows and outputs; no training run was started by the retry.
    const trainAfter = done.steps.find((st) => st.stepId === "train")!;
    expect(trainAfter).toMatchObject({ status: "SUCCEEDED", attempt: 1, outputs: trainBefore.outputs, finishedAt: trainBefore.finishedAt });
    expect(await trainingRuns()).toBe(runsBefore);
    expect(await db().deployment.findFirstOrThrow({ where: { projectId: s.project.id, name: "eta-later" } })).toMatchObject({ stableVersionId: done.steps.find((st) => st.stepId === "register")!.outputs!.modelVersionId });
    expect(await db().auditEvent.count({ where: { projectId: s.project.id, action: "pipeline.step.retry", targetId: runId } })).toBe(1);

    // A step that succeeded, a run that is running, another project's run: refused.
    await expect(retryStep({ projectId: s.project.id, runId, stepId: "train", actor })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(retryStep({ projectId: s.project.id, runId, stepId: "nope", actor })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const other = await projectWithVersion(deliveriesCsv(50));
    await expect(retryStep({ projectId: other.project.id, runId, stepId: "gate", actor })).rejects.toMatchObject({ code: "NOT_FOUND" });
  }, 300_000);
});
