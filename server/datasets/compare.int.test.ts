/**
 * Version compare on two uploaded versions: the first call answers PENDING and enqueues one
 * dataset.compare job in the same transaction; the job (run through pg-boss's queue) reads both
 * versions in full; the result is cached per pair and agrees with the numpy/scipy fixtures. The
 * contract check's PSI on the same pair is the same number.
 */
import { describe, expect, it } from "vitest";
import { HANDLERS } from "../../workers/handlers";
import { db } from "../db";
import { getBoss } from "../jobs/boss";
import { datasetCompare } from "../jobs/definitions";
import { loadFixture } from "../ml/test-helpers";
import { callerAs, createTestProject, createUser } from "../testing/factories";
import { ingestVersion } from "./ingest";
import { profileVersion } from "./profile-job";
import { validateVersion } from "./validate-job";

interface Fixture {
  psi: { name: string; ref: (number | null)[]; cur: (number | null)[]; psi: number }[];
  ksAuto: { name?: string; a?: number[]; b?: number[]; statistic: number; pValue: number }[];
}
const fixture = await loadFixture<Fixture>("drift");
const poisson = fixture.psi.find((c) => c.name === "poisson_same")!;
const full = fixture.ksAuto.find((c) => c.name === "full_columns_20k")!;
const ROWS = 20_000;

async function* once(text: string) {
  yield Buffer.from(text);
}

// Version 1 takes the fixtures' reference side, version 2 the current side; `amount` of version 2
// has 19,000 values and 1,000 empty cells, so KS sees exactly the fixture's samples.
function csv(side: 0 | 1): string {
  const visits = side === 0 ? poisson.ref : poisson.cur;
  const amount = side === 0 ? full.a! : full.b!;
  const regions = ["north", "south", "east"];
  const lines = ["order_id,visits,amount,region,comment"];
  for (let i = 0; i < ROWS; i++) {
    // Version 2 sends 16 % of its rows to a region version 1 never had.
    const region = side === 1 && i % 25 < 4 ? "west" : regions[i % 3]!;
    lines.push(`${side * ROWS + i},${visits[i]},${amount[i] ?? ""},${region},w${(i * 7919) % 3000}`);
  }
  return lines.join("\n") + "\n";
}

async function setup() {
  const owner = await createUser();
  const project = await createTestProject(owner.orgId, owner);
  const caller = callerAs(owner);
  const upload = async (text: string) => {
    const { version } = await ingestVersion({
      projectId: project.id, orgId: owner.orgId, dataset: "orders", createDataset: true,
      actor: { type: "user", id: owner.userId, label: owner.email }, body: once(text), fileName: "orders.csv",
    });
    await profileVersion(version.id);
    await validateVersion(version.id);
    return version;
  };
  return { owner, project, caller, upload };
}

/** Takes the queued compare jobs off pg-boss and runs them with the worker's handler. */
async function runQueuedCompareJobs(): Promise<number> {
  const boss = await getBoss();
  const jobs = await boss.fetch(datasetCompare.name, { batchSize: 10 });
  for (const job of jobs) {
    await HANDLERS[datasetCompare.name]!({ ...job, signal: new AbortController().signal } as Parameters<(typeof HANDLERS)[string]>[0], { id: "test", hostname: "test", gpus: [], cpuCount: 1, version: "test" });
    await boss.complete(datasetCompare.name, job.id);
  }
  return jobs.length;
}

describe("version compare on full data", () => {
  it("answers PENDING, runs one job, then serves cached full-data statistics that match scipy", async () => {
    const { project, caller, upload } = await setup();
    const v1 = await upload(csv(0));
    const datasetId = (await db().datasetVersion.findUniqueOrThrow({ where: { id: v1.id } })).datasetId;
    await caller.dataset.saveContract({ projectId: project.id, datasetId, expectations: [{ kind: "max_psi", column: "visits", max: 0.2 }] });
    const v2 = await upload(csv(1));
    const input = { projectId: project.id, baseVersionId: v1.id, targetVersionId: v2.id };

    const pending = await caller.dataset.compare(input);
    expect(pending.status).toBe("PENDING");
    expect(pending.columns.map((c) => [c.column, c.status, c.psi])).toEqual([
      ["order_id", "same", null], ["visits", "same", null], ["amount", "same", null], ["region", "same", null], ["comment", "same", null],
    ]);
    expect((await caller.dataset.compare(input)).status).toBe("PENDING");
    expect(await runQueuedCompareJobs()).toBe(1);

    const done = await caller.dataset.compare(input);
    expect(done.status).toBe("READY");
    const by = Object.fromEntries(done.columns.map((c) => [c.column, c]));
    // Identically drawn Poisson counts: PSI as numpy computes it on one bin per value, not 1.56.
    expect(Math.abs(by.visits!.psi! - poisson.psi)).toBeLessThan(1e-12);
    expect(by.visits!.drifted).toBe(false);
    expect(by.visits!.chart.map((b) => b.label).slice(0, 4)).toEqual(["0", "1", "2", "3"]);
    // Full-data KS exactly as scipy.stats.ks_2samp, with the sample sizes.
    expect(by.amount!.ks).toMatchObject({ method: "asymp", n1: 20_000, n2: 19_000, sampled: false });
    expect(Math.abs(by.amount!.ks!.statistic - full.statistic)).toBeLessThan(1e-12);
    expect(Math.abs(by.amount!.ks!.pValue - full.pValue)).toBeLessThan(1e-10);
    // Identifiers and free text get no test at all.
    expect(by.order_id).toMatchObject({ skipped: "identifier-like", psi: null, ks: null, chiSquare: null });
    expect(by.comment).toMatchObject({ skipped: "free text", psi: null, chiSquare: null });
    // The new region is called out, counted as drift and tested with valid expected counts.
    expect(by.region!.newCategories).toMatchObject({ top: [{ value: "west", count: 3200 }], count: 1, rows: 3200, share: 0.16 });
    expect(by.region!.drifted).toBe(true);
    expect(by.region!.chiSquare).toMatchObject({ dof: 3, n1: ROWS, n2: ROWS, pooled: 0 });
    expect(by.region!.chiSquare!.pValue).toBeLessThan(1e-10);

    // Cached per pair: no second row, no second job.
    expect(await db().compareResult.count({ where: { baseVersionId: v1.id, targetVersionId: v2.id } })).toBe(1);
    expect(await runQueuedCompareJobs()).toBe(0);

    // The contract check's PSI for the same pair is the same definition and the same number.
    const report = await db().validationReport.findFirstOrThrow({ where: { versionId: v2.id } });
    const psiResult = (report.results as { kind: string; column: string | null; observed: unknown }[]).find((r) => r.kind === "max_psi" && r.column === "visits")!;
    expect(psiResult.observed).toBe(Number(poisson.psi.toFixed(6)));
  }, 120_000);

  it("queues a lost or failed pair again, and the contract derives a missing reference from the previous version's data", async () => {
    const { project, caller, upload } = await setup();
    const v1 = await upload(csv(0));
    const datasetId = (await db().datasetVersion.findUniqueOrThrow({ where: { id: v1.id } })).datasetId;
    await caller.dataset.saveContract({ projectId: project.id, datasetId, expectations: [{ kind: "max_psi", max: 0.2 }] });
    const v2 = await upload(csv(1));
    const input = { projectId: project.id, baseVersionId: v1.id, targetVersionId: v2.id };
    await caller.dataset.compare(input);
    expect(await runQueuedCompareJobs()).toBe(1);
    const row = await db().compareResult.findFirstOrThrow({ where: { baseVersionId: v1.id, targetVersionId: v2.id } });
    await db().compareResult.update({ where: { id: row.id }, data: { status: "FAILED", error: "disk on fire", finishedAt: new Date() } });
    // A fresh failure is shown as it is, and nothing is queued.
    expect(await caller.dataset.compare(input)).toMatchObject({ status: "FAILED", error: "disk on fire" });
    expect(await runQueuedCompareJobs()).toBe(0);
    await db().compareResult.update({ where: { id: row.id }, data: { finishedAt: new Date(Date.now() - 11 * 60_000) } });
    expect(await caller.dataset.compare(input)).toMatchObject({ status: "PENDING", error: null });
    expect(await runQueuedCompareJobs()).toBe(1);
    expect((await caller.dataset.compare(input)).status).toBe("READY");
    // A pending pair whose job vanished long ago is queued again too.
    await db().compareResult.update({ where: { id: row.id }, data: { status: "RUNNING", queuedAt: new Date(Date.now() - 4 * 3600_000) } });
    expect((await caller.dataset.compare(input)).status).toBe("PENDING");
    expect(await runQueuedCompareJobs()).toBe(1);

    // Without a named column the contract leaves identifiers and free text alone.
    const first = await db().validationReport.findFirstOrThrow({ where: { versionId: v2.id } });
    const psiOf = (results: unknown) => Object.fromEntries((results as { kind: string; column: string; observed: number }[]).filter((r) => r.kind === "max_psi").map((r) => [r.column, r.observed]));
    expect(Object.keys(psiOf(first.results)).sort()).toEqual(["amount", "region", "visits"]);
    // A previous profile written before references were stored: the same numbers from its data.
    const old = await db().datasetVersion.findUniqueOrThrow({ where: { id: v1.id } });
    const profile = old.profile as { columns: Record<string, unknown>[] };
    await db().datasetVersion.update({ where: { id: v1.id }, data: { profile: { ...profile, columns: profile.columns.map(({ psiReference: _drop, ...c }) => c) } as object } });
    await validateVersion(v2.id);
    const again = await db().validationReport.findFirstOrThrow({ where: { versionId: v2.id } });
    expect(psiOf(again.results)).toEqual(psiOf(first.results));
    expect(psiOf(again.results).visits).toBe(Number(poisson.psi.toFixed(6)));
  }, 120_000);

  it("refuses versions of another project and unprofiled ones", async () => {
    const { project, caller, upload } = await setup();
    const v1 = await upload("a,b\n1,x\n2,y\n");
    const other = await setup();
    const foreign = await other.upload("a,b\n1,x\n");
    await expect(caller.dataset.compare({ projectId: project.id, baseVersionId: v1.id, targetVersionId: foreign.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(other.caller.dataset.compare({ projectId: other.project.id, baseVersionId: v1.id, targetVersionId: foreign.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const { version: unprofiled } = await ingestVersion({
      projectId: project.id, orgId: (await db().project.findUniqueOrThrow({ where: { id: project.id } })).orgId, dataset: "orders", createDataset: true,
      actor: { type: "user", id: "u", label: "u" }, body: once("a,b\n3,z\n"), fileName: "late.csv",
    });
    await expect(caller.dataset.compare({ projectId: project.id, baseVersionId: v1.id, targetVersionId: unprofiled.id })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    expect(await db().compareResult.count({ where: { projectId: { in: [project.id, other.project.id] } } })).toBe(0);
  });
});
