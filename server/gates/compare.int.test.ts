/**
 * Comparing two registered versions on the same rows, a gate that cannot score (FAILED with its
 * reason), concurrent policy saves, and tenant isolation of every gate procedure on real rows.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db";
import { once } from "../testing/datasets";
import { callerAs, createTestProject, createUser } from "../testing/factories";
import { drainJobs } from "../testing/drain-jobs";
import { linearModel, projectWithTrainedRun, trainRun } from "../testing/registry";
import { registerExternal } from "../registry/register";
import { runGateJob } from "./evaluate";

type Setup = Awaited<ReturnType<typeof projectWithTrainedRun>>;
let s: Setup;
let ids: { modelId: string; v1: string; v2: string; runs: [string, string] };

beforeAll(async () => {
  s = await projectWithTrainedRun({ rows: 500 });
  const second = await trainRun(s.caller, s.project.id, s.version.id, { rounds: 40 });
  const a = await s.caller.model.register({ projectId: s.project.id, modelName: "eta", runId: s.run.id });
  const b = await s.caller.model.register({ projectId: s.project.id, modelName: "eta", runId: second.id });
  await drainJobs();
  ids = { modelId: a.version.modelId, v1: a.version.id, v2: b.version.id, runs: [s.run.id, second.id] };
}, 180_000);

const evaluatedRmse = async (runId: string) => {
  const [e] = await s.caller.training.evaluations({ projectId: s.project.id, runId });
  const full = await s.caller.training.evaluation({ projectId: s.project.id, reportId: e!.id });
  return full.report as { metrics: { rmse: { value: number }; r2: { value: number } }; scoring: { rows: number } };
};

describe("gate.compare", () => {
  it("scores both versions on the first one's test rows, with signature and lineage differences", async () => {
    const c = await s.caller.gate.compare({ projectId: s.project.id, versionId: ids.v1, otherVersionId: ids.v2 });
    const [r1, r2] = [await evaluatedRmse(ids.runs[0]), await evaluatedRmse(ids.runs[1])];
    expect(c.rows).toMatchObject({ datasetVersionId: s.version.id, split: "test", count: r1.scoring.rows });
    const rmse = c.metrics.find((m) => m.metric === "rmse")!;
    // Each number equals that model's own evaluation on the same split: the same rows, scored the same way.
    expect(rmse.a).toBeCloseTo(r1.metrics.rmse.value, 9);
    expect(rmse.b).toBeCloseTo(r2.metrics.rmse.value, 9);
    expect(rmse.difference).toBeCloseTo(rmse.b! - rmse.a!, 12);
    expect(c.metrics.map((m) => m.metric)).toEqual(["rmse", "mae", "mape", "r2"]);
    expect(c.signature.changes).toEqual([]);
    expect(c.lineage.map((l) => l.path)).toEqual(expect.arrayContaining(["params.rounds", "run.id"]));
    expect(c.lineage.find((l) => l.path === "params.rounds")).toMatchObject({ a: "15", b: "40" });
    expect(c.lineage.map((l) => l.path)).not.toContain("datasets.test.versionId");
  });
});

describe("a gate that cannot score", () => {
  it("is FAILED with the reason, and its completion event says passed: null", async () => {
    await s.caller.gate.savePolicy({ projectId: s.project.id, modelId: ids.modelId, yaml: "checks:\n  data_validation: true\n" });
    await drainJobs();
    // An uploaded file has no training data in its lineage: there are no rows to score it on.
    const { version } = await registerExternal({
      projectId: s.project.id,
      orgId: s.owner.orgId,
      actor: { type: "user", id: s.owner.userId, label: s.owner.email },
      modelName: "eta",
      body: once(linearModel(3)),
      fileName: "model.onnx",
    });
    await drainJobs();
    const [report] = await s.caller.gate.reports({ projectId: s.project.id, versionId: version.id });
    expect(report).toMatchObject({ status: "FAILED", passed: null, sha256: null });
    expect(report!.error).toMatch(/no test dataset version in its lineage|no stored encoding spec/);
    const event = await db().outboxEvent.findFirst({ where: { projectId: s.project.id, type: "gate.report.completed", payload: { path: ["reportId"], equals: report!.id } } });
    expect(event?.payload).toMatchObject({ passed: null, versionId: version.id });
  }, 60_000);
});

describe("a gate job that keeps failing unexpectedly", () => {
  it("is retried by the queue, and its last attempt fails the report instead of leaving it RUNNING", async () => {
    // A version whose bytes are missing from the artifact store: reading them is an I/O error, not a user error.
    const v1 = await db().modelVersion.findUniqueOrThrow({ where: { id: ids.v1 } });
    const last = await db().modelVersion.findFirstOrThrow({ where: { modelId: ids.modelId }, orderBy: { number: "desc" } });
    const { id: _id, number: _n, createdAt: _c, ...copy } = v1;
    const broken = await db().modelVersion.create({
      data: { ...copy, number: last.number + 1, sha256: "0".repeat(64), signature: v1.signature ?? {}, encoding: v1.encoding ?? undefined, metrics: v1.metrics ?? undefined, lineage: v1.lineage ?? {} },
    });
    const pending = await s.caller.gate.run({ projectId: s.project.id, versionId: broken.id });
    await expect(runGateJob(pending.id)).rejects.toThrow();
    expect((await db().gateReport.findUniqueOrThrow({ where: { id: pending.id } })).status).toBe("RUNNING");
    await runGateJob(pending.id, { lastAttempt: true });
    const failed = await s.caller.gate.report({ projectId: s.project.id, reportId: pending.id });
    expect(failed).toMatchObject({ status: "FAILED", passed: null });
    expect(failed.error).toMatch(/^The gate could not be evaluated: /);
    await db().gateReport.deleteMany({ where: { versionId: broken.id } });
    await db().modelVersion.delete({ where: { id: broken.id } });
    await drainJobs();
  }, 60_000);
});

describe("policy saves", () => {
  it("number concurrent saves one after another under the model's row lock", async () => {
    const before = (await s.caller.gate.revisions({ projectId: s.project.id, modelId: ids.modelId })).length;
    const saves = await Promise.all([1, 2, 3].map((i) => s.caller.gate.savePolicy({ projectId: s.project.id, modelId: ids.modelId, yaml: `checks:\n  thresholds:\n    - metric: rmse\n      max: ${100 + i}\n`, comment: `save ${i}` })));
    expect(saves.map((r) => r.revision).sort()).toEqual([before + 1, before + 2, before + 3]);
    await drainJobs();
  }, 60_000);
});

describe("tenant isolation of the gate procedures", () => {
  it("answers NOT_FOUND for another organisation's rows, through its own project too", async () => {
    const stranger = await createUser();
    const own = await createTestProject(stranger.orgId, stranger);
    const them = callerAs(stranger);
    const [report] = await s.caller.gate.reports({ projectId: s.project.id, versionId: ids.v2 });
    expect(report).toBeDefined();
    for (const projectId of [s.project.id, own.id]) {
      const calls: (() => Promise<unknown>)[] = [
        () => them.gate.policy({ projectId, modelId: ids.modelId }),
        () => them.gate.revisions({ projectId, modelId: ids.modelId }),
        () => them.gate.diff({ projectId, modelId: ids.modelId, from: 0, to: 1 }),
        () => them.gate.defaultPolicy({ projectId, modelId: ids.modelId }),
        () => them.gate.savePolicy({ projectId, modelId: ids.modelId, yaml: "checks: {}\n" }),
        () => them.gate.run({ projectId, versionId: ids.v2 }),
        () => them.gate.reports({ projectId, versionId: ids.v2 }),
        () => them.gate.report({ projectId, reportId: report!.id }),
        () => them.gate.compare({ projectId, versionId: ids.v1, otherVersionId: ids.v2 }),
      ];
      for (const call of calls) await expect(call()).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    // A version of this project cannot be compared with one of another project.
    await expect(them.gate.compare({ projectId: own.id, versionId: ids.v1, otherVersionId: ids.v1 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db().gatePolicyRevision.count({ where: { modelId: ids.modelId, authorId: stranger.userId } })).toBe(0);
  });
});
