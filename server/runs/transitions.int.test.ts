import { afterEach, describe, expect, it } from "vitest";
import { db } from "../db";
import { SYSTEM_ACTOR } from "../audit/audit";
import { uploadReadyVersion } from "../testing/datasets";
import { callerAs, createTestProject, createUser } from "../testing/factories";
import { deliveriesCsv } from "../ml/synthetic/deliveries";
import { transitionRun } from "./transitions";


async function setup() {
  const owner = await createUser();
  const project = await createTestProject(owner.orgId, owner);
  return { owner, project, caller: callerAs(owner) };
}

const auditOf = (runId: string) => db().auditEvent.findMany({ where: { targetType: "run", targetId: runId }, orderBy: { at: "asc" } });

/** A real database failure of the audit write: a trigger refuses audit rows with this action. */
async function failAuditWrites(action: string) {
  await db().$executeRawUnsafe(`CREATE OR REPLACE FUNCTION test_fail_audit() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'audit store unavailable'; END $$ LANGUAGE plpgsql`);
  await db().$executeRawUnsafe(`CREATE TRIGGER test_fail_audit BEFORE INSERT ON "AuditEvent" FOR EACH ROW WHEN (NEW.action = '${action}') EXECUTE FUNCTION test_fail_audit()`);
}

afterEach(async () => {
  await db().$executeRawUnsafe(`DROP TRIGGER IF EXISTS test_fail_audit ON "AuditEvent"`);
});

describe("run transitions", () => {
  it("writes the status change and its audit event together", async () => {
    const { project, caller, owner } = await setup();
    const run = await caller.run.create({ projectId: project.id, experiment: "t" });
    await caller.run.finish({ projectId: project.id, runId: run.id, status: "FAILED" });
    expect(await auditOf(run.id)).toMatchObject([
      { action: "run.finish", actorLabel: owner.email, orgId: owner.orgId, projectId: project.id, before: { status: "RUNNING" }, after: { status: "FAILED" } },
    ]);
    // Finishing again with the same status is a no-op and records nothing more.
    await caller.run.finish({ projectId: project.id, runId: run.id, status: "FAILED" });
    expect(await auditOf(run.id)).toHaveLength(1);
  });

  it("rolls the status back when the audit write fails", async () => {
    const { project, caller } = await setup();
    const run = await caller.run.create({ projectId: project.id, experiment: "t" });
    await failAuditWrites("run.kill");
    await expect(caller.run.finish({ projectId: project.id, runId: run.id, status: "KILLED" })).rejects.toThrow(/audit store unavailable/);
    const row = await db().run.findUniqueOrThrow({ where: { id: run.id } });
    expect(row).toMatchObject({ status: "RUNNING", endedAt: null });
    expect(await auditOf(run.id)).toEqual([]);
  });

  it("rolls a cancelled queued training run back to QUEUED when the audit write fails", async () => {
    const { project, caller, owner } = await setup();
    const version = await uploadReadyVersion(owner, project.id, deliveriesCsv(200), "dd");
    const run = await caller.training.start({ projectId: project.id, datasetVersionId: version.id, target: "minutes", trainer: "ridge" });
    await failAuditWrites("run.cancel");
    await expect(caller.training.cancel({ projectId: project.id, runId: run.id })).rejects.toThrow(/audit store unavailable/);
    expect(await db().run.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({ status: "QUEUED", cancelRequested: false, endedAt: null });
    await db().$executeRawUnsafe(`DROP TRIGGER test_fail_audit ON "AuditEvent"`);
    await expect(caller.training.cancel({ projectId: project.id, runId: run.id })).resolves.toEqual({ status: "KILLED" });
    expect((await auditOf(run.id)).map((e) => e.action)).toEqual(["run.train", "run.cancel"]);
  });

  it("refuses transitions the lifecycle does not allow", async () => {
    const { project, caller } = await setup();
    const run = await caller.run.create({ projectId: project.id, experiment: "t" });
    await caller.run.finish({ projectId: project.id, runId: run.id, status: "FINISHED" });
    await expect(
      db().$transaction((tx) => transitionRun(tx, { runId: run.id, from: ["FINISHED"], to: "RUNNING", actor: SYSTEM_ACTOR, action: "run.start" })),
    ).rejects.toMatchObject({ code: "CONFLICT", message: "A run cannot go from FINISHED to RUNNING" });
    // A caller expecting a live run finds it finished and changes nothing.
    const result = await db().$transaction((tx) => transitionRun(tx, { runId: run.id, from: ["QUEUED", "RUNNING"], to: "RUNNING", actor: SYSTEM_ACTOR, action: "run.start" }));
    expect(result).toEqual({ changed: false, current: "FINISHED" });
    await expect(caller.run.finish({ projectId: project.id, runId: run.id, status: "KILLED" })).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await db().run.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("FINISHED");
    expect((await auditOf(run.id)).map((e) => e.action)).toEqual(["run.finish"]);
  });

  it("audits the worker's claim and finish of a training run as the system", async () => {
    const { project, caller, owner } = await setup();
    const version = await uploadReadyVersion(owner, project.id, deliveriesCsv(200), "dd");
    const run = await caller.training.start({ projectId: project.id, datasetVersionId: version.id, target: "minutes", exclude: ["delivery_id"], trainer: "ridge", evaluate: false });
    const { runTrainingJob } = await import("../training/job");
    await runTrainingJob(run.id, { id: "w1", hostname: "h", gpus: [], cpuCount: 1, version: "t" });
    expect(await auditOf(run.id)).toMatchObject([
      { action: "run.train" },
      { action: "run.start", actorType: "system", before: { status: "QUEUED" }, after: { status: "RUNNING", worker: "w1" } },
      { action: "run.finish", actorType: "system", before: { status: "RUNNING" }, after: { status: "FINISHED" } },
    ]);
  });
});
