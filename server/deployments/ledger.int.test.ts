/**
 * The deployment ledger against real Postgres: the database refuses UPDATE, DELETE and TRUNCATE on
 * it, deleting the project (or its organisation) still removes the project's ledger, and the hash
 * chain finds an edit made around the trigger at the exact entry edited.
 */
import { describe, expect, it } from "vitest";
import { db, pool } from "../db";
import { deleteProject } from "../tenancy/projects";
import { createTestProject, createUser, uniq, type TestUser } from "../testing/factories";
import { appendLedger, GENESIS_HASH, listLedger, verifyLedger } from "./ledger";
import type { Split } from "./schemas";

async function deploymentIn(owner: TestUser, projectId?: string) {
  const project = projectId ?? (await createTestProject(owner.orgId, owner)).id;
  const env = await db().environment.create({ data: { projectId: project, name: uniq("env") } });
  const deployment = await db().deployment.create({
    data: { projectId: project, environmentId: env.id, name: uniq("dep"), modelId: "m1", stableVersionId: "v1", createdById: owner.userId },
  });
  return { projectId: project, deploymentId: deployment.id };
}

const split = (stable: string, candidate: string | null = null, percent = 0): Split => ({ strategy: "direct", stableVersionId: stable, candidateVersionId: candidate, candidatePercent: percent });

async function appendThree(ref: { projectId: string; deploymentId: string }) {
  for (const [i, kind] of (["create", "replace", "rollback"] as const).entries()) {
    await db().$transaction((tx) =>
      appendLedger(tx, { ...ref, kind, actor: "user:u1", fromSplit: i === 0 ? null : split(`v${i}`), toSplit: split(`v${i + 1}`), evidence: { gateReportId: `r${i}`, passed: true, figures: [0.1, 2.5] }, reason: i === 2 ? "bad latency" : null }),
    );
  }
}

/** The SQLSTATE a raw statement fails with; fails the test if it succeeds. */
async function sqlError(sql: string, params: unknown[]): Promise<{ code: string; message: string }> {
  try {
    await pool().query(sql, params);
  } catch (err) {
    const e = err as { code: string; message: string };
    return { code: e.code, message: e.message };
  }
  throw new Error(`expected "${sql}" to fail`);
}


/** Runs `sql` with the append-only trigger off, as a database superuser could: the chain must still tell. */
async function asSuperuser(sql: string, params: unknown[]) {
  const client = await pool().connect();
  try {
    await client.query("BEGIN");
    await client.query(`ALTER TABLE "DeploymentLedgerEntry" DISABLE TRIGGER "DeploymentLedgerEntry_append_only"`);
    await client.query(sql, params);
    await client.query(`ALTER TABLE "DeploymentLedgerEntry" ENABLE TRIGGER "DeploymentLedgerEntry_append_only"`);
    await client.query("COMMIT");
  } finally {
    client.release();
  }
}

describe("deployment ledger", () => {
  it("chains entries: seq 1.., prevHash of the first is 64 zeros, each links to the one before, and it verifies", async () => {
    const owner = await createUser();
    const ref = await deploymentIn(owner);
    await appendThree(ref);
    const entries = await listLedger(ref);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(entries[0]!.prevHash).toBe(GENESIS_HASH);
    expect(entries[1]!.prevHash).toBe(entries[0]!.hash);
    expect(entries[2]!.prevHash).toBe(entries[1]!.hash);
    expect(entries[0]!.fromSplit).toBeNull();
    expect(entries[2]!.toSplit).toEqual(split("v3"));
    expect(await verifyLedger(ref)).toEqual({ deploymentId: ref.deploymentId, entries: 3, valid: true, brokenAtSeq: null, headHash: entries[2]!.hash });
  });

  it("concurrent appends to one deployment take turns: distinct seqs, one unbroken chain", async () => {
    const owner = await createUser();
    const ref = await deploymentIn(owner);
    await Promise.all(Array.from({ length: 6 }, (_, i) => db().$transaction((tx) => appendLedger(tx, { ...ref, kind: "pause", actor: `job:n${i}`, fromSplit: null, toSplit: null, evidence: null, reason: null }))));
    const entries = await listLedger(ref);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await verifyLedger(ref)).valid).toBe(true);
  });

  it("the database refuses UPDATE, DELETE and TRUNCATE of a live project's ledger", async () => {
    const owner = await createUser();
    const ref = await deploymentIn(owner);
    await appendThree(ref);
    const update = await sqlError(`UPDATE "DeploymentLedgerEntry" SET "reason" = 'edited' WHERE "deploymentId" = $1 AND "seq" = 2`, [ref.deploymentId]);
    expect(update).toMatchObject({ code: "42501" });
    expect(update.message).toContain("append-only");
    expect((await sqlError(`DELETE FROM "DeploymentLedgerEntry" WHERE "deploymentId" = $1`, [ref.deploymentId])).code).toBe("42501");
    expect((await sqlError(`TRUNCATE "DeploymentLedgerEntry"`, [])).code).toBe("42501");
    // Prisma's own writes go through the same guard.
    await expect(db().deploymentLedgerEntry.updateMany({ where: { deploymentId: ref.deploymentId }, data: { actor: "user:someone-else" } })).rejects.toThrow();
    // Deleting the deployment row alone (the ledger outlives it) still leaves the ledger in place.
    await db().deployment.delete({ where: { id: ref.deploymentId } });
    expect((await sqlError(`DELETE FROM "DeploymentLedgerEntry" WHERE "deploymentId" = $1`, [ref.deploymentId])).code).toBe("42501");
    expect(await db().deploymentLedgerEntry.count({ where: { deploymentId: ref.deploymentId } })).toBe(3);
  });

  it("deleting a project removes its ledger and no other project's", async () => {
    const owner = await createUser();
    const gone = await deploymentIn(owner);
    const kept = await deploymentIn(owner);
    await appendThree(gone);
    await appendThree(kept);
    await deleteProject({ orgId: owner.orgId, projectId: gone.projectId, actor: { type: "user", id: owner.userId, label: owner.email } });
    expect(await db().deploymentLedgerEntry.count({ where: { projectId: gone.projectId } })).toBe(0);
    expect(await db().deploymentLedgerEntry.count({ where: { projectId: kept.projectId } })).toBe(3);
    expect((await verifyLedger(kept)).valid).toBe(true);
  });

  it("deleting an organisation removes its projects' ledgers through the cascade", async () => {
    const owner = await createUser();
    const ref = await deploymentIn(owner);
    await appendThree(ref);
    await db().organization.delete({ where: { id: owner.orgId } });
    expect(await db().deploymentLedgerEntry.count({ where: { projectId: ref.projectId } })).toBe(0);
  });

  it("an edit made around the trigger (superuser disables it) is found at the seq edited", async () => {
    const owner = await createUser();
    const ref = await deploymentIn(owner);
    await appendThree(ref);
    await asSuperuser(`UPDATE "DeploymentLedgerEntry" SET "evidence" = jsonb_set("evidence", '{passed}', 'false') WHERE "deploymentId" = $1 AND "seq" = 2`, [ref.deploymentId]);
    expect(await verifyLedger(ref)).toMatchObject({ valid: false, brokenAtSeq: 2, entries: 3 });
  });

  it("a removed entry (superuser) breaks the chain where the gap is", async () => {
    const owner = await createUser();
    const ref = await deploymentIn(owner);
    await appendThree(ref);
    await asSuperuser(`DELETE FROM "DeploymentLedgerEntry" WHERE "deploymentId" = $1 AND "seq" = 2`, [ref.deploymentId]);
    expect(await verifyLedger(ref)).toMatchObject({ valid: false, brokenAtSeq: 2, entries: 2 });
  });

  it("another project's deployment id reads as NOT_FOUND", async () => {
    const owner = await createUser();
    const ref = await deploymentIn(owner);
    const other = await createTestProject(owner.orgId, owner);
    await expect(verifyLedger({ projectId: other.id, deploymentId: ref.deploymentId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(listLedger({ projectId: other.id, deploymentId: ref.deploymentId })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
