/**
 * Archiving and deleting datasets, versions, runs and experiments: who may, what refuses while it
 * is depended on, which bytes leave the store (only those no row of any project references), and
 * the audit trail.
 */
import { describe, expect, it } from "vitest";
import { db, pool } from "../db";
import { ingestVersion } from "../datasets/ingest";
import { addEdge } from "../lineage/lineage";
import { putArtifact } from "../runs/artifacts";
import { createRun, finishRun } from "../runs/runs";
import { artifactStore } from "../storage/artifact-store";
import { collectUnreferenced, commitReferenced } from "../storage/references";
import { addMember, callerAs, callerWithToken, createTestProject, createUser, mintToken, type TestUser } from "../testing/factories";

async function* bytes(s: string) {
  yield Buffer.from(s);
}

async function world() {
  const owner = await createUser();
  const project = await createTestProject(owner.orgId, owner);
  const actor = { type: "user" as const, id: owner.userId, label: owner.email };
  const upload = (dataset: string, csv: string, parents?: string[]) =>
    ingestVersion({ projectId: project.id, orgId: owner.orgId, dataset, createDataset: true, actor, body: bytes(csv), fileName: `${dataset}.csv`, parents });
  const run = async (opts: { inputs?: string[]; experiment?: string; finished?: boolean } = {}) => {
    const r = await createRun({ projectId: project.id, orgId: owner.orgId, actor, experiment: opts.experiment ?? "Default", status: "RUNNING", inputs: opts.inputs });
    if (opts.finished !== false) await finishRun({ projectId: project.id, orgId: owner.orgId, runId: r.id, status: "FINISHED", actor });
    return r;
  };
  return { owner, project, actor, upload, run, caller: callerAs(owner) };
}

const csv = (tag: string) => `id,value\n1,${tag}\n2,${tag}-b\n`;
const stored = async (sha256: string) => (await artifactStore().stat(sha256)) !== null;

describe("dependents", () => {
  it("refuses to delete a version while a derived version or a run depends on it, naming them", async () => {
    const w = await world();
    const raw = await w.upload("raw", csv("raw"));
    const clean = await w.upload("clean", csv("clean"), [raw.version.id]);
    const trained = await w.run({ inputs: [raw.version.id], experiment: "baseline" });
    const refused = w.caller.dataset.deleteVersion({ projectId: w.project.id, versionId: raw.version.id });
    await expect(refused).rejects.toMatchObject({ code: "CONFLICT" });
    const message = ((await refused.catch((e: unknown) => e)) as Error).message;
    expect(message).toContain("Dataset version raw v1 cannot be deleted");
    expect(message).toContain("dataset version clean v1 was derived from it");
    expect(message).toContain(`run #${trained.number} ${trained.name} (experiment baseline) was trained on it`);
    // The dataset as a whole is refused for the same reasons.
    await expect(w.caller.dataset.delete({ projectId: w.project.id, datasetId: raw.version.datasetId })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/Dataset raw cannot be deleted.*clean v1/) });
    expect(await db().datasetVersion.count({ where: { id: raw.version.id } })).toBe(1);
    expect(await stored(raw.version.sha256)).toBe(true);

    // Once the dependents are gone, it goes, with its bytes and its lineage edges.
    await w.caller.run.delete({ projectId: w.project.id, runId: trained.id });
    await w.caller.dataset.deleteVersion({ projectId: w.project.id, versionId: clean.version.id });
    await expect(w.caller.dataset.deleteVersion({ projectId: w.project.id, versionId: raw.version.id })).resolves.toEqual({ removedArtifacts: 1 });
    expect(await stored(raw.version.sha256)).toBe(false);
    expect(await db().lineageEdge.count({ where: { projectId: w.project.id, OR: [{ fromId: raw.version.id }, { toId: raw.version.id }] } })).toBe(0);
    // An edge to a deleted version cannot be added afterwards.
    await expect(db().$transaction((tx) => addEdge(tx, { projectId: w.project.id, from: { kind: "run", id: "x" }, to: { kind: "dataset_version", id: raw.version.id }, relation: "trained_on" }))).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("deletes a dataset whose versions only depend on each other", async () => {
    const w = await world();
    const v1 = await w.upload("chain", csv("v1"));
    const v2 = await w.upload("chain", csv("v2"), [v1.version.id]);
    await expect(w.caller.dataset.delete({ projectId: w.project.id, datasetId: v1.version.datasetId })).resolves.toEqual({ removedArtifacts: 2 });
    expect(await db().dataset.count({ where: { id: v1.version.datasetId } })).toBe(0);
    expect(await stored(v2.version.sha256)).toBe(false);
  });

  it("sees an edge that another transaction adds while the delete runs", async () => {
    const w = await world();
    const v = await w.upload("racy", csv("racy"));
    const r = await w.run({ experiment: "racy" });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let added!: () => void;
    const edgeAdded = new Promise<void>((resolve) => (added = resolve));
    // A training start in flight: its edge to the version is written but not yet committed.
    const training = db().$transaction(
      async (tx) => {
        await addEdge(tx, { projectId: w.project.id, from: { kind: "run", id: r.id }, to: { kind: "dataset_version", id: v.version.id }, relation: "trained_on" });
        added();
        await held;
      },
      { timeout: 30_000 },
    );
    await edgeAdded;
    const deletion = w.caller.dataset.deleteVersion({ projectId: w.project.id, versionId: v.version.id }).then(
      () => "deleted",
      (e: { code?: string }) => e.code,
    );
    // The delete waits on the version's row lock until the training transaction commits.
    await expect.poll(async () => (await pool().query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FROM "DatasetVersion"%FOR UPDATE%'`)).rows[0].n).toBe(1);
    release();
    await training;
    expect(await deletion).toBe("CONFLICT");
    expect(await db().datasetVersion.count({ where: { id: v.version.id } })).toBe(1);
  });

  it("refuses to delete a run or experiment that is still running", async () => {
    const w = await world();
    const running = await w.run({ experiment: "live", finished: false });
    await expect(w.caller.run.delete({ projectId: w.project.id, runId: running.id })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/queued or running/) });
    await expect(w.caller.experiment.delete({ projectId: w.project.id, experimentId: running.experimentId })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await db().run.count({ where: { id: running.id } })).toBe(1);
  });
});

describe("artifact bytes", () => {
  it("stay while any row of any project references the same content, and go with the last one", async () => {
    const a = await world();
    const b = await world();
    const data = csv("shared");
    const va = await a.upload("shared", data);
    const vb = await b.upload("shared", data);
    const r = await a.run({ experiment: "exp" });
    const art = await putArtifact({ projectId: a.project.id, runId: r.id, path: "data/copy.csv", body: bytes(data) });
    expect(art.sha256).toBe(va.version.sha256);
    expect(vb.version.sha256).toBe(va.version.sha256);

    await expect(a.caller.dataset.deleteVersion({ projectId: a.project.id, versionId: va.version.id })).resolves.toEqual({ removedArtifacts: 0 });
    await expect(b.caller.dataset.delete({ projectId: b.project.id, datasetId: vb.version.datasetId })).resolves.toEqual({ removedArtifacts: 0 });
    expect(await stored(art.sha256)).toBe(true);
    await expect(a.caller.experiment.delete({ projectId: a.project.id, experimentId: r.experimentId })).resolves.toEqual({ removedArtifacts: 1 });
    expect(await stored(art.sha256)).toBe(false);
    expect(await db().run.count({ where: { id: r.id } })).toBe(0);
  });

  it("are not collected while a write of the same content is between placing them and recording its row", async () => {
    const w = await world();
    const pending = await artifactStore().beginWrite();
    await pending.write(Buffer.from("in flight"));
    const { sha256 } = await pending.finish();
    let recorded!: () => void;
    const placed = new Promise<void>((resolve) => {
      void commitReferenced(pending, async () => {
        resolve();
        await new Promise<void>((r) => (recorded = r));
      });
    });
    await placed;
    // The collector finds no row yet, but the pin keeps the bytes.
    expect(await collectUnreferenced([sha256])).toEqual([]);
    expect(await stored(sha256)).toBe(true);
    recorded();
    await expect.poll(() => db().artifactPin.count({ where: { sha256 } })).toBe(0);
    expect(await collectUnreferenced([sha256])).toEqual([sha256]);
    expect(await stored(sha256)).toBe(false);
    void w;
  });
});

describe("archive", () => {
  it("hides datasets and runs from default lists until unarchived, and audits every step", async () => {
    const w = await world();
    const v = await w.upload("old", csv("old"));
    const datasetId = v.version.datasetId;
    const r = await w.run();
    await expect(w.caller.dataset.archive({ projectId: w.project.id, datasetId })).resolves.toMatchObject({ archivedAt: expect.any(Date) });
    await w.caller.run.archive({ projectId: w.project.id, runId: r.id });
    expect((await w.caller.dataset.list({ projectId: w.project.id })).map((d) => d.id)).not.toContain(datasetId);
    expect((await w.caller.dataset.list({ projectId: w.project.id, includeArchived: true })).map((d) => d.id)).toContain(datasetId);
    expect((await w.caller.run.list({ projectId: w.project.id })).runs.map((x) => x.id)).not.toContain(r.id);
    expect((await w.caller.run.list({ projectId: w.project.id, includeArchived: true })).runs.map((x) => x.id)).toContain(r.id);
    // Archived data stays readable.
    await expect(w.caller.dataset.get({ projectId: w.project.id, datasetId })).resolves.toMatchObject({ archivedAt: expect.any(Date) });
    await w.caller.dataset.archive({ projectId: w.project.id, datasetId, archived: false });
    await w.caller.run.archive({ projectId: w.project.id, runId: r.id, archived: false });
    expect((await w.caller.dataset.list({ projectId: w.project.id })).map((d) => d.id)).toContain(datasetId);
    expect((await w.caller.run.list({ projectId: w.project.id })).runs.map((x) => x.id)).toContain(r.id);
    await w.caller.run.delete({ projectId: w.project.id, runId: r.id });
    await w.caller.dataset.delete({ projectId: w.project.id, datasetId });
    const audit = await db().auditEvent.findMany({ where: { projectId: w.project.id, action: { in: ["dataset.archive", "dataset.unarchive", "run.archive", "run.unarchive", "run.delete", "dataset.delete"] } }, orderBy: { at: "asc" } });
    const byAction = (a: (string | null)[], b: (string | null)[]) => a[0]!.localeCompare(b[0]!);
    expect(audit.map((e) => [e.action, e.targetId, e.actorId]).sort(byAction)).toEqual([
      ["dataset.archive", datasetId, w.owner.userId],
      ["run.archive", r.id, w.owner.userId],
      ["dataset.unarchive", datasetId, w.owner.userId],
      ["run.unarchive", r.id, w.owner.userId],
      ["run.delete", r.id, w.owner.userId],
      ["dataset.delete", datasetId, w.owner.userId],
    ].sort(byAction));
  });
});

describe("access", () => {
  /** Every new procedure against one target each, so a caller's outcome is checked for all of them. */
  async function targets() {
    const w = await world();
    const v = await w.upload("dd", csv("d"));
    const extra = await w.upload("dd", csv("d2"));
    const run = await w.run({ experiment: "e1" });
    const run2 = await w.run({ experiment: "e2" });
    const calls = (c: ReturnType<typeof callerAs>, projectId = w.project.id) => ({
      "dataset.archive": () => c.dataset.archive({ projectId, datasetId: v.version.datasetId }),
      "dataset.deleteVersion": () => c.dataset.deleteVersion({ projectId, versionId: extra.version.id }),
      "run.archive": () => c.run.archive({ projectId, runId: run.id }),
      "run.delete": () => c.run.delete({ projectId, runId: run.id }),
      "experiment.delete": () => c.experiment.delete({ projectId, experimentId: run2.experimentId }),
      "dataset.delete": () => c.dataset.delete({ projectId, datasetId: v.version.datasetId }),
    });
    const state = async () => ({
      datasets: await db().dataset.findMany({ where: { projectId: w.project.id }, select: { id: true, archivedAt: true }, orderBy: { id: "asc" } }),
      versions: await db().datasetVersion.count({ where: { projectId: w.project.id } }),
      runs: await db().run.findMany({ where: { projectId: w.project.id }, select: { id: true, archivedAt: true }, orderBy: { id: "asc" } }),
      experiments: await db().experiment.count({ where: { projectId: w.project.id } }),
      audit: await db().auditEvent.count({ where: { projectId: w.project.id } }),
    });
    return { w, calls, state };
  }

  const member = async (orgId: string, role: "MEMBER" | "VIEWER"): Promise<TestUser> => {
    const u = await createUser();
    await addMember(orgId, u, role);
    return u;
  };

  it.for(["MEMBER", "VIEWER"] as const)("a %s is FORBIDDEN everywhere and changes nothing", async (role) => {
    const { w, calls, state } = await targets();
    const before = await state();
    for (const [name, call] of Object.entries(calls(callerAs(await member(w.owner.orgId, role))))) {
      await expect(call(), name).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    const token = await mintToken(w.owner, { role: "MEMBER" });
    for (const [name, call] of Object.entries(calls(await callerWithToken(token.secret)))) {
      await expect(call(), `${name} with a MEMBER token`).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect(await state()).toEqual(before);
  });

  it("another organisation gets NOT_FOUND and an anonymous caller UNAUTHORIZED, changing nothing", async () => {
    const { calls, state } = await targets();
    const before = await state();
    const stranger = await createUser();
    const own = await createTestProject(stranger.orgId, stranger);
    for (const [name, call] of Object.entries(calls(callerAs(stranger)))) {
      await expect(call(), name).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    // The other project's ids through the stranger's own project, where the stranger is OWNER.
    for (const [name, call] of Object.entries(calls(callerAs(stranger), own.id))) {
      await expect(call(), `${name} via own project`).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    for (const [name, call] of Object.entries(calls(callerAs(null)))) {
      await expect(call(), name).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    }
    expect(await state()).toEqual(before);
  });

  it("an ADMIN may do all of it", async () => {
    const { w, calls, state } = await targets();
    const admin = await createUser();
    await addMember(w.owner.orgId, admin, "ADMIN");
    for (const [name, call] of Object.entries(calls(callerAs(admin)))) {
      await expect(call(), name).resolves.toBeDefined();
    }
    // e1 stays: deleting its only run leaves the experiment, deleting e2 took e2's run with it.
    expect(await state()).toMatchObject({ datasets: [], versions: 0, runs: [], experiments: 1 });
  });
});
