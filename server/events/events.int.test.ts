import { describe, expect, it } from "vitest";
import { db } from "../db";
import { callerAs, createTestProject, createUser } from "../testing/factories";
import { drainJobs } from "../testing/drain-jobs";
import { ingestVersion } from "../datasets/ingest";
import { deliveriesCsv } from "../ml/synthetic/deliveries";
import { datasetVersionCreated, runTrainingFinished } from "./definitions";
import { dispatchEvent } from "./dispatch";
import { emitEvent } from "./outbox";

async function* once(text: string) {
  yield Buffer.from(text);
}

async function setup(rows: number) {
  const owner = await createUser();
  const project = await createTestProject(owner.orgId, owner);
  const caller = callerAs(owner);
  const { version } = await ingestVersion({
    projectId: project.id, orgId: owner.orgId, dataset: "deliveries", createDataset: true,
    actor: { type: "user", id: owner.userId, label: owner.email }, body: once(deliveriesCsv(rows)), fileName: "deliveries.csv",
  });
  return { owner, project, caller, version };
}

const eventTypes = async (projectId: string) => (await db().outboxEvent.findMany({ where: { projectId }, orderBy: { id: "asc" } })).map((e) => e.type);

describe("typed events", () => {
  it("runs upload → profile → validate through events and jobs only", async () => {
    const { project, caller, version } = await setup(300);
    const ds = await caller.dataset.get({ projectId: project.id, slug: "deliveries" });
    await caller.dataset.saveContract({ projectId: project.id, datasetId: ds.id, expectations: [{ kind: "row_count", min: 100 }] });
    // Nothing is called directly: the worker's handlers run whatever the events enqueue.
    const ran = await drainJobs();
    expect(ran).toEqual(["outbox.dispatch.v1", "dataset.profile.v1", "outbox.dispatch.v1", "dataset.validate.v1"]);
    expect(await eventTypes(project.id)).toEqual(["dataset.version.created", "dataset.version.profiled"]);
    const detail = await caller.dataset.version({ projectId: project.id, versionId: version.id });
    expect(detail).toMatchObject({ profileStatus: "READY", validation: "PASSED" });
    expect(detail.report?.results).toMatchObject([{ kind: "row_count", passed: true }]);
    const deliveries = await db().outboxDelivery.findMany({ where: { event: { projectId: project.id } }, orderBy: { eventId: "asc" } });
    // pipelines.dataset-trigger and monitoring.dataset-window also receive the new version (they start the pipelines and monitors watching the dataset; none here).
    expect(deliveries.map((d) => d.consumer).sort()).toEqual(["dataset.profile", "dataset.validate", "monitoring.dataset-window", "pipelines.dataset-trigger"]);
  });

  it("evaluates a finished training run once, however often its event is dispatched", async () => {
    const { project, caller, version } = await setup(400);
    await drainJobs();
    const run = await caller.training.start({
      projectId: project.id, datasetVersionId: version.id, target: "minutes", exclude: ["delivery_id"], trainer: "ridge", sliceColumn: "region",
    });
    const ran = await drainJobs();
    expect(ran).toEqual(["train.v1", "outbox.dispatch.v1", "evaluate.v1", "outbox.dispatch.v1"]);
    const event = await db().outboxEvent.findFirstOrThrow({ where: { projectId: project.id, type: runTrainingFinished.name } });
    expect(event.payload).toEqual({ runId: run.id, datasetVersionId: version.id });
    // Redelivery (a crashed dispatcher, a manual replay) changes nothing.
    expect(await dispatchEvent(event.id.toString())).toEqual({ delivered: [] });
    expect(await dispatchEvent(event.id.toString())).toEqual({ delivered: [] });
    expect(await drainJobs()).toEqual([]);
    const reports = await caller.training.evaluations({ projectId: project.id, runId: run.id });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ status: "DONE", split: "test", versionId: version.id });
    const full = await caller.training.evaluation({ projectId: project.id, reportId: reports[0]!.id });
    expect(full.report).toMatchObject({ task: "regression", slices: { column: "region" } });
  });

  it("does not evaluate a run started with evaluate: false", async () => {
    const { project, caller, version } = await setup(300);
    await drainJobs();
    const run = await caller.training.start({ projectId: project.id, datasetVersionId: version.id, target: "minutes", exclude: ["delivery_id"], trainer: "ridge", evaluate: false });
    expect(await drainJobs()).toEqual(["train.v1", "outbox.dispatch.v1"]);
    expect(await db().outboxDelivery.count({ where: { consumer: "evaluation.after-training", event: { projectId: project.id, type: runTrainingFinished.name } } })).toBe(1);
    expect(await caller.training.evaluations({ projectId: project.id, runId: run.id })).toEqual([]);
  });

  it("fails the delivery, rather than skip the evaluation, when the run's stored spec no longer parses", async () => {
    const { project, caller, version } = await setup(200);
    await drainJobs();
    const run = await caller.training.start({ projectId: project.id, datasetVersionId: version.id, target: "minutes", trainer: "ridge" });
    await db().run.update({ where: { id: run.id }, data: { spec: { trainer: "ridge" } } });
    const eventId = await db().$transaction((tx) => emitEvent(tx, runTrainingFinished, { projectId: project.id, payload: { runId: run.id, datasetVersionId: version.id } }));
    await expect(dispatchEvent(eventId)).rejects.toThrow(new RegExp(`stored training spec of run ${run.id} does not have the expected shape`));
    expect(await db().outboxDelivery.count({ where: { eventId: BigInt(eventId) } })).toBe(0);
    expect(await db().evaluationReport.count({ where: { runId: run.id } })).toBe(0);
  });

  it("refuses a malformed payload when it is emitted, and a stored one that no longer parses when it is dispatched", async () => {
    const { project } = await setup(20);
    const before = await db().outboxEvent.count({ where: { projectId: project.id } });
    await expect(
      db().$transaction((tx) => emitEvent(tx, datasetVersionCreated, { projectId: project.id, payload: { versionId: "v", datasetId: "d", number: -1 } })),
    ).rejects.toThrow(/number/);
    expect(await db().outboxEvent.count({ where: { projectId: project.id } })).toBe(before);
    const bad = await db().outboxEvent.create({ data: { projectId: project.id, type: datasetVersionCreated.name, payload: { versionId: 42 } } });
    await expect(dispatchEvent(bad.id.toString())).rejects.toThrow(/malformed payload.*versionId/s);
    expect(await db().outboxDelivery.count({ where: { eventId: bad.id } })).toBe(0);
  });
});
