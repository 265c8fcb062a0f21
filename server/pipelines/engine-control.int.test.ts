/**
 * Control of pipeline runs on real parts: step timeouts (a gate waiting for approvals, a training run
 * stopped at its deadline), the concurrency policies, cancelling a run, and advances that are
 * delivered twice or run at once.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import type { Actor } from "../audit/audit";
import { db } from "../db";
import { Prisma } from "../generated/prisma/client";
import { savePolicy } from "../gates/policies";
import { deliveriesCsv } from "../ml/synthetic/deliveries";
import { createModel } from "../registry/models";
import { projectWithVersion } from "../testing/datasets";
import { drainJobs } from "../testing/drain-jobs";
import { pipelineAdvanceHandler } from "../../workers/handlers/pipelines";
import { cancelPipelineRun } from "./engine";
import { pipelineRunDto } from "./run-dto";
import type { ZPipelineSpec } from "./spec";
import { advanceRun } from "./steps/advance";
import { createTestPipeline, startTestRun } from "./testing";

type SpecInput = z.input<typeof ZPipelineSpec>;
type StepInput = SpecInput["steps"][number];
const VALIDATE: StepInput = { id: "validate", uses: "validate-data", with: { dataset: "deliveries" } };
const train = (extra: Partial<StepInput> = {}): StepInput => ({ id: "train", uses: "train", cache: false, with: { trainer: "gbdt", target: "minutes", exclude: ["delivery_id"], params: { rounds: 10, maxDepth: 2 } }, ...extra }) as StepInput;

let s: Awaited<ReturnType<typeof projectWithVersion>>;
let actor: Actor;
const pipeline = (spec: SpecInput) => createTestPipeline({ projectId: s.project.id, userId: s.owner.userId, spec });
const dto = (runId: string) => pipelineRunDto(s.project.id, runId);
const step = async (runId: string, id: string) => (await dto(runId)).steps.find((st) => st.stepId === id)!;
const trainingRunOf = async (runId: string) => db().run.findUniqueOrThrow({ where: { id: (await step(runId, "train")).outputs!.runId! } });
const fakeJob = (runId: string) => ({ id: `redelivered-${runId}`, name: "pipeline.advance.v1", data: { runId } }) as unknown as Parameters<typeof pipelineAdvanceHandler>[0];
const WORKER = { id: "t", hostname: "t", gpus: [], cpuCount: 1, version: "t" };

beforeAll(async () => {
  s = await projectWithVersion(deliveriesCsv(300));
  actor = { type: "user", id: s.owner.userId, label: s.owner.email };
  await drainJobs();
}, 120_000);

describe("timeouts", () => {
  it("a gate waiting for approvals past its timeout fails the step (the deadline job fires it)", async () => {
    const m = await createModel({ projectId: s.project.id, orgId: s.owner.orgId, actor, name: "eta-approve", task: "regression", description: "" });
    await savePolicy({ projectId: s.project.id, orgId: s.owner.orgId, actor, modelId: m.id, yaml: "approvals:\n  required: 1\n  min_role: ADMIN\nchecks:\n  thresholds:\n    - metric: rmse\n      max: 1000\n" });
    const p = await pipeline({
      name: "approve",
      steps: [VALIDATE, train(), { id: "evaluate", uses: "evaluate" }, { id: "register", uses: "register", with: { model: "eta-approve" } }, { id: "gate", uses: "gate", timeout: "3s" }],
    });
    const runId = await startTestRun(p.id);
    await drainJobs(500);
    const waiting = await step(runId, "gate");
    expect(waiting.status).toBe("RUNNING");
    expect(waiting.log.at(-1)).toMatch(/gate passed; waiting for approvals \(0\/1 from ADMIN or higher\)$/);
    expect((await dto(runId)).status).toBe("RUNNING");

    // Nothing but the step's deadline job moves the run on from here.
    await expect.poll(async () => (await drainJobs(), (await dto(runId)).status), { timeout: 15_000, interval: 500 }).toBe("FAILED");
    expect(await step(runId, "gate")).toMatchObject({ status: "FAILED", message: "timed out after 3s" });
  }, 240_000);

  it("a training step past its timeout fails and its training run is stopped", async () => {
    const p = await pipeline({ name: "slow-train", steps: [VALIDATE, train({ timeout: 1 })] });
    const runId = await startTestRun(p.id);
    await advanceRun(runId); // the training job stays queued: no worker picks it up in time
    const queued = await trainingRunOf(runId);
    expect(queued.status).toBe("QUEUED");
    await new Promise((r) => setTimeout(r, 1200));
    await advanceRun(runId);
    expect(await step(runId, "train")).toMatchObject({ status: "FAILED", message: "timed out after 1s" });
    expect((await dto(runId)).status).toBe("FAILED");
    expect((await trainingRunOf(runId)).status).toBe("KILLED");
    await drainJobs(500);
    expect((await trainingRunOf(runId)).status).toBe("KILLED");
  }, 120_000);
});

describe("concurrency", () => {
  it("queue: a second run waits QUEUED until the first finishes, then runs", async () => {
    const p = await pipeline({ name: "queued", concurrency: "queue", steps: [VALIDATE, train()] });
    const first = await startTestRun(p.id);
    const second = await startTestRun(p.id);
    expect((await dto(first)).status).toBe("RUNNING");
    const waiting = await dto(second);
    expect(waiting).toMatchObject({ status: "QUEUED", startedAt: null });
    expect(waiting.steps.map((st) => st.status)).toEqual(["PENDING", "PENDING"]);
    await drainJobs(500);
    const [a, b] = [await dto(first), await dto(second)];
    expect([a.status, b.status]).toEqual(["SUCCEEDED", "SUCCEEDED"]);
    expect(b.startedAt!.getTime()).toBeGreaterThanOrEqual(a.finishedAt!.getTime());
  }, 240_000);

  it("cancel-previous: a new run cancels the running one and stops its training", async () => {
    const p = await pipeline({ name: "latest-wins", concurrency: "cancel-previous", steps: [VALIDATE, train()] });
    const first = await startTestRun(p.id);
    await advanceRun(first);
    expect((await trainingRunOf(first)).status).toBe("QUEUED");
    const second = await startTestRun(p.id);
    expect(await dto(first)).toMatchObject({ status: "CANCELLED", error: "cancelled: run #2 replaced it (concurrency: cancel-previous)" });
    expect((await step(first, "train")).status).toBe("CANCELLED");
    expect((await dto(second)).status).toBe("RUNNING");
    await advanceRun(first); // the cancelled run's own advance job: stops the work its steps started
    expect((await trainingRunOf(first)).status).toBe("KILLED");
    await drainJobs(500);
    expect((await dto(second)).status).toBe("SUCCEEDED");
    expect((await trainingRunOf(first)).status).toBe("KILLED");
  }, 240_000);
});

describe("cancelling", () => {
  it("cancels a running run, stops its training, admits the queued one; refuses a finished run and another project", async () => {
    const p = await pipeline({ name: "cancel-me", steps: [VALIDATE, train()] });
    const first = await startTestRun(p.id);
    const second = await startTestRun(p.id);
    await advanceRun(first);
    const cancelled = await cancelPipelineRun({ projectId: s.project.id, runId: first, actor });
    expect(cancelled).toMatchObject({ status: "CANCELLED", error: `cancelled by ${s.owner.email}` });
    expect(cancelled.steps.map((st) => st.status)).toEqual([expect.stringMatching(/^(SUCCEEDED|CACHED)$/), "CANCELLED"]);
    expect((await dto(second)).status).toBe("RUNNING");
    await advanceRun(first);
    expect((await trainingRunOf(first)).status).toBe("KILLED");
    expect(await db().auditEvent.count({ where: { action: "pipeline.run.cancel", targetId: first } })).toBe(1);
    await expect(cancelPipelineRun({ projectId: s.project.id, runId: first, actor })).rejects.toMatchObject({ code: "CONFLICT" });
    const other = await projectWithVersion(deliveriesCsv(50));
    await expect(cancelPipelineRun({ projectId: other.project.id, runId: second, actor })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await dto(second)).status).toBe("RUNNING");
    await drainJobs(500);
    expect((await dto(second)).status).toBe("SUCCEEDED");
  }, 240_000);
});

describe("redelivery", () => {
  it("advances run at once or delivered again start one training run and register once", async () => {
    const p = await pipeline({ name: "twice", steps: [VALIDATE, train({ cache: true, with: { trainer: "gbdt", target: "minutes", exclude: ["delivery_id"], params: { rounds: 11, maxDepth: 2 } } }), { id: "evaluate", uses: "evaluate" }, { id: "register", uses: "register", cache: false, with: { model: "eta-twice" } }] });
    const runId = await startTestRun(p.id);
    await Promise.all([advanceRun(runId), advanceRun(runId), pipelineAdvanceHandler(fakeJob(runId), WORKER)]);
    const trainings = () => db().run.count({ where: { projectId: s.project.id, name: { startsWith: "twice #1" } } });
    expect(await trainings()).toBe(1);
    await drainJobs(500);
    expect(await dto(runId)).toMatchObject({ status: "SUCCEEDED", error: null });
    await Promise.all([pipelineAdvanceHandler(fakeJob(runId), WORKER), pipelineAdvanceHandler(fakeJob(runId), WORKER)]);
    expect(await trainings()).toBe(1);

    // A second run whose first steps are cached: concurrent advances race straight onto register (not cached).
    const again = await startTestRun(p.id);
    await Promise.all([advanceRun(again), advanceRun(again), advanceRun(again)]);
    await drainJobs(500);
    const reg = await step(again, "register");
    expect(reg.status).toBe("SUCCEEDED");
    expect(reg.log.filter((l) => l.endsWith("started (attempt 1)"))).toHaveLength(1);
    expect((await dto(again)).steps.map((st) => st.status)).toEqual(["CACHED", "CACHED", "CACHED", "SUCCEEDED"]);
    expect(await db().modelVersion.count({ where: { model: { projectId: s.project.id, name: "eta-twice" } } })).toBe(1);
  }, 240_000);

  it("a start whose worker died before recording its training run adopts that run instead of training again", async () => {
    const p = await pipeline({ name: "crashed", steps: [VALIDATE, train()] });
    const runId = await startTestRun(p.id);
    await advanceRun(runId);
    const started = await step(runId, "train");
    // As if the worker died between startTraining and writing the step's outputs.
    await db().pipelineStepRun.update({ where: { id: started.id }, data: { outputs: Prisma.DbNull } });
    await advanceRun(runId);
    expect((await step(runId, "train")).outputs).toEqual(started.outputs);
    expect(await db().run.count({ where: { projectId: s.project.id, name: { startsWith: "crashed #1" } } })).toBe(1);
    await drainJobs(500);
    expect((await dto(runId)).status).toBe("SUCCEEDED");
  }, 240_000);
});
