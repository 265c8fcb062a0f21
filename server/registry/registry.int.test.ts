/**
 * The registry on real parts: a GBDT trained and evaluated by the worker's handlers, ONNX Runtime
 * loading every file, Postgres row locks, the outbox and the local artifact store.
 */
import { describe, expect, it } from "vitest";
import { db } from "../db";
import { modelVersionRegistered, runTrainingFinished } from "../events/definitions";
import { dispatchEvent } from "../events/dispatch";
import { once, storedFiles } from "../testing/datasets";
import { addMember, callerAs, createTestProject, createUser } from "../testing/factories";
import { linearModel, projectWithTrainedRun, trainRun } from "../testing/registry";
import { artifactStore } from "../storage/artifact-store";
import { registerExternal } from "./register";

const actorOf = (u: { userId: string; email: string }) => ({ type: "user" as const, id: u.userId, label: u.email });

async function upload(owner: { userId: string; email: string; orgId: string }, projectId: string, modelName: string, bytes: Buffer, task?: "regression" | "binary") {
  return registerExternal({ projectId, orgId: owner.orgId, actor: actorOf(owner), modelName, body: once(bytes), task, fileName: "model.onnx" });
}

describe("registering a finished run's model", () => {
  it("records its bytes, signature, encoding, metrics snapshot and lineage, once however often it is retried", async () => {
    const { project, caller, version, run, owner } = await projectWithTrainedRun();
    const first = await caller.model.register({ projectId: project.id, modelName: "eta", runId: run.id, description: "first cut" });
    expect(first.created).toBe(true);
    const v = first.version;
    const artifact = await db().runArtifact.findFirstOrThrow({ where: { runId: run.id, path: "model.onnx" } });
    expect(v).toMatchObject({ number: 1, model: "eta", task: "regression", sha256: artifact.sha256, sizeBytes: Number(artifact.sizeBytes), runId: run.id, description: "first cut", archivedAt: null });
    expect(v.createdBy).toEqual({ id: owner.userId, label: owner.name });
    // Signature from the file as ONNX Runtime loads it: one [N,1] input per feature, the regression output.
    expect(v.signature.inputs.map((i) => i.name)).toEqual(expect.arrayContaining(["distance_km", "weather"]));
    expect(v.signature.inputs.find((i) => i.name === "weather")).toMatchObject({ type: "string", shape: ["N", 1] });
    expect(v.signature.outputs).toEqual([{ name: "variable", type: "float32", shape: ["N", 1] }]);
    expect(v.signature.metadata["cairn.trainer"]).toBe("gbdt");
    expect(v.signature.metadata["cairn.encoding"]).toBeUndefined();
    expect(v.encoding?.target).toEqual({ name: "minutes", task: "regression" });
    expect(v.encoding?.features.map((f) => f.name)).not.toContain("delivery_id");
    // The snapshot is the run's own evaluation on its training version's test split.
    const [report] = await caller.training.evaluations({ projectId: project.id, runId: run.id });
    expect(report).toMatchObject({ status: "DONE", split: "test", versionId: version.id });
    expect(v.metrics).toMatchObject({ reportId: report!.id, versionId: version.id, split: "test", metrics: { rmse: report!.headline.rmse, r2: report!.headline.r2 } });
    expect(v.metrics!.metrics.rmse).toBeGreaterThan(0);
    const ref = (split: string) => ({ versionId: version.id, dataset: "deliveries", number: 1, split });
    expect(v.lineage).toMatchObject({
      source: "run",
      run: { id: run.id, number: run.number, experiment: { name: "Training" } },
      datasets: { train: ref("train"), validation: ref("validation"), test: ref("test") },
      trainer: "gbdt",
      target: "minutes",
      params: { rounds: 15, maxDepth: 3 },
    });
    expect((v.lineage as { environment: Record<string, unknown> }).environment).toMatchObject({ worker: "test-drain" });

    // A retry (a CI job re-run) answers the same version and writes nothing more.
    const again = await caller.model.register({ projectId: project.id, modelName: "eta", runId: run.id });
    expect(again).toMatchObject({ created: false, version: { id: v.id, number: 1 } });
    expect(await db().modelVersion.count({ where: { projectId: project.id } })).toBe(1);
    expect(await db().outboxEvent.count({ where: { projectId: project.id, type: modelVersionRegistered.name } })).toBe(1);
    const audit = await db().auditEvent.findMany({ where: { projectId: project.id, action: { startsWith: "model." } }, orderBy: { at: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["model.create", "model.version.register"]);

    const model = await caller.model.get({ projectId: project.id, name: "eta" });
    expect(model).toMatchObject({ task: "regression", versionCount: 1, champion: null, latest: { id: v.id, number: 1 }, owner: { id: owner.userId } });
  });

  it("refuses a run that has not finished or has no model, and a model of another task", async () => {
    const { project, caller, run, owner } = await projectWithTrainedRun({ rows: 300 });
    const tracking = await caller.run.create({ projectId: project.id, experiment: "manual" });
    await expect(caller.model.register({ projectId: project.id, modelName: "eta", runId: tracking.id })).rejects.toMatchObject({ code: "PRECONDITION_FAILED", message: expect.stringMatching(/RUNNING.*FINISHED/) });
    await caller.run.finish({ projectId: project.id, runId: tracking.id });
    await expect(caller.model.register({ projectId: project.id, modelName: "eta", runId: tracking.id })).rejects.toMatchObject({ code: "PRECONDITION_FAILED", message: expect.stringMatching(/no model\.onnx/) });
    await upload(owner, project.id, "churn", linearModel(0.3, { task: "binary" }));
    await expect(caller.model.register({ projectId: project.id, modelName: "churn", runId: run.id })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/churn is a binary model; this file is a regression model/) });
    expect(await db().modelVersion.count({ where: { projectId: project.id } })).toBe(1);
    expect(await db().registeredModel.count({ where: { projectId: project.id } })).toBe(1);
  });

  it("gives concurrent registrations distinct consecutive numbers", async () => {
    const owner = await createUser();
    const project = await createTestProject(owner.orgId, owner);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => upload(owner, project.id, "race", linearModel(i + 1))));
    expect(results.every((r) => r.created)).toBe(true);
    expect(results.map((r) => r.version.number).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    // The same bytes raced twice make one version.
    const same = await Promise.all([upload(owner, project.id, "race", linearModel(99)), upload(owner, project.id, "race", linearModel(99))]);
    expect(same[0].version.id).toBe(same[1].version.id);
    expect(same.filter((r) => r.created)).toHaveLength(1);
    expect(await db().modelVersion.count({ where: { projectId: project.id } })).toBe(7);
  });
});

describe("uploading an external ONNX file", () => {
  it("reads the signature and embedded encoding from the file and marks the lineage external", async () => {
    const owner = await createUser();
    const project = await createTestProject(owner.orgId, owner);
    const spec = { version: 1, missingTokens: [""], features: [{ name: "x", kind: "numeric" }], target: { name: "y", task: "regression" } };
    const { created, version } = await upload(owner, project.id, "ext", linearModel(1, { metadata: { "cairn.encoding": JSON.stringify(spec) } }));
    expect(created).toBe(true);
    expect(version).toMatchObject({ number: 1, task: "regression", runId: null, metrics: null, lineage: { source: "external", fileName: "model.onnx" }, encoding: spec });
    expect(version.signature.inputs).toEqual([{ name: "x", type: "float32", shape: ["N", 1] }]);
    expect(await artifactStore().stat(version.sha256)).toEqual({ sizeBytes: version.sizeBytes });
    const plain = await upload(owner, project.id, "ext", linearModel(2));
    expect(plain.version).toMatchObject({ number: 2, encoding: null });
    await expect(upload(owner, project.id, "other", linearModel(4, { metadata: { "cairn.encoding": "{not json" } }))).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/encoding spec cannot be read/) });
    await expect(upload(owner, project.id, "other", linearModel(3), "binary")).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/regression model.*not binary/) });
  });

  it("refuses bytes ONNX Runtime cannot load and stores nothing", async () => {
    const owner = await createUser();
    const project = await createTestProject(owner.orgId, owner);
    const before = await storedFiles();
    for (const bytes of [Buffer.from("not a model at all"), linearModel(1).subarray(0, 40), Buffer.alloc(0)]) {
      await expect(upload(owner, project.id, "broken", bytes)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    expect(await db().registeredModel.count({ where: { projectId: project.id } })).toBe(0);
    expect(await db().auditEvent.count({ where: { projectId: project.id, action: { startsWith: "model." } } })).toBe(0);
    expect(await storedFiles()).toEqual(before);
  });
});

describe("auto-registration", () => {
  it("registers each finished run of the chosen experiment, once per event", async () => {
    const { project, caller, version } = await projectWithTrainedRun({ rows: 300, experiment: "nightly" });
    const model = await caller.model.create({ projectId: project.id, name: "nightly-eta", task: "regression" });
    const other = await caller.model.create({ projectId: project.id, name: "nightly-cls", task: "binary" });
    const experiment = (await caller.run.experiments({ projectId: project.id })).find((e) => e.name === "nightly")!;
    await caller.model.update({ projectId: project.id, modelId: model.id, autoRegisterExperimentId: experiment.id });
    await caller.model.update({ projectId: project.id, modelId: other.id, autoRegisterExperimentId: experiment.id });
    // The run trained before the setting is not registered retroactively.
    expect(await db().modelVersion.count({ where: { modelId: model.id } })).toBe(0);

    const next = await trainRun(caller, project.id, version.id, { experiment: "nightly", rounds: 12 });
    await trainRun(caller, project.id, version.id, { experiment: "elsewhere", rounds: 11 });
    const versions = await caller.model.versions({ projectId: project.id, modelId: model.id });
    expect(versions.map((v) => v.runId)).toEqual([next.id]);
    expect(versions[0]!.createdBy.label).not.toBe("system");
    // Registered as training ended, before the evaluation ran: the snapshot arrived with the DONE report.
    const [evaluation] = await caller.training.evaluations({ projectId: project.id, runId: next.id });
    expect(versions[0]!.metrics).toMatchObject({ reportId: evaluation!.id, split: "test", metrics: { rmse: evaluation!.headline.rmse } });
    const registeredAt = await db().outboxEvent.findFirstOrThrow({ where: { projectId: project.id, type: modelVersionRegistered.name } });
    const doneAt = await db().outboxEvent.findFirstOrThrow({ where: { projectId: project.id, type: "evaluation.report.done", payload: { path: ["runId"], equals: next.id } } });
    expect(registeredAt.id < doneAt.id).toBe(true);
    // A model of another task skips the run, and the audit log says why.
    expect(await db().modelVersion.count({ where: { modelId: other.id } })).toBe(0);
    const skipped = await db().auditEvent.findFirstOrThrow({ where: { projectId: project.id, action: "model.version.auto-register-skipped" } });
    expect(skipped.after).toMatchObject({ runId: next.id, reason: expect.stringMatching(/regression model; nightly-cls is binary/) });

    const event = await db().outboxEvent.findFirstOrThrow({ where: { projectId: project.id, type: runTrainingFinished.name, payload: { path: ["runId"], equals: next.id } } });
    await db().outboxDelivery.deleteMany({ where: { eventId: event.id, consumer: "registry.auto-register" } });
    expect(await dispatchEvent(event.id.toString())).toEqual({ delivered: ["registry.auto-register"] });
    expect(await db().modelVersion.count({ where: { modelId: model.id } })).toBe(1);
  });
});

describe("tenancy and roles", () => {
  it("hides models from other organisations and anonymous callers, and keeps viewers from registering", async () => {
    const { project, caller, run, owner } = await projectWithTrainedRun({ rows: 300 });
    const { version } = await caller.model.register({ projectId: project.id, modelName: "eta", runId: run.id });
    const stranger = await createUser();
    const outsider = callerAs(stranger);
    const notFound = { code: "NOT_FOUND" };
    await expect(outsider.model.get({ projectId: project.id, name: "eta" })).rejects.toMatchObject(notFound);
    await expect(outsider.model.version({ projectId: project.id, versionId: version.id })).rejects.toMatchObject(notFound);
    await expect(outsider.model.register({ projectId: project.id, modelName: "eta", runId: run.id })).rejects.toMatchObject(notFound);
    // The stranger's own project cannot reach the other tenant's version or run by id.
    const own = await createTestProject(stranger.orgId, stranger);
    await expect(outsider.model.version({ projectId: own.id, versionId: version.id })).rejects.toMatchObject(notFound);
    await expect(outsider.model.setAlias({ projectId: own.id, versionId: version.id, alias: "x" })).rejects.toMatchObject(notFound);
    await expect(outsider.model.register({ projectId: own.id, modelName: "stolen", runId: run.id })).rejects.toMatchObject(notFound);
    await expect(callerAs(null).model.list({ projectId: project.id })).rejects.toMatchObject({ code: "UNAUTHORIZED" });

    const viewer = await createUser();
    await addMember(owner.orgId, viewer, "VIEWER");
    const asViewer = callerAs(viewer);
    expect((await asViewer.model.list({ projectId: project.id })).map((m) => m.name)).toEqual(["eta"]);
    await expect(asViewer.model.register({ projectId: project.id, modelName: "eta", runId: run.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asViewer.model.setAlias({ projectId: project.id, versionId: version.id, alias: "x" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const member = await createUser();
    await addMember(owner.orgId, member, "MEMBER");
    await expect(callerAs(member).model.archiveVersion({ projectId: project.id, versionId: version.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await db().modelVersion.count({ where: { projectId: own.id } })).toBe(0);
  });
});
