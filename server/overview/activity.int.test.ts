import { describe, expect, it } from "vitest";
import { callerAs, createTestProject, createUser } from "../testing/factories";

describe("project activity", () => {
  it("counts runs by status, lists the latest first, and ranks by the inferred test metric until a primary metric is set", async () => {
    const owner = await createUser();
    const project = await createTestProject(owner.orgId, owner);
    const caller = callerAs(owner);
    const empty = await caller.project.activity({ projectId: project.id });
    expect(empty).toMatchObject({ metric: null, best: null, trend: [], runs: [], versions: [], counts: { runs: 0, datasets: 0 } });

    const values: [string, number, number][] = [["a", 5, 0.71], ["b", 3, 0.92], ["c", 4, 0.85]];
    for (const [name, rmse, r2] of values) {
      const run = await caller.run.create({ projectId: project.id, experiment: "e", name });
      await caller.run.logMetrics({ projectId: project.id, runId: run.id, points: [{ key: "test/rmse", step: 0, value: rmse }, { key: "test/r2", step: 0, value: r2 }] });
      await caller.run.finish({ projectId: project.id, runId: run.id, status: "FINISHED" });
    }
    const failed = await caller.run.create({ projectId: project.id, experiment: "e", name: "d" });
    await caller.run.finish({ projectId: project.id, runId: failed.id, status: "FAILED" });

    const inferred = await caller.project.activity({ projectId: project.id });
    expect(inferred.metric).toEqual({ key: "test/rmse", goal: "min", inferred: true });
    expect(inferred.best).toMatchObject({ name: "b", value: 3 });
    expect(inferred.trend.map((p) => [p.name, p.value])).toEqual([["a", 5], ["b", 3], ["c", 4]]);
    expect(inferred.runs.map((r) => [r.name, r.status, r.value])).toEqual([["d", "FAILED", null], ["c", "FINISHED", 4], ["b", "FINISHED", 3], ["a", "FINISHED", 5]]);
    expect(inferred.counts).toMatchObject({ runs: 4, byStatus: { FINISHED: 3, FAILED: 1, RUNNING: 0, QUEUED: 0, KILLED: 0 } });

    await caller.project.setPrimaryMetric({ projectId: project.id, primaryMetric: { key: "test/r2", goal: "max" } });
    const chosen = await caller.project.activity({ projectId: project.id });
    expect(chosen.metric).toEqual({ key: "test/r2", goal: "max", inferred: false });
    expect(chosen.best).toMatchObject({ name: "b", value: 0.92 });
  });
});
