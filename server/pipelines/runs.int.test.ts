/**
 * startPipelineRun against real Postgres and the real engine admission: numbers under concurrent
 * starts, idempotency keys (also raced), the daily budget, params checked against the spec, archived
 * pipelines, run reads by id and number, paging, and isolation between projects.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db";
import { actorOf } from "../tenancy/access";
import { callerAs, callerWithToken, createTestProject, createUser, mintToken, type TestUser } from "../testing/factories";
import { savePipeline } from "./pipelines";
import { getPipelineRun, getPipelineRunByNumber, listPipelineRuns, startPipelineRun } from "./runs";

let owner: TestUser;
let projectId: string;
let otherProjectId: string;

beforeAll(async () => {
  owner = await createUser();
  projectId = (await createTestProject(owner.orgId, owner)).id;
  otherProjectId = (await createTestProject(owner.orgId, owner)).id;
});

let n = 0;
async function pipeline(extra = "", project = projectId) {
  const name = `p${++n}`;
  const yaml = `name: ${name}\n${extra}steps:\n  - { id: register, uses: register, with: { model: eta-gbdt } }\n  - { id: gate, uses: gate }\n`;
  return savePipeline({ projectId: project, yaml, source: "api", actor: actorOf(owner) });
}

const start = (pipelineId: string, more: Partial<Parameters<typeof startPipelineRun>[0]> = {}) =>
  startPipelineRun({ projectId, pipelineId, trigger: "manual", triggerInfo: { by: "test" }, actor: actorOf(owner), ...more });

describe("startPipelineRun", () => {
  it("creates run 1 of the current revision with its steps and the spec's params, and audits it", async () => {
    const p = await pipeline("params: { rounds: 200, fast: false, note: hi }\n");
    const { run, created } = await start(p.id, { params: { rounds: 300 } });
    expect(created).toBe(true);
    expect(run).toMatchObject({ number: 1, pipelineName: p.name, revisionNumber: 1, trigger: "manual", params: { rounds: 300, fast: false, note: "hi" }, triggerInfo: { by: "test" } });
    expect(["QUEUED", "RUNNING"]).toContain(run.status);
    expect(run.steps.map((s) => [s.stepId, s.status, s.needs])).toEqual([
      ["register", "PENDING", []],
      ["gate", "PENDING", ["register"]],
    ]);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { targetId: run.id } });
    expect(audit).toMatchObject({ action: "pipeline.run.start", projectId, actorId: owner.userId });
  });

  it("gives concurrent starts consecutive numbers", async () => {
    const p = await pipeline();
    const runs = await Promise.all([start(p.id), start(p.id)]);
    expect(runs.map((r) => r.run.number).sort()).toEqual([1, 2]);
    // concurrency: queue (the default) — one runs, the other waits its turn.
    const statuses = (await db().pipelineRun.findMany({ where: { pipelineId: p.id }, orderBy: { number: "asc" } })).map((r) => r.status);
    expect(statuses).toEqual(["RUNNING", "QUEUED"]);
  });

  it("answers the first run for a repeated idempotency key, also when both arrive at once", async () => {
    const p = await pipeline();
    const [a, b] = await Promise.all([start(p.id, { idempotencyKey: "ci-123" }), start(p.id, { idempotencyKey: "ci-123" })]);
    expect(a.run.id).toBe(b.run.id);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    const again = await start(p.id, { idempotencyKey: "ci-123", params: {} });
    expect(again).toMatchObject({ created: false, run: { id: a.run.id, number: 1 } });
    const other = await start(p.id, { idempotencyKey: "ci-124" });
    expect(other).toMatchObject({ created: true, run: { number: 2 } });
    expect(await db().pipelineRun.count({ where: { pipelineId: p.id } })).toBe(2);
  });

  it("refuses runs over the daily budget, naming it", async () => {
    const p = await pipeline("budget: { maxRunsPerDay: 2 }\n");
    await start(p.id);
    await start(p.id);
    await expect(start(p.id)).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS", message: expect.stringMatching(/budget\.maxRunsPerDay: 2/) });
    // Runs of yesterday do not count against today.
    await db().pipelineRun.updateMany({ where: { pipelineId: p.id }, data: { createdAt: new Date(Date.now() - 2 * 86_400_000) } });
    await expect(start(p.id)).resolves.toMatchObject({ created: true, run: { number: 3 } });
    expect(await db().pipelineRun.count({ where: { pipelineId: p.id } })).toBe(3);
  });

  it("checks params against the spec: unknown names and wrong types are refused, strings of numbers read as numbers", async () => {
    const p = await pipeline("params: { rounds: 200, fast: false }\n");
    await expect(start(p.id, { params: { round: 5 } })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/"round" is not a param.*Declared params: fast, rounds/) });
    await expect(start(p.id, { params: { rounds: "many" } })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/"rounds" must be a number/) });
    await expect(start(p.id, { params: { fast: 1 } })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/"fast" must be a boolean/) });
    expect(await db().pipelineRun.count({ where: { pipelineId: p.id } })).toBe(0);
    const { run } = await start(p.id, { params: { rounds: "250", fast: "true" } });
    expect(run.params).toEqual({ rounds: 250, fast: true });
  });

  it("runs the revision current at start; a later save does not change it", async () => {
    const p = await pipeline();
    const { run } = await start(p.id);
    await savePipeline({ projectId, yaml: `name: ${p.name}\ndescription: v2\nsteps:\n  - { id: gate, uses: gate }\n`, source: "api", actor: actorOf(owner) });
    const { run: second } = await start(p.id);
    expect([run.revisionNumber, second.revisionNumber]).toEqual([1, 2]);
    expect((await getPipelineRun(projectId, run.id)).steps.map((s) => s.stepId)).toEqual(["register", "gate"]);
    expect(second.steps.map((s) => s.stepId)).toEqual(["gate"]);
  });
});

describe("pipeline.run over tRPC", () => {
  it("records a person's start as manual and a token's as api, and honours the idempotency key", async () => {
    const p = await pipeline("params: { rounds: 1 }\n");
    const byUser = await callerAs(owner).pipeline.run({ projectId, pipelineId: p.id, params: { rounds: 2 } });
    expect(byUser).toMatchObject({ number: 1, trigger: "manual", params: { rounds: 2 }, triggerInfo: { by: owner.email } });
    const token = await callerWithToken((await mintToken(owner, { role: "MEMBER" })).secret);
    const byToken = await token.pipeline.run({ projectId, pipelineId: p.id, idempotencyKey: "k" });
    expect(byToken).toMatchObject({ number: 2, trigger: "api" });
    expect((await token.pipeline.run({ projectId, pipelineId: p.id, idempotencyKey: "k" })).id).toBe(byToken.id);
    expect((await token.pipeline.runs({ projectId, pipelineId: p.id })).map((r) => r.number)).toEqual([2, 1]);
    expect((await token.pipeline.runGet({ projectId, runId: byUser.id })).number).toBe(1);
  });
});

describe("isolation of real runs over tRPC", () => {
  it("another organisation's owner and another project's token get NOT_FOUND and change nothing", async () => {
    const p = await pipeline();
    const { run } = await start(p.id);
    const outsider = callerAs(await createUser());
    const otherProject = await callerWithToken((await mintToken(owner, { role: "ADMIN", projectId: otherProjectId })).secret);
    for (const c of [outsider, otherProject]) {
      const calls = [
        () => c.pipeline.runGet({ projectId, runId: run.id }),
        () => c.pipeline.runs({ projectId, pipelineId: p.id }),
        () => c.pipeline.cancelRun({ projectId, runId: run.id }),
        () => c.pipeline.retryStep({ projectId, runId: run.id, stepId: "gate" }),
        () => c.pipeline.run({ projectId, pipelineId: p.id }),
        // Naming the run under a project the caller does reach is no way around it either.
        () => c.pipeline.runGet({ projectId: otherProjectId, runId: run.id }),
        () => c.pipeline.cancelRun({ projectId: otherProjectId, runId: run.id }),
      ];
      for (const call of calls) await expect(call()).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    const after = await db().pipelineRun.findMany({ where: { pipelineId: p.id } });
    expect(after.map((r) => [r.number, r.status])).toEqual([[1, run.status]]);
  });
});

describe("reading runs", () => {
  it("reads by id and number, lists newest first with a cursor, and hides other projects' runs", async () => {
    const p = await pipeline();
    for (let i = 0; i < 3; i++) await start(p.id);
    const byNumber = await getPipelineRunByNumber(projectId, p.id, 2);
    expect(byNumber.number).toBe(2);
    expect((await getPipelineRun(projectId, byNumber.id)).id).toBe(byNumber.id);
    await expect(getPipelineRunByNumber(projectId, p.id, 9)).rejects.toMatchObject({ code: "NOT_FOUND" });

    const page1 = await listPipelineRuns({ projectId, pipelineId: p.id, limit: 2 });
    expect(page1.map((r) => r.number)).toEqual([3, 2]);
    const page2 = await listPipelineRuns({ projectId, pipelineId: p.id, limit: 2, cursor: page1[1]!.id });
    expect(page2.map((r) => r.number)).toEqual([1]);

    await expect(getPipelineRun(otherProjectId, byNumber.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getPipelineRunByNumber(otherProjectId, p.id, 2)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(listPipelineRuns({ projectId: otherProjectId, pipelineId: p.id, limit: 50 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(listPipelineRuns({ projectId: otherProjectId, limit: 50, cursor: byNumber.id })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
