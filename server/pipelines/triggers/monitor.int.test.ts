/** startFromMonitor: the monitoring domain's way to start retraining pipelines when a monitor alerts. */
import { beforeAll, describe, expect, it } from "vitest";
import { startPipelineRun } from "../runs";
import { startFromMonitor } from "./monitor";
import { addPipeline, runsOf, triggerWorld, type TriggerWorld } from "./test-world";

let w: TriggerWorld;
let other: TriggerWorld;

beforeAll(async () => {
  w = await triggerWorld();
  other = await triggerWorld();
});

describe("monitor trigger", () => {
  it("starts every live pipeline of the project naming the monitor, once per alert", async () => {
    const retrain = await addPipeline(w, "retrain", { triggers: [{ monitor: "eta-drift" }] });
    const alsoRetrain = await addPipeline(w, "also-retrain", { triggers: [{ push: {} }, { monitor: "eta-drift" }] });
    const otherMonitor = await addPipeline(w, "other-monitor", { triggers: [{ monitor: "eta-latency" }] });
    const archived = await addPipeline(w, "archived-retrain", { triggers: [{ monitor: "eta-drift" }], archived: true });
    const foreign = await addPipeline(other, "foreign-retrain", { triggers: [{ monitor: "eta-drift" }] });

    const runs = await startFromMonitor({ projectId: w.projectId, monitor: "eta-drift", alertId: "alert-1" });
    expect(runs.map((r) => r.pipelineName).sort()).toEqual(["also-retrain", "retrain"]);
    expect(runs.every((r) => r.trigger === "monitor" && r.projectId === w.projectId)).toBe(true);
    expect(runs[0]!.triggerInfo).toEqual({ alertId: "alert-1", monitor: "eta-drift" });
    for (const p of [otherMonitor, archived, foreign]) expect(await runsOf(p.id)).toHaveLength(0);

    // The same alert again answers the runs it started and starts nothing new.
    const again = await startFromMonitor({ projectId: w.projectId, monitor: "eta-drift", alertId: "alert-1" });
    expect(again.map((r) => r.id).sort()).toEqual(runs.map((r) => r.id).sort());
    expect(await runsOf(retrain.id)).toHaveLength(1);
    // Another alert starts the next runs.
    await startFromMonitor({ projectId: w.projectId, monitor: "eta-drift", alertId: "alert-2" });
    expect((await runsOf(alsoRetrain.id)).map((r) => r.idempotencyKey)).toEqual(["monitor:alert-1", "monitor:alert-2"]);
  });

  it("starts nothing for an unknown monitor or another project's id", async () => {
    expect(await startFromMonitor({ projectId: w.projectId, monitor: "nobody", alertId: "a" })).toEqual([]);
    expect(await startFromMonitor({ projectId: "cmnotaproject00000000000", monitor: "eta-drift", alertId: "a" })).toEqual([]);
  });

  it("leaves out a pipeline whose budget is spent and starts the others", async () => {
    const spent = await addPipeline(w, "spent-retrain", { triggers: [{ monitor: "eta-errors" }], maxRunsPerDay: 1 });
    const fresh = await addPipeline(w, "fresh-retrain", { triggers: [{ monitor: "eta-errors" }] });
    await startPipelineRun({ projectId: w.projectId, pipelineId: spent.id, trigger: "manual", triggerInfo: {}, actor: w.actor });
    const runs = await startFromMonitor({ projectId: w.projectId, monitor: "eta-errors", alertId: "alert-3" });
    expect(runs.map((r) => r.pipelineId)).toEqual([fresh.id]);
    expect(await runsOf(spent.id)).toHaveLength(1);
  });
});
