import { describe, expect, it } from "vitest";
import { db } from "../db";
import { dispatchEvent } from "../events/dispatch";
import { callerAs, createTestProject, createUser, addMember } from "../testing/factories";
import { ingestVersion } from "./ingest";
import { runCompare } from "./compare";
import { profileVersion } from "./profile-job";
import { validateVersion } from "./validate-job";
import { readSplit } from "./splits";
import { getVersionRow } from "./versions";
import type { SplitName } from "./schemas";

async function* once(text: string) {
  yield Buffer.from(text);
}

function csv(rows: number, opts: { offset?: number; shift?: number; badRegion?: boolean } = {}) {
  const lines = ["trip_id,distance_km,region,express"];
  for (let i = 0; i < rows; i++) {
    const id = i + (opts.offset ?? 0);
    const region = opts.badRegion && i === 3 ? "atlantis" : ["north", "south", "east"][id % 3];
    lines.push(`${id},${((id * 37) % 100) / 10 + (opts.shift ?? 0)},${region},${id % 2 === 0}`);
  }
  return lines.join("\n") + "\n";
}

async function setup() {
  const owner = await createUser();
  const project = await createTestProject(owner.orgId, owner);
  const caller = callerAs(owner);
  const upload = async (text: string, dataset = "trips", allowSchemaChange = false) => {
    const { version } = await ingestVersion({
      projectId: project.id,
      orgId: owner.orgId,
      dataset,
      createDataset: true,
      actor: { type: "user", id: owner.userId, label: owner.email },
      body: once(text),
      fileName: `${dataset}.csv`,
      allowSchemaChange,
    });
    await profileVersion(version.id);
    await validateVersion(version.id);
    return version;
  };
  return { owner, project, caller, upload };
}

async function splitIds(versionId: string, projectId: string, split: SplitName) {
  const version = await getVersionRow(projectId, versionId);
  const ids: string[] = [];
  await readSplit(version, split, (rows) => {
    for (const r of rows) ids.push(String(r[0]));
  });
  return ids;
}

describe("profile, contract, splits", () => {
  it("profiles a version: schema, row count, split counts", async () => {
    const { project, caller, upload } = await setup();
    const v = await upload(csv(200));
    const detail = await caller.dataset.version({ projectId: project.id, versionId: v.id });
    expect(detail).toMatchObject({ profileStatus: "READY", rowCount: 200, validation: "NO_CONTRACT" });
    const profile = detail.profile as { columns: { name: string; type: string }[] };
    expect(Object.fromEntries(profile.columns.map((c) => [c.name, c.type]))).toEqual({
      trip_id: "integer",
      distance_km: "numeric",
      region: "categorical",
      express: "boolean",
    });
    const counts = detail.splitCounts!;
    expect(counts.train! + counts.validation! + counts.test!).toBe(200);
    expect(counts.train!).toBeGreaterThan(counts.test!);
    // Profiling again is a no-op.
    await profileVersion(v.id);
    expect((await caller.dataset.version({ projectId: project.id, versionId: v.id })).splitCounts).toEqual(counts);
  });

  it("reads the same split rows every time, and a keyed row keeps its split across versions", async () => {
    const { project, caller, upload } = await setup();
    const ds = await caller.dataset.create({ projectId: project.id, name: "Keyed", slug: "keyed", splitConfig: { ratios: { train: 0.6, validation: 0.2, test: 0.2 }, keyColumn: "trip_id", seed: 7 } });
    const v1 = await upload(csv(300), ds.slug);
    const v2 = await upload(csv(300, { offset: 150 }), ds.slug);
    const [a, b] = [await splitIds(v1.id, project.id, "test"), await splitIds(v1.id, project.id, "test")];
    expect(a).toEqual(b);
    expect(a.length).toBeGreaterThan(0);
    const all = new Set([...(await splitIds(v1.id, project.id, "train")), ...a, ...(await splitIds(v1.id, project.id, "validation"))]);
    expect(all.size).toBe(300);
    // Keys 150..299 are in both versions: each is in the same split in both.
    for (const split of ["train", "validation", "test"] as const) {
      const s1 = new Set(await splitIds(v1.id, project.id, split));
      const s2 = await splitIds(v2.id, project.id, split);
      const shared = s2.filter((id) => Number(id) < 300);
      expect(shared.every((id) => s1.has(id))).toBe(true);
    }
  });

  it("validates against a contract and marks a violating version failed", async () => {
    const { project, caller, upload } = await setup();
    const v1 = await upload(csv(200));
    const proposed = await caller.dataset.proposeContract({ projectId: project.id, versionId: v1.id });
    expect(proposed.some((e) => e.kind === "allowed_values" && e.column === "region")).toBe(true);
    const dataset = await caller.dataset.get({ projectId: project.id, slug: "trips" });
    await caller.dataset.saveContract({ projectId: project.id, datasetId: dataset.id, expectations: proposed });
    await validateVersion(v1.id);
    expect((await caller.dataset.version({ projectId: project.id, versionId: v1.id })).validation).toBe("PASSED");

    const v2 = await upload(csv(200, { shift: 50, badRegion: true }));
    const detail = await caller.dataset.version({ projectId: project.id, versionId: v2.id });
    expect(detail.validation).toBe("FAILED");
    const failed = detail.report!.results.filter((r) => !r.passed);
    expect(failed.map((r) => r.kind)).toEqual(expect.arrayContaining(["allowed_values", "value_range", "max_psi"]));
    const allowed = failed.find((r) => r.kind === "allowed_values")!;
    expect(allowed.observed).toMatchObject({ rows: 1, examples: ["atlantis"] });
    // Later steps refuse the failed version.
    await expect(splitIds(v2.id, project.id, "train")).resolves.toBeDefined();
    const { assertUsableVersion } = await import("./versions");
    await expect(assertUsableVersion(project.id, v2.id)).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
  });

  it("compares two versions: schema diff and drift", async () => {
    const { project, caller, upload } = await setup();
    const v1 = await upload(csv(200));
    const v2 = await upload(csv(200, { shift: 20 }).replace("trip_id,distance_km,region,express", "trip_id,distance_km,region,flag"), "trips", true);
    const input = { projectId: project.id, baseVersionId: v1.id, targetVersionId: v2.id };
    const pending = await caller.dataset.compare(input);
    expect(pending.status).toBe("PENDING");
    const row = await db().compareResult.findUniqueOrThrow({ where: { baseVersionId_targetVersionId: { baseVersionId: v1.id, targetVersionId: v2.id } } });
    await runCompare(row.id);
    const cmp = await caller.dataset.compare(input);
    expect(cmp.status).toBe("READY");
    const by = Object.fromEntries(cmp.columns.map((c) => [c.column, c]));
    expect(by.express!.status).toBe("removed");
    expect(by.flag!.status).toBe("added");
    expect(by.distance_km!.psi!).toBeGreaterThan(1);
    expect(by.distance_km!.ks!.pValue).toBeLessThan(1e-6);
    expect(by.region!.chiSquare!.pValue).toBeGreaterThan(0.5);
    expect(by.distance_km!.chart.length).toBe(20);
    expect(by.trip_id!.skipped).toBe("identifier-like");
  });

  it("walks lineage both ways", async () => {
    const { project, caller, owner, upload } = await setup();
    const raw = await upload(csv(50), "raw");
    const { version: clean } = await ingestVersion({
      projectId: project.id, orgId: owner.orgId, dataset: "clean", createDataset: true,
      actor: { type: "user", id: owner.userId, label: owner.email }, body: once(csv(40)), fileName: "c.csv",
      parents: [raw.id], transform: { name: "dedupe" },
    });
    const down = await caller.dataset.lineage({ projectId: project.id, kind: "dataset_version", id: raw.id, direction: "downstream" });
    expect(down.nodes.map((n) => n.label)).toEqual(expect.arrayContaining(["raw v1", "clean v1"]));
    const up = await caller.dataset.lineage({ projectId: project.id, kind: "dataset_version", id: clean.id, direction: "upstream" });
    const rawNode = up.nodes.find((n) => n.label === "raw v1")!;
    const cleanNode = up.nodes.find((n) => n.label === "clean v1")!;
    expect(rawNode.column).toBeLessThan(cleanNode.column);
    expect(up.edges).toContainEqual({ from: `dataset_version:${clean.id}`, to: `dataset_version:${raw.id}`, relation: "derived_from" });
  });

  it("delivers a version-created event to each consumer once", async () => {
    const { project, upload } = await setup();
    await upload(csv(10));
    const event = await db().outboxEvent.findFirstOrThrow({ where: { projectId: project.id } });
    const first = await dispatchEvent(event.id.toString());
    const again = await dispatchEvent(event.id.toString());
    expect(first.delivered).toEqual(["dataset.profile", "pipelines.dataset-trigger", "monitoring.dataset-window"]);
    expect(again.delivered).toEqual([]);
    expect(await db().outboxDelivery.count({ where: { eventId: event.id } })).toBe(3);
  });
});

describe("dataset procedures: roles and tenant isolation", () => {
  it("answers other tenants NOT_FOUND, anonymous UNAUTHORIZED, VIEWER FORBIDDEN on writes", async () => {
    const { project, owner, upload, caller } = await setup();
    const v = await upload(csv(20));
    const ds = await caller.dataset.get({ projectId: project.id, slug: "trips" });
    const stranger = await createUser();
    const viewer = await createUser();
    await addMember(owner.orgId, viewer, "VIEWER");
    const asStranger = callerAs(stranger);
    const anon = callerAs(null);
    const calls = (c: ReturnType<typeof callerAs>) => [
      () => c.dataset.list({ projectId: project.id }),
      () => c.dataset.get({ projectId: project.id, datasetId: ds.id }),
      () => c.dataset.versions({ projectId: project.id, datasetId: ds.id }),
      () => c.dataset.version({ projectId: project.id, versionId: v.id }),
      () => c.dataset.contract({ projectId: project.id, datasetId: ds.id }),
      () => c.dataset.proposeContract({ projectId: project.id, versionId: v.id }),
      () => c.dataset.compare({ projectId: project.id, baseVersionId: v.id, targetVersionId: v.id }),
      () => c.dataset.lineage({ projectId: project.id, kind: "dataset", id: ds.id }),
      () => c.dataset.create({ projectId: project.id, name: "x" }),
      () => c.dataset.update({ projectId: project.id, datasetId: ds.id, name: "y" }),
      () => c.dataset.saveContract({ projectId: project.id, datasetId: ds.id, expectations: [] }),
      () => c.dataset.revalidate({ projectId: project.id, versionId: v.id }),
      () => c.dataset.setDerivation({ projectId: project.id, versionId: v.id, parentVersionIds: [v.id], transform: { name: "t" } }),
    ];
    for (const call of calls(asStranger)) await expect(call()).rejects.toMatchObject({ code: "NOT_FOUND" });
    for (const call of calls(anon)) await expect(call()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const asViewer = calls(callerAs(viewer));
    for (const call of asViewer.slice(0, 8)) await expect(call()).resolves.toBeDefined();
    for (const call of asViewer.slice(8)) await expect(call()).rejects.toMatchObject({ code: "FORBIDDEN" });
    // A project id of another tenant inside an otherwise valid call changes nothing.
    expect(await db().dataset.count({ where: { projectId: project.id } })).toBe(1);
  });
});
