/**
 * Promote, override and rollback of the champion alias: gated by the latest report and complete
 * approvals, one transaction under the model's row lock (a concurrent loser gets CONFLICT), history
 * as a stack for rollback, OWNER override with a reason; tenant isolation and roles with real rows.
 */
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db";
import { callerAs, createTestProject, createUser } from "../testing/factories";
import { addReport, addVersion, championOf, createModel, promotionWorld, setChampion, type PromotionWorld } from "../testing/promotion";
import { previousChampion } from "./promote";

let w: PromotionWorld;

async function codeOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof TRPCError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error("expected the call to fail");
}

/** A challenger of champion v1 whose gate passed, approved by `approvers`. */
async function readyChallenger(approvers = [w.admin1, w.admin2]) {
  const { model, policy } = await createModel(w, { required: 2, min_role: "ADMIN" });
  const v1 = await addVersion(w, model.id);
  await setChampion(model.id, v1.id);
  const v2 = await addVersion(w, model.id);
  const report = await addReport(w.project.id, v2, { policyRevisionId: policy.id, passed: true, championVersionId: v1.id });
  for (const a of approvers) await callerAs(a).promotion.approve({ projectId: w.project.id, versionId: v2.id });
  return { model, policy, v1, v2, report };
}

const promoteAs = (who: Parameters<typeof callerAs>[0], modelId: string, versionId: string) =>
  callerAs(who).promotion.promote({ projectId: w.project.id, modelId, versionId });

beforeAll(async () => {
  w = await promotionWorld();
});

describe("promote", () => {
  it("moves champion with a promote event bound to the gate report, audited, with modelAliasMoved", async () => {
    const { model, v1, v2, report } = await readyChallenger();
    expect(await callerAs(w.viewer).promotion.status({ projectId: w.project.id, versionId: v2.id })).toMatchObject({ canPromote: true, blockers: [], approvedCount: 2, required: 2 });
    const move = await promoteAs(w.admin3, model.id, v2.id);
    expect(move).toMatchObject({ kind: "promote", fromVersionId: v1.id, toVersionId: v2.id, toVersionNumber: 2, gateReportId: report.id });
    expect(await championOf(model.id)).toBe(v2.id);
    const event = await db().modelAliasEvent.findUniqueOrThrow({ where: { id: move.eventId } });
    expect(event).toMatchObject({ kind: "promote", alias: "champion", gateReportId: report.id, actorId: w.admin3.userId });
    expect(await db().auditEvent.count({ where: { action: "model.alias.promote", targetId: model.id } })).toBe(1);
    const moved = await db().outboxEvent.findMany({ where: { type: "model.alias.moved" } });
    expect(moved.map((e) => e.payload)).toContainEqual({ modelId: model.id, alias: "champion", fromVersionId: v1.id, toVersionId: v2.id, kind: "promote" });
    expect(await callerAs(w.viewer).promotion.status({ projectId: w.project.id, versionId: v2.id })).toMatchObject({ isChampion: true, canPromote: false });
  });

  it("is blocked without complete approvals, by a standing rejection, and by a failing gate", async () => {
    const one = await readyChallenger([w.admin1]);
    const missing = await codeOf(promoteAs(w.owner, one.model.id, one.v2.id));
    expect(missing).toEqual({ code: "PRECONDITION_FAILED", message: expect.stringContaining("Needs 2 approvals from ADMIN or higher; has 1") });
    await callerAs(w.admin2).promotion.reject({ projectId: w.project.id, versionId: one.v2.id, comment: "latency" });
    await callerAs(w.admin3).promotion.approve({ projectId: w.project.id, versionId: one.v2.id });
    const rejected = await codeOf(promoteAs(w.owner, one.model.id, one.v2.id));
    expect(rejected.message).toMatch(/Rejected by .*: latency/);
    expect(await championOf(one.model.id)).toBe(one.v1.id);

    const { model, policy } = await createModel(w, { required: 0 });
    const v1 = await addVersion(w, model.id);
    await addReport(w.project.id, v1, { policyRevisionId: policy.id, passed: false, championVersionId: null });
    expect(await codeOf(promoteAs(w.owner, model.id, v1.id))).toEqual({ code: "PRECONDITION_FAILED", message: expect.stringContaining("The gate did not pass") });
    await addReport(w.project.id, v1, { policyRevisionId: policy.id, passed: null, championVersionId: null, status: "PENDING" });
    expect((await codeOf(promoteAs(w.owner, model.id, v1.id))).message).toContain("still running");
    await addReport(w.project.id, v1, { policyRevisionId: policy.id, passed: true, championVersionId: null });
    await expect(promoteAs(w.owner, model.id, v1.id)).resolves.toMatchObject({ fromVersionId: null, toVersionId: v1.id });
  });

  it("refuses a gate that compared against a champion that has since moved (CONFLICT), and an archived version", async () => {
    const { model, v1, v2 } = await readyChallenger();
    const v3 = await addVersion(w, model.id);
    await callerAs(w.owner).promotion.override({ projectId: w.project.id, modelId: model.id, versionId: v3.id, reason: "hotfix" });
    const stale = await codeOf(promoteAs(w.owner, model.id, v2.id));
    expect(stale).toEqual({ code: "CONFLICT", message: expect.stringContaining(`The gate compared against v${1} but the champion is now v3; re-run the gate`) });
    expect(v1.number).toBe(1);
    await db().modelVersion.update({ where: { id: v2.id }, data: { archivedAt: new Date() } });
    expect((await codeOf(promoteAs(w.owner, model.id, v2.id))).message).toContain("v2 is archived");
  });

  it("lets one of two concurrent promotions win; the other gets CONFLICT", async () => {
    const { model, policy, v1, v2 } = await readyChallenger();
    const v3 = await addVersion(w, model.id);
    await addReport(w.project.id, v3, { policyRevisionId: policy.id, passed: true, championVersionId: v1.id });
    for (const a of [w.admin1, w.admin2]) await callerAs(a).promotion.approve({ projectId: w.project.id, versionId: v3.id });
    // Two callers, two pooled connections, two transactions racing for the same row lock.
    const results = await Promise.allSettled([promoteAs(w.admin3, model.id, v2.id), promoteAs(w.owner, model.id, v3.id)]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("but the champion is now") });
    const winner = (won[0] as PromiseFulfilledResult<{ toVersionId: string }>).value.toVersionId;
    expect(await championOf(model.id)).toBe(winner);
    expect(await db().modelAliasEvent.count({ where: { modelId: model.id, kind: "promote" } })).toBe(1);

    // The same version promoted twice at once: one move, one CONFLICT.
    const again = await readyChallenger();
    const same = await Promise.allSettled([promoteAs(w.admin3, again.model.id, again.v2.id), promoteAs(w.owner, again.model.id, again.v2.id)]);
    expect(same.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(same.find((r): r is PromiseRejectedResult => r.status === "rejected")!.reason).toMatchObject({ code: "CONFLICT" });
    expect(await db().modelAliasEvent.count({ where: { modelId: again.model.id, kind: "promote" } })).toBe(1);
  });
});

describe("override", () => {
  it("needs OWNER and a non-empty reason; it is flagged in history and audit", async () => {
    const { model, v2 } = await readyChallenger([]);
    const input = { projectId: w.project.id, modelId: model.id, versionId: v2.id, reason: "incident 42: v1 leaks memory" };
    expect((await codeOf(callerAs(w.admin1).promotion.override(input))).code).toBe("FORBIDDEN");
    expect((await codeOf(callerAs(w.owner).promotion.override({ ...input, reason: "   " }))).code).toBe("BAD_REQUEST");
    const move = await callerAs(w.owner).promotion.override(input);
    expect(move).toMatchObject({ kind: "override", toVersionId: v2.id });
    expect(await db().modelAliasEvent.findUniqueOrThrow({ where: { id: move.eventId } })).toMatchObject({ kind: "override", reason: input.reason });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "model.alias.override", targetId: model.id } });
    expect(audit.after).toMatchObject({ versionId: v2.id, reason: input.reason });
  });
});

describe("rollback", () => {
  it("walks the history as a stack: v1→v2→v3, rollback → v2, rollback → v1, then nothing left", async () => {
    const { model, v1, v2 } = await readyChallenger();
    await promoteAs(w.owner, model.id, v2.id);
    const v3 = await addVersion(w, model.id);
    await callerAs(w.owner).promotion.override({ projectId: w.project.id, modelId: model.id, versionId: v3.id, reason: "fast path" });
    const rb = (who = w.admin1) => callerAs(who).promotion.rollback({ projectId: w.project.id, modelId: model.id, reason: "errors up" });
    await expect(rb()).resolves.toMatchObject({ kind: "rollback", fromVersionId: v3.id, toVersionId: v2.id });
    expect(await championOf(model.id)).toBe(v2.id);
    await expect(rb()).resolves.toMatchObject({ fromVersionId: v2.id, toVersionId: v1.id });
    expect(await championOf(model.id)).toBe(v1.id);
    expect(await codeOf(rb())).toEqual({ code: "PRECONDITION_FAILED", message: expect.stringContaining("no previous champion") });
    expect((await codeOf(rb(w.member))).code).toBe("FORBIDDEN");
    expect(await db().auditEvent.count({ where: { action: "model.alias.rollback", targetId: model.id } })).toBe(2);
  });

  it("computes the previous champion from history alone", () => {
    const e = (kind: string, from: string | null, to: string | null) => ({ kind, fromVersionId: from, toVersionId: to });
    const h = [e("set", null, "a"), e("promote", "a", "b"), e("promote", "b", "c")];
    expect(previousChampion(h, "c")).toBe("b");
    expect(previousChampion([...h, e("rollback", "c", "b")], "b")).toBe("a");
    expect(previousChampion([...h, e("rollback", "c", "b"), e("promote", "b", "d")], "d")).toBe("b");
    expect(previousChampion([e("set", null, "a")], "a")).toBeNull();
  });
});

describe("tenant isolation", () => {
  it("answers another organisation's member NOT_FOUND and an anonymous caller UNAUTHORIZED for every procedure, with real ids", async () => {
    const { model, v2 } = await readyChallenger([]);
    const outsider = await createUser();
    const calls = (c: ReturnType<typeof callerAs>, projectId: string) => [
      () => c.promotion.status({ projectId, versionId: v2.id }),
      () => c.promotion.approvals({ projectId, versionId: v2.id }),
      () => c.promotion.approve({ projectId, versionId: v2.id }),
      () => c.promotion.reject({ projectId, versionId: v2.id }),
      () => c.promotion.promote({ projectId, modelId: model.id, versionId: v2.id }),
      () => c.promotion.override({ projectId, modelId: model.id, versionId: v2.id, reason: "x" }),
      () => c.promotion.rollback({ projectId, modelId: model.id }),
    ];
    for (const call of calls(callerAs(outsider), w.project.id)) expect((await codeOf(call())).code).toBe("NOT_FOUND");
    for (const call of calls(callerAs(null), w.project.id)) expect((await codeOf(call())).code).toBe("UNAUTHORIZED");
    // The outsider's own project does not reach this project's rows either.
    const own = await createTestProject(outsider.orgId, outsider);
    for (const call of calls(callerAs(outsider), own.id)) expect((await codeOf(call())).message).toMatch(/^Model( version)? not found$/);
    expect(await db().modelApproval.count({ where: { versionId: v2.id } })).toBe(0);
    expect(await championOf(model.id)).not.toBe(v2.id);
  });

  it("refuses a version of another model under this model's id", async () => {
    const a = await readyChallenger();
    const b = await readyChallenger();
    expect(await codeOf(promoteAs(w.owner, a.model.id, b.v2.id))).toEqual({ code: "NOT_FOUND", message: "Model version not found" });
  });
});
