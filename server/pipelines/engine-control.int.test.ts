/**
 * Control of pipeline runs on real parts: step timeouts (a gate waiting for approvals, a training run
 * stopped at its deadline), the concurrency policies, cancelling a run, and advances that are
 * delivered twice or run at once.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import type { Actor } from "../audit/audit";
import { db, pool } from "../db";
import { Prisma } from "../generated/prisma/client";
import { savePolicy } from "../gates/policies";
import { DELIVERY_COLUMNS, deliveriesCsv } from "../ml/synthetic/deliveries";
import { createModel } from "../registry/models";
import { saveCommand } from "../training/commands";
import { projectWithVersion, uploadReadyVersion } from "../testing/datasets";
import { decide } from "../promotion/approvals";
import { drainJobs } from "../testing/drain-jobs";
import { pipelineAdvanceHandler } from "../../workers/handlers/pipelines";
import { cancelPipelineRun, retryStep } from "./engine";
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
    // A step of a run that has not finished is not retried.
    await expect(retryStep({ projectId: s.project.id, runId: second, stepId: "train", actor })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/is still RUNNING/) });
    await drainJobs(500);
    expect((await dto(second)).status).toBe("SUCCEEDED");
  }, 240_000);
});

describe("cancelling mid-start", () => {
  it("a run cancelled while its train step is starting the training run stops that run", async () => {
    const p = await pipeline({ name: "cancel-mid-start", steps: [VALIDATE, train()] });
    const runId = await startTestRun(p.id);
    // Hold new training runs back at their INSERT, so the cancel lands between the claim and the start's record.
    const blocker = await pool().connect();
    try {
      await blocker.query("BEGIN");
      await blocker.query('LOCK TABLE "Run" IN EXCLUSIVE MODE');
      const advancing = advanceRun(runId);
      const waiting = `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO%"Run"%'`;
      await expect.poll(async () => (await pool().query<{ n: number }>(waiting)).rows[0]!.n, { timeout: 15_000 }).toBe(1);
      const cancelled = await cancelPipelineRun({ projectId: s.project.id, runId, actor });
      expect(cancelled.steps.find((st) => st.stepId === "train")).toMatchObject({ status: "CANCELLED", outputs: null });
      await blocker.query("COMMIT");
      await advancing;
    } finally {
      blocker.release();
    }
    expect(await step(runId, "train")).toMatchObject({ status: "CANCELLED", outputs: { runId: expect.any(String) } });
    expect((await trainingRunOf(runId)).status).toBe("KILLED");
    expect((await dto(runId)).status).toBe("CANCELLED");
  }, 120_000);
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

describe("approvals", () => {
  it("a passed gate waiting for an approval succeeds when a reviewer approves (the approval event advances the run)", async () => {
    const m = await createModel({ projectId: s.project.id, orgId: s.owner.orgId, actor, name: "eta-reviewed", task: "regression", description: "" });
    await savePolicy({ projectId: s.project.id, orgId: s.owner.orgId, actor, modelId: m.id, yaml: "approvals:\n  required: 1\n  min_role: ADMIN\nchecks:\n  thresholds:\n    - metric: rmse\n      max: 1000\n" });
    const p = await pipeline({ name: "reviewed", steps: [VALIDATE, train({ cache: true }), { id: "evaluate", uses: "evaluate" }, { id: "register", uses: "register", with: { model: "eta-reviewed" } }, { id: "gate", uses: "gate" }] });
    const runId = await startTestRun(p.id);
    await drainJobs(500);
    const waiting = await step(runId, "gate");
    expect(waiting.status).toBe("RUNNING");
    await decide({ projectId: s.project.id, orgId: s.owner.orgId, versionId: waiting.outputs!.modelVersionId!, decision: "APPROVE", comment: "looks good", actor, role: "OWNER" });
    await drainJobs(500);
    expect(await step(runId, "gate")).toMatchObject({ status: "SUCCEEDED", outputs: expect.objectContaining({ passed: true }) });
    expect((await step(runId, "gate")).log.at(-1)).toMatch(/gate passed and approved \(1\/1\)$/);
    expect((await dto(runId)).status).toBe("SUCCEEDED");
  }, 240_000);
});

describe("dataset versions", () => {
  it("validate-data checks the version that triggered the run when it is one of its dataset, else the latest", async () => {
    const v2 = await uploadReadyVersion(s.owner, s.project.id, deliveriesCsv(120));
    const otherDataset = await uploadReadyVersion(s.owner, s.project.id, deliveriesCsv(60), "elsewhere");
    const p = await pipeline({ name: "which-version", steps: [VALIDATE] });
    const checked = async (triggerInfo: Record<string, unknown>) => {
      const runId = await startTestRun(p.id, { trigger: "dataset", triggerInfo });
      await drainJobs(500);
      expect((await dto(runId)).status).toBe("SUCCEEDED");
      return (await step(runId, "validate")).outputs!.datasetVersionId;
    };
    expect(await checked({ datasetVersionId: s.version.id })).toBe(s.version.id);
    expect(await checked({})).toBe(v2.id);
    expect(await checked({ datasetVersionId: otherDataset.id })).toBe(v2.id);
  }, 120_000);
});

describe("steps that cannot start", () => {
  it("fail with the domain service's reason and skip what follows", async () => {
    const bad = (id: string, w: Record<string, unknown>) => ({ id, uses: "train", needs: ["validate"], with: { trainer: "gbdt", target: "minutes", ...w } }) as StepInput;
    const p = await pipeline({
      name: "bad-steps",
      steps: [VALIDATE, bad("typo", { params: { rounds: "many" } }), bad("unknown-param", { params: { rounds: "${{ params.nope }}" } }), bad("no-column", { target: "eta" }), { id: "missing", uses: "validate-data", needs: [], with: { dataset: "nope" } }, { id: "after", uses: "evaluate", needs: ["typo"] }],
    });
    const runId = await startTestRun(p.id);
    await drainJobs(500);
    const run = await dto(runId);
    expect(run.status).toBe("FAILED");
    const byId = Object.fromEntries(run.steps.map((st) => [st.stepId, [st.status, st.message]]));
    expect(byId).toMatchObject({
      validate: [expect.stringMatching(/SUCCEEDED|CACHED/), null],
      typo: ["FAILED", expect.stringMatching(/^Invalid gbdt params: rounds/)],
      "unknown-param": ["FAILED", 'Unknown param "nope" in ${{ params.nope }}'],
      "no-column": ["FAILED", `Dataset "deliveries" has no column "eta" (columns: ${DELIVERY_COLUMNS.join(", ")})`],
      missing: ["FAILED", 'Dataset "nope" not found in this project'],
      after: ["SKIPPED", "skipped: typo FAILED"],
    });
    expect(await db().run.count({ where: { projectId: s.project.id, name: { startsWith: "bad-steps" } } })).toBe(0);
  }, 120_000);
});

describe("training that fails in its job", () => {
  it("fails the step at the safety-net look with the run's error; the command's code is part of the cache key", async () => {
    const base = { projectId: s.project.id, orgId: s.owner.orgId, actor, name: "fit", workdir: ".", timeoutSeconds: 60, env: {} };
    await saveCommand({ ...base, command: "echo 'loss went NaN' >&2; exit 3" });
    const p = await pipeline({ name: "cmd", steps: [VALIDATE, { id: "train", uses: "train", with: { trainer: "command", command: "fit", target: "minutes" } }] });
    const first = await startTestRun(p.id);
    await drainJobs(500);
    const run = await trainingRunOf(first);
    expect(run.status).toBe("FAILED");
    // No event marks a failed training run: the step waits for its delayed recheck, which is queued.
    expect((await step(first, "train")).status).toBe("RUNNING");
    const { rows } = await pool().query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'pipeline.recheck.v1' AND state = 'created' AND data->>'runId' = $1 AND start_after > now()`, [first]);
    expect(rows[0]!.n).toBe(1);
    await advanceRun(first); // what that job does when it comes due
    expect(await step(first, "train")).toMatchObject({ status: "FAILED", message: expect.stringMatching(/^training run #\d+ FAILED: .*exited with code 3[\s\S]*loss went NaN/) });

    await saveCommand({ ...base, command: "echo 'still NaN' >&2; exit 4" });
    const second = await startTestRun(p.id);
    await drainJobs(500);
    expect((await step(second, "train")).inputHash).not.toBe((await step(first, "train")).inputHash);
  }, 120_000);
});

