/**
 * Aliases with their history, and what keeps a version (and its run, and its bytes) from going while
 * something refers to it.
 */
import { describe, expect, it } from "vitest";
import { db } from "../db";
import { modelAliasMoved } from "../events/definitions";
import { once } from "../testing/datasets";
import { addMember, callerAs, createTestProject, createUser, type TestUser } from "../testing/factories";
import { linearModel, projectWithTrainedRun } from "../testing/registry";
import { putArtifact } from "../runs/artifacts";
import { orgStorageBytes } from "../storage/quota";
import { artifactStore } from "../storage/artifact-store";
import { registerExternal } from "./register";

async function uploadAs(owner: TestUser, projectId: string, modelName: string, intercept: number) {
  const actor = { type: "user" as const, id: owner.userId, label: owner.email };
  return (await registerExternal({ projectId, orgId: owner.orgId, actor, modelName, body: once(linearModel(intercept)) })).version;
}

async function modelWithVersions(n: number) {
  const owner = await createUser();
  const project = await createTestProject(owner.orgId, owner);
  const versions = [];
  // Bytes are shared by content across projects: each test's files are its own.
  const base = Math.random();
  for (let i = 1; i <= n; i++) versions.push(await uploadAs(owner, project.id, "eta", base + i));
  return { owner, project, caller: callerAs(owner), versions, modelId: versions[0]!.modelId };
}

describe("aliases", () => {
  it("moves any alias but champion, keeping every move in the history, the outbox and the audit log", async () => {
    const { project, caller, versions, modelId } = await modelWithVersions(2);
    const [v1, v2] = versions as [(typeof versions)[0], (typeof versions)[0]];
    const P = { projectId: project.id };
    let model = await caller.model.setAlias({ ...P, versionId: v1.id, alias: "challenger" });
    expect(model.aliases).toMatchObject([{ name: "challenger", versionId: v1.id, number: 1 }]);
    model = await caller.model.setAlias({ ...P, versionId: v2.id, alias: "challenger" });
    expect(model.aliases).toMatchObject([{ name: "challenger", versionId: v2.id, number: 2 }]);
    // Setting it where it already points records nothing.
    await caller.model.setAlias({ ...P, versionId: v2.id, alias: "challenger" });
    await caller.model.setAlias({ ...P, versionId: v1.id, alias: "staging" });
    expect((await caller.model.version({ ...P, versionId: v1.id })).aliases).toEqual(["staging"]);
    model = await caller.model.removeAlias({ ...P, modelId, alias: "staging" });
    expect(model.aliases.map((a) => a.name)).toEqual(["challenger"]);
    await expect(caller.model.removeAlias({ ...P, modelId, alias: "staging" })).rejects.toMatchObject({ code: "NOT_FOUND" });

    const history = await caller.model.history({ ...P, modelId });
    expect(history.map((h) => [h.alias, h.kind, h.from?.number ?? null, h.to?.number ?? null])).toEqual([
      ["staging", "remove", 1, null],
      ["staging", "set", null, 1],
      ["challenger", "set", 1, 2],
      ["challenger", "set", null, 1],
    ]);
    expect(history[0]!.actor?.label).toBeTruthy();
    expect((await caller.model.history({ ...P, modelId, alias: "challenger" })).map((h) => h.to?.number)).toEqual([2, 1]);
    const events = await db().outboxEvent.findMany({ where: { projectId: project.id, type: modelAliasMoved.name }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.payload)).toEqual([
      { modelId, alias: "challenger", fromVersionId: null, toVersionId: v1.id, kind: "set" },
      { modelId, alias: "challenger", fromVersionId: v1.id, toVersionId: v2.id, kind: "set" },
      { modelId, alias: "staging", fromVersionId: null, toVersionId: v1.id, kind: "set" },
      { modelId, alias: "staging", fromVersionId: v1.id, toVersionId: null, kind: "remove" },
    ]);
    const audit = await db().auditEvent.findMany({ where: { projectId: project.id, action: { startsWith: "model.alias." } } });
    expect(audit).toHaveLength(4);

    const refused = { code: "BAD_REQUEST", message: expect.stringMatching(/champion alias moves only through promotion/) };
    await expect(caller.model.setAlias({ ...P, versionId: v1.id, alias: "champion" })).rejects.toMatchObject(refused);
    await expect(caller.model.removeAlias({ ...P, modelId, alias: "champion" })).rejects.toMatchObject(refused);
    await expect(caller.model.setAlias({ ...P, versionId: v1.id, alias: "Bad Name" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await db().modelAlias.count({ where: { modelId, name: "champion" } })).toBe(0);
  });
});

describe("archiving and deleting versions", () => {
  it("refuses to archive an aliased version, and an alias onto an archived one", async () => {
    const { project, caller, versions, modelId } = await modelWithVersions(2);
    const [v1, v2] = versions as [(typeof versions)[0], (typeof versions)[0]];
    const P = { projectId: project.id };
    await caller.model.setAlias({ ...P, versionId: v1.id, alias: "challenger" });
    await expect(caller.model.archiveVersion({ ...P, versionId: v1.id })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/eta v1 cannot be archived while "challenger" points at it/) });
    expect((await caller.model.version({ ...P, versionId: v1.id })).archivedAt).toBeNull();
    const archived = await caller.model.archiveVersion({ ...P, versionId: v2.id });
    expect(archived.archivedAt).toBeInstanceOf(Date);
    await expect(caller.model.setAlias({ ...P, versionId: v2.id, alias: "challenger" })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/archived/) });
    expect((await caller.model.versions({ ...P, modelId, includeArchived: false })).map((v) => v.number)).toEqual([1]);
    expect((await caller.model.get({ ...P, modelId })).latest?.number).toBe(1);
    expect((await caller.model.unarchiveVersion({ ...P, versionId: v2.id })).archivedAt).toBeNull();
    const actions = (await db().auditEvent.findMany({ where: { projectId: project.id, action: { startsWith: "model.version.", not: "model.version.register" } }, orderBy: { at: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(["model.version.archive", "model.version.unarchive"]);
  });

  it("refuses to delete a version an alias, an approval or a gate report as champion refers to; otherwise removes it and its unused bytes", async () => {
    const { owner, project, caller, versions, modelId } = await modelWithVersions(3);
    const [v1, v2, v3] = versions as [(typeof versions)[0], (typeof versions)[0], (typeof versions)[0]];
    const P = { projectId: project.id };
    await caller.model.setAlias({ ...P, versionId: v1.id, alias: "challenger" });
    await expect(caller.model.deleteVersion({ ...P, versionId: v1.id })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/alias "challenger"/) });
    // A gate report of v3 that compared it with v2 as champion, and an approval of v3.
    const policy = await db().gatePolicyRevision.create({ data: { modelId, revision: 1, yaml: "checks: []", policy: {}, authorId: owner.userId } });
    const report = await db().gateReport.create({ data: { projectId: project.id, modelId, versionId: v3.id, policyRevisionId: policy.id, championVersionId: v2.id, status: "DONE", passed: true, sha256: "a".repeat(64) } });
    await expect(caller.model.deleteVersion({ ...P, versionId: v2.id })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/1 gate report that compared a challenger with it/) });
    await db().modelApproval.create({
      data: { versionId: v3.id, gateReportId: report.id, decision: "APPROVE", userId: owner.userId, role: "OWNER", reportSha256: report.sha256!, modelSha256: v3.sha256, hmac: "h" },
    });
    await expect(caller.model.deleteVersion({ ...P, versionId: v3.id })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/1 approval decision/) });
    expect(await db().modelVersion.count({ where: { modelId } })).toBe(3);

    await caller.model.removeAlias({ ...P, modelId, alias: "challenger" });
    expect(await artifactStore().stat(v1.sha256)).not.toBeNull();
    expect(await caller.model.deleteVersion({ ...P, versionId: v1.id })).toEqual({ removedArtifacts: 1 });
    expect(await artifactStore().stat(v1.sha256)).toBeNull();
    await expect(caller.model.version({ ...P, versionId: v1.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(caller.model.deleteVersion({ ...P, versionId: v1.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // History keeps the moves of a deleted version, without its number.
    expect((await caller.model.history({ ...P, modelId })).at(-1)).toMatchObject({ to: { id: v1.id, number: null } });
    expect(await db().auditEvent.count({ where: { projectId: project.id, action: "model.version.delete" } })).toBe(1);
  });
});

describe("runs and bytes that versions use", () => {
  it("refuses to delete a run (or its experiment) while a version came from it", async () => {
    const { project, caller, run, version: data } = await projectWithTrainedRun({ rows: 300 });
    const { version } = await caller.model.register({ projectId: project.id, modelName: "eta", runId: run.id });
    // "What descends from this data" reaches the model version through its run.
    const graph = await caller.dataset.lineage({ projectId: project.id, kind: "dataset_version", id: data.id, direction: "downstream", depth: 3 });
    expect(graph.nodes.find((n) => n.kind === "model_version")).toMatchObject({ id: version.id, label: "eta v1", detail: "model version" });
    expect(graph.edges).toContainEqual({ from: `model_version:${version.id}`, to: `run:${run.id}`, relation: "produced_by" });
    const refused = { code: "CONFLICT", message: expect.stringMatching(/model version eta v1 came from it/) };
    await expect(caller.run.delete({ projectId: project.id, runId: run.id })).rejects.toMatchObject(refused);
    const experiment = (await caller.run.experiments({ projectId: project.id }))[0]!;
    await expect(caller.experiment.delete({ projectId: project.id, experimentId: experiment.id })).rejects.toMatchObject(refused);
    expect(await db().run.count({ where: { id: run.id } })).toBe(1);

    await caller.model.deleteVersion({ projectId: project.id, versionId: version.id });
    // The version's lineage edge went with it, so nothing else holds the run.
    expect(await db().lineageEdge.count({ where: { fromKind: "model_version", fromId: version.id } })).toBe(0);
    await caller.run.delete({ projectId: project.id, runId: run.id });
    expect(await db().run.count({ where: { id: run.id } })).toBe(0);
  });

  it("lets the whole project go with its runs and the versions that came from them", async () => {
    const { project, caller, run } = await projectWithTrainedRun({ rows: 300 });
    const { version } = await caller.model.register({ projectId: project.id, modelName: "eta", runId: run.id });
    await caller.model.setAlias({ projectId: project.id, versionId: version.id, alias: "challenger" });
    await caller.project.delete({ projectId: project.id });
    expect(await db().modelVersion.count({ where: { id: version.id } })).toBe(0);
    expect(await db().run.count({ where: { id: run.id } })).toBe(0);
  });

  it("keeps bytes that a model version uses when the run artifact that shared them is deleted", async () => {
    const owner = await createUser();
    const project = await createTestProject(owner.orgId, owner);
    const caller = callerAs(owner);
    const intercept = 7 + Math.random();
    const version = await uploadAs(owner, project.id, "shared", intercept);
    // A logged run stores the very same file as its own artifact, then is deleted.
    const run = await caller.run.create({ projectId: project.id, experiment: "manual" });
    const stored = await putArtifact({ projectId: project.id, runId: run.id, path: "exported/model.onnx", body: once(linearModel(intercept)) });
    expect(stored.sha256).toBe(version.sha256);
    await caller.run.finish({ projectId: project.id, runId: run.id });
    expect(await caller.run.delete({ projectId: project.id, runId: run.id })).toEqual({ removedArtifacts: 0 });
    expect(await artifactStore().stat(version.sha256)).toEqual({ sizeBytes: version.sizeBytes });
  });
});

describe("uploaded models and the organisation's storage", () => {
  it("count towards the quota and are refused past it or past the upload limit, storing nothing", async () => {
    const owner = await createUser();
    const project = await createTestProject(owner.orgId, owner);
    const actor = { type: "user" as const, id: owner.userId, label: owner.email };
    const send = (bytes: Buffer, limits: { maxUploadBytes: number; orgQuotaBytes: number | null }) =>
      registerExternal({ projectId: project.id, orgId: owner.orgId, actor, modelName: "quota", body: once(bytes), declaredBytes: bytes.length, limits });
    const first = linearModel(Math.random());
    await expect(send(first, { maxUploadBytes: first.length - 1, orgQuotaBytes: null })).rejects.toMatchObject({ code: "PAYLOAD_TOO_LARGE", message: expect.stringMatching(/maximum upload size/) });
    const { version } = await send(first, { maxUploadBytes: 10_000_000, orgQuotaBytes: null });
    expect(await orgStorageBytes(owner.orgId)).toBe(version.sizeBytes);
    const second = linearModel(Math.random());
    await expect(send(second, { maxUploadBytes: 10_000_000, orgQuotaBytes: version.sizeBytes + second.length - 1 })).rejects.toMatchObject({ code: "PAYLOAD_TOO_LARGE", message: expect.stringMatching(/storage quota/) });
    expect(await db().modelVersion.count({ where: { projectId: project.id } })).toBe(1);
    expect((await send(second, { maxUploadBytes: 10_000_000, orgQuotaBytes: version.sizeBytes + second.length })).version.number).toBe(2);
  });
});

describe("model settings", () => {
  it("creates models with unique names and changes description, owner and automatic registration with checks and audit", async () => {
    const owner = await createUser();
    const project = await createTestProject(owner.orgId, owner);
    const caller = callerAs(owner);
    const P = { projectId: project.id };
    const model = await caller.model.create({ ...P, name: "eta", task: "regression", description: "minutes to door" });
    expect(model).toMatchObject({ name: "eta", task: "regression", description: "minutes to door", owner: { id: owner.userId }, autoRegister: null, versionCount: 0, champion: null, latest: null, aliases: [] });
    await expect(caller.model.create({ ...P, name: "eta", task: "binary" })).rejects.toMatchObject({ code: "CONFLICT", message: "A model named eta already exists in this project" });
    await expect(caller.model.create({ ...P, name: "Eta Model", task: "regression" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(caller.model.get({ ...P })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/modelId or name/) });
    expect((await caller.model.get({ ...P, modelId: model.id })).name).toBe("eta");

    const colleague = await createUser();
    await addMember(owner.orgId, colleague, "MEMBER");
    const stranger = await createUser();
    const experiment = (await caller.run.create({ ...P, experiment: "nightly" })).experimentId;
    const elsewhere = await createTestProject(owner.orgId, owner);
    const foreignExperiment = (await caller.run.create({ projectId: elsewhere.id, experiment: "nightly" })).experimentId;

    await expect(caller.model.update({ ...P, modelId: model.id, ownerId: stranger.userId })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/member of this organisation/) });
    await expect(caller.model.update({ ...P, modelId: model.id, autoRegisterExperimentId: foreignExperiment })).rejects.toMatchObject({ code: "NOT_FOUND", message: "Experiment not found" });
    const updated = await caller.model.update({ ...P, modelId: model.id, ownerId: colleague.userId, autoRegisterExperimentId: experiment, description: "v2" });
    expect(updated).toMatchObject({ description: "v2", owner: { id: colleague.userId, label: colleague.name }, autoRegister: { experimentId: experiment, experiment: "nightly" } });
    expect((await caller.model.update({ ...P, modelId: model.id, autoRegisterExperimentId: null, ownerId: null })).autoRegister).toBeNull();
    const audit = await db().auditEvent.findMany({ where: { projectId: project.id, action: "model.update" }, orderBy: { at: "asc" } });
    expect(audit.map((a) => a.after)).toEqual([{ ownerId: colleague.userId, autoRegisterExperimentId: experiment, description: "v2" }, { ownerId: null, autoRegisterExperimentId: null }]);
    expect(audit[0]!.before).toEqual({ ownerId: owner.userId, autoRegisterExperimentId: null, description: "minutes to door" });
  });
});
