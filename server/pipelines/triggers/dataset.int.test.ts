/**
 * The dataset trigger: a real upload emits dataset.version.created through the outbox; dispatching it
 * runs the consumers as the worker would, and the pipelines naming that dataset start.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ingestVersion } from "../../datasets/ingest";
import { db } from "../../db";
import { dispatchEvent, dispatchPending } from "../../events/dispatch";
import { datasetVersionCreated } from "../../events/definitions";
import { once } from "../../testing/datasets";
import { startPipelineRun } from "../runs";
import { addPipeline, runsOf, triggerWorld, type TriggerWorld } from "./test-world";

let w: TriggerWorld;
let other: TriggerWorld;

async function upload(world: TriggerWorld, dataset: string, csv: string) {
  const { version } = await ingestVersion({
    projectId: world.projectId,
    orgId: world.owner.orgId,
    dataset,
    createDataset: true,
    actor: world.actor,
    body: once(csv),
    fileName: `${dataset}.csv`,
  });
  return version;
}

beforeAll(async () => {
  w = await triggerWorld();
  other = await triggerWorld();
});

describe("dataset trigger", () => {
  it("starts every live pipeline of the project naming the dataset, once per version", async () => {
    const onTrips = await addPipeline(w, "on-trips", { triggers: [{ dataset: "trips" }] });
    const alsoTrips = await addPipeline(w, "also-trips", { triggers: [{ cron: "0 3 * * *" }, { dataset: "trips" }] });
    const onZones = await addPipeline(w, "on-zones", { triggers: [{ dataset: "zones" }] });
    const archived = await addPipeline(w, "archived-trips", { triggers: [{ dataset: "trips" }], archived: true });
    // Another project's dataset of the same slug is another dataset.
    const foreign = await addPipeline(other, "foreign-trips", { triggers: [{ dataset: "trips" }] });

    const version = await upload(w, "trips", "a,b\n1,2\n3,4\n");
    const delivered = await dispatchPending(w.projectId);
    expect(delivered).toContain("dataset.version.created:pipelines.dataset-trigger");

    for (const p of [onTrips, alsoTrips]) {
      const runs = await runsOf(p.id);
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ trigger: "dataset", triggerInfo: { datasetVersionId: version.id, dataset: "trips", version: 1 }, idempotencyKey: `dataset:${version.id}` });
    }
    for (const p of [onZones, archived, foreign]) expect(await runsOf(p.id)).toHaveLength(0);

    // A redelivery (the consumer's delivery record lost, as after a crash before it committed) starts nothing twice.
    const event = await db().outboxEvent.findFirstOrThrow({ where: { projectId: w.projectId, type: datasetVersionCreated.name }, orderBy: { id: "desc" } });
    await db().outboxDelivery.deleteMany({ where: { eventId: event.id, consumer: "pipelines.dataset-trigger" } });
    expect((await dispatchEvent(event.id.toString())).delivered).toEqual(["pipelines.dataset-trigger"]);
    expect(await runsOf(onTrips.id)).toHaveLength(1);
    expect(await runsOf(alsoTrips.id)).toHaveLength(1);

    // The next version starts the next run.
    await upload(w, "trips", "a,b\n5,6\n");
    await dispatchPending(w.projectId);
    expect((await runsOf(onTrips.id)).map((r) => r.number)).toEqual([1, 2]);
    expect(await runsOf(foreign.id)).toHaveLength(0);
  });

  it("skips a pipeline whose budget is spent and still starts the others", async () => {
    const spent = await addPipeline(w, "spent", { triggers: [{ dataset: "rides" }], maxRunsPerDay: 1 });
    const fresh = await addPipeline(w, "fresh", { triggers: [{ dataset: "rides" }] });
    await startPipelineRun({ projectId: w.projectId, pipelineId: spent.id, trigger: "manual", triggerInfo: {}, actor: w.actor });
    await upload(w, "rides", "x\n1\n");
    const delivered = await dispatchPending(w.projectId);
    expect(delivered).toContain("dataset.version.created:pipelines.dataset-trigger");
    expect((await runsOf(spent.id)).map((r) => r.trigger)).toEqual(["manual"]);
    expect((await runsOf(fresh.id)).map((r) => r.trigger)).toEqual(["dataset"]);
  });
});
