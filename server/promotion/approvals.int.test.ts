/**
 * Approvals: a person's decision bound to the latest gate report by hashes and an HMAC; separation of
 * duties; the policy's minimum role; one decision per reviewer and report; voiding after a re-run
 * with another outcome (and promotion not waiting for that consumer).
 */
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db";
import { addMember, callerAs, callerWithToken, createUser, mintRunToken, mintToken } from "../testing/factories";
import { drainJobs } from "../testing/drain-jobs";
import { addPolicy, addReport, addVersion, createModel, promotionWorld, setChampion, type PromotionWorld } from "../testing/promotion";
import { verifyApproval } from "./evidence";

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

/** A model with a champion v1 and a challenger v2 whose gate passed against it. */
async function gatedChallenger(approvals?: { required?: number; min_role?: "MEMBER" | "ADMIN" | "OWNER" }) {
  const { model, policy } = await createModel(w, approvals);
  const v1 = await addVersion(w, model.id);
  await setChampion(model.id, v1.id);
  const v2 = await addVersion(w, model.id);
  const report = await addReport(w.project.id, v2, { policyRevisionId: policy.id, passed: true, championVersionId: v1.id });
  return { model, policy, v1, v2, report };
}

beforeAll(async () => {
  w = await promotionWorld();
});

describe("approve / reject", () => {
  it("binds the decision to the report and model hashes with a verifiable HMAC, audited, with an outbox event", async () => {
    const { v2, report } = await gatedChallenger();
    const approval = await callerAs(w.admin1).promotion.approve({ projectId: w.project.id, versionId: v2.id, comment: "  looks good  " });
    expect(approval).toMatchObject({ decision: "APPROVE", comment: "looks good", valid: true, gateReportId: report.id, user: { id: w.admin1.userId } });
    const row = await db().modelApproval.findUniqueOrThrow({ where: { id: approval.id } });
    expect(row).toMatchObject({ reportSha256: report.sha256, modelSha256: v2.sha256, role: "ADMIN", userId: w.admin1.userId });
    expect(row.hmac).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyApproval(row)).toBe(true);
    expect(await db().auditEvent.count({ where: { action: "model.version.approve", targetId: v2.id } })).toBe(1);
    const events = await db().outboxEvent.findMany({ where: { type: "model.version.approved" } });
    expect(events.map((e) => (e.payload as { approvalId: string }).approvalId)).toContain(approval.id);
  });

  it("refuses the version's creator and its run's author (separation of duties), also through their tokens", async () => {
    const { v2 } = await gatedChallenger();
    const creator = await codeOf(callerAs(w.creator).promotion.approve({ projectId: w.project.id, versionId: v2.id }));
    expect(creator).toEqual({ code: "FORBIDDEN", message: expect.stringMatching(/You registered v2.*separation of duties/) });
    const author = await codeOf(callerAs(w.runAuthor).promotion.reject({ projectId: w.project.id, versionId: v2.id }));
    expect(author).toEqual({ code: "FORBIDDEN", message: expect.stringMatching(/You started the run.*separation of duties/) });
    const creatorToken = await callerWithToken((await mintToken(w.creator, { orgId: w.owner.orgId, role: "ADMIN" })).secret);
    expect((await codeOf(creatorToken.promotion.approve({ projectId: w.project.id, versionId: v2.id }))).code).toBe("FORBIDDEN");
    expect(await db().modelApproval.count({ where: { versionId: v2.id } })).toBe(0);
  });

  it("refuses a run author who started the run with a token, found through the token's member", async () => {
    const { model, policy, v1 } = await gatedChallenger();
    const token = await mintToken(w.admin3, { orgId: w.owner.orgId, role: "MEMBER" });
    const run = await (await callerWithToken(token.secret)).run.create({ projectId: w.project.id, experiment: "via-token" });
    const v3 = await db().modelVersion.update({ where: { id: (await addVersion(w, model.id)).id }, data: { runId: run.id } });
    await addReport(w.project.id, v3, { policyRevisionId: policy.id, passed: true, championVersionId: v1.id });
    expect(await codeOf(callerAs(w.admin3).promotion.approve({ projectId: w.project.id, versionId: v3.id }))).toMatchObject({ code: "FORBIDDEN" });
    await expect(callerAs(w.admin1).promotion.approve({ projectId: w.project.id, versionId: v3.id })).resolves.toMatchObject({ valid: true });
  });

  it("refuses a role below the policy's min_role, and takes MEMBER where the policy says so", async () => {
    const strict = await gatedChallenger({ required: 1, min_role: "OWNER" });
    const low = await codeOf(callerAs(w.admin1).promotion.approve({ projectId: w.project.id, versionId: strict.v2.id }));
    expect(low).toEqual({ code: "FORBIDDEN", message: expect.stringContaining("needs OWNER or higher") });
    await expect(callerAs(w.owner).promotion.approve({ projectId: w.project.id, versionId: strict.v2.id })).resolves.toMatchObject({ role: "OWNER" });

    const open = await gatedChallenger({ required: 1, min_role: "MEMBER" });
    await expect(callerAs(w.member).promotion.approve({ projectId: w.project.id, versionId: open.v2.id })).resolves.toMatchObject({ valid: true });
    expect((await codeOf(callerAs(w.viewer).promotion.approve({ projectId: w.project.id, versionId: open.v2.id }))).code).toBe("FORBIDDEN");
    // The default rule (no approvals block) is one approval from ADMIN or higher.
    const { model } = await createModel(w, {});
    const s = await callerAs(w.owner).promotion.status({ projectId: w.project.id, versionId: (await addVersion(w, model.id)).id });
    expect(s).toMatchObject({ required: 1, minRole: "ADMIN" });
  });

  it("lets a member's token decide as that member (one decision per person), never a run's token", async () => {
    const { v2 } = await gatedChallenger();
    const token = await callerWithToken((await mintToken(w.admin2, { orgId: w.owner.orgId, role: "ADMIN" })).secret);
    const approval = await token.promotion.approve({ projectId: w.project.id, versionId: v2.id, comment: "from CI" });
    expect(approval.user.id).toBe(w.admin2.userId);
    const again = await codeOf(callerAs(w.admin2).promotion.reject({ projectId: w.project.id, versionId: v2.id }));
    expect(again).toEqual({ code: "CONFLICT", message: expect.stringContaining("already decided") });
    // Two decisions of one person sent at once: the unique (report, user) index lets one through.
    const raced = await gatedChallenger();
    const both = await Promise.allSettled([
      callerAs(w.admin3).promotion.approve({ projectId: w.project.id, versionId: raced.v2.id }),
      callerAs(w.admin3).promotion.reject({ projectId: w.project.id, versionId: raced.v2.id }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(both.find((r): r is PromiseRejectedResult => r.status === "rejected")!.reason).toMatchObject({ code: "CONFLICT" });
    expect(await db().modelApproval.count({ where: { versionId: raced.v2.id } })).toBe(1);
    const runToken = await callerWithToken(await mintRunToken(w.project.id, w.runId));
    expect((await codeOf(runToken.promotion.approve({ projectId: w.project.id, versionId: v2.id }))).code).toBe("FORBIDDEN");
    // A MEMBER token of an ADMIN is worth MEMBER: below the policy's ADMIN.
    const weak = await callerWithToken((await mintToken(w.admin1, { orgId: w.owner.orgId, role: "MEMBER" })).secret);
    expect((await codeOf(weak.promotion.approve({ projectId: w.project.id, versionId: v2.id }))).code).toBe("FORBIDDEN");
  });

  it("needs a completed, intact gate report under the current policy revision; approving a failed gate is refused", async () => {
    const { model, policy } = await createModel(w);
    const v1 = await addVersion(w, model.id);
    const approve = () => callerAs(w.admin1).promotion.approve({ projectId: w.project.id, versionId: v1.id });
    expect(await codeOf(approve())).toMatchObject({ code: "PRECONDITION_FAILED", message: expect.stringContaining("no gate report") });
    await addReport(w.project.id, v1, { policyRevisionId: policy.id, passed: null, championVersionId: null, status: "RUNNING" });
    expect(await codeOf(approve())).toMatchObject({ code: "PRECONDITION_FAILED", message: expect.stringContaining("RUNNING") });
    await addReport(w.project.id, v1, { policyRevisionId: policy.id, passed: false, championVersionId: null });
    expect(await codeOf(approve())).toMatchObject({ code: "PRECONDITION_FAILED", message: expect.stringContaining("did not pass") });
    await expect(callerAs(w.admin1).promotion.reject({ projectId: w.project.id, versionId: v1.id, comment: "worse" })).resolves.toMatchObject({ decision: "REJECT" });
    // A new policy revision leaves the version without a report under it.
    await addPolicy(model.id, w.owner.userId, { required: 1 });
    expect(await codeOf(callerAs(w.admin2).promotion.reject({ projectId: w.project.id, versionId: v1.id }))).toMatchObject({ code: "PRECONDITION_FAILED" });
  });

  it("catches a tampered decision, reviewer or report: the approval stops counting and promotion is blocked", async () => {
    const { model, v2, report } = await gatedChallenger({ required: 1, min_role: "ADMIN" });
    const rejection = await callerAs(w.admin1).promotion.reject({ projectId: w.project.id, versionId: v2.id, comment: "no" });
    const approval = await callerAs(w.admin2).promotion.approve({ projectId: w.project.id, versionId: v2.id });
    // Someone with database access turns the rejection into an approval.
    await db().modelApproval.update({ where: { id: rejection.id }, data: { decision: "APPROVE" } });
    let status = await callerAs(w.viewer).promotion.status({ projectId: w.project.id, versionId: v2.id });
    const forged = status.approvals.find((a) => a.id === rejection.id)!;
    expect(forged).toMatchObject({ valid: false, invalidReason: expect.stringContaining("signature does not verify") });
    expect(verifyApproval(await db().modelApproval.findUniqueOrThrow({ where: { id: rejection.id } }))).toBe(false);
    expect(status).toMatchObject({ approvedCount: 1, canPromote: true });

    // Re-attributing a decision to another person breaks it too.
    await db().modelApproval.update({ where: { id: approval.id }, data: { userId: w.admin3.userId } });
    status = await callerAs(w.viewer).promotion.status({ projectId: w.project.id, versionId: v2.id });
    expect(status).toMatchObject({ approvedCount: 0, canPromote: false });
    await db().modelApproval.update({ where: { id: approval.id }, data: { userId: w.admin2.userId } });

    // Editing the report's JSON after the fact: its hash no longer matches, so nothing bound to it counts.
    await db().gateReport.update({ where: { id: report.id }, data: { report: { passed: true, checks: [], edited: true } } });
    status = await callerAs(w.viewer).promotion.status({ projectId: w.project.id, versionId: v2.id });
    expect(status.gate).toMatchObject({ intact: false });
    expect(status.approvals.find((a) => a.id === approval.id)).toMatchObject({ valid: false, invalidReason: expect.stringContaining("no longer matches") });
    const promote = await codeOf(callerAs(w.owner).promotion.promote({ projectId: w.project.id, modelId: model.id, versionId: v2.id }));
    expect(promote).toMatchObject({ code: "PRECONDITION_FAILED", message: expect.stringContaining("no longer matches its stored hash") });
  });
});

describe("approver still qualified", () => {
  it("stops counting an approval once its reviewer is demoted below min_role or leaves the organisation", async () => {
    const { v2 } = await gatedChallenger({ required: 1, min_role: "ADMIN" });
    const reviewer = await createUser();
    await addMember(w.owner.orgId, reviewer, "ADMIN");
    await callerAs(reviewer).promotion.approve({ projectId: w.project.id, versionId: v2.id });
    const status = () => callerAs(w.viewer).promotion.status({ projectId: w.project.id, versionId: v2.id });
    expect(await status()).toMatchObject({ approvedCount: 1, canPromote: true });
    await db().membership.update({ where: { userId_orgId: { userId: reviewer.userId, orgId: w.owner.orgId } }, data: { role: "MEMBER" } });
    expect(await status()).toMatchObject({ approvedCount: 0, canPromote: false, approvals: [expect.objectContaining({ invalidReason: "the reviewer no longer holds ADMIN or higher" })] });
    await db().membership.delete({ where: { userId_orgId: { userId: reviewer.userId, orgId: w.owner.orgId } } });
    expect(await status()).toMatchObject({ approvedCount: 0, canPromote: false });
  });
});

describe("voiding after a re-run", () => {
  it("keeps decisions when a re-run has the same outcome and voids them when the outcome changes, audited", async () => {
    const { model, policy, v1, v2 } = await gatedChallenger({ required: 1, min_role: "ADMIN" });
    const approval = await callerAs(w.admin1).promotion.approve({ projectId: w.project.id, versionId: v2.id, comment: "ok" });
    await drainJobs();

    await addReport(w.project.id, v2, { policyRevisionId: policy.id, passed: true, championVersionId: v1.id });
    await drainJobs();
    expect(await db().modelApproval.findUniqueOrThrow({ where: { id: approval.id } })).toMatchObject({ voidedAt: null, voidReason: null });
    expect(await callerAs(w.viewer).promotion.status({ projectId: w.project.id, versionId: v2.id })).toMatchObject({ approvedCount: 1, canPromote: true });
    // The same person approving the re-run counts once: their older decision is superseded.
    const second = await callerAs(w.admin1).promotion.approve({ projectId: w.project.id, versionId: v2.id });
    const twice = await callerAs(w.viewer).promotion.status({ projectId: w.project.id, versionId: v2.id });
    expect(twice.approvedCount).toBe(1);
    expect(twice.approvals.map((a) => [a.id, a.valid, a.invalidReason])).toEqual([
      [second.id, true, null],
      [approval.id, false, "superseded by the same reviewer's later decision"],
    ]);
    await db().modelApproval.delete({ where: { id: second.id } });

    const failed = await addReport(w.project.id, v2, { policyRevisionId: policy.id, passed: false, championVersionId: v1.id });
    // Before the consumer runs, promotion already refuses: it re-checks outcomes itself.
    const before = await callerAs(w.viewer).promotion.status({ projectId: w.project.id, versionId: v2.id });
    expect(before.approvals[0]).toMatchObject({ id: approval.id, valid: false, voidedAt: null, invalidReason: expect.stringContaining("the latest report failed") });
    expect((await codeOf(callerAs(w.owner).promotion.promote({ projectId: w.project.id, modelId: model.id, versionId: v2.id }))).code).toBe("PRECONDITION_FAILED");

    expect(await drainJobs()).toContain("outbox.dispatch.v1");
    const voided = await db().modelApproval.findUniqueOrThrow({ where: { id: approval.id } });
    expect(voided.voidedAt).not.toBeNull();
    expect(voided.voidReason).toContain(`re-run and failed (report ${failed.id})`);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "model.approval.void", targetId: approval.id } });
    expect(audit).toMatchObject({ actorType: "system", projectId: w.project.id });

    // A later pass does not revive a voided decision: a fresh one is needed.
    await addReport(w.project.id, v2, { policyRevisionId: policy.id, passed: true, championVersionId: v1.id });
    await drainJobs();
    const after = await callerAs(w.viewer).promotion.status({ projectId: w.project.id, versionId: v2.id });
    expect(after.approvals[0]).toMatchObject({ id: approval.id, valid: false, invalidReason: expect.stringContaining("voided") });
    expect(after).toMatchObject({ approvedCount: 0, canPromote: false });
    await callerAs(w.admin1).promotion.approve({ projectId: w.project.id, versionId: v2.id });
    expect(await callerAs(w.viewer).promotion.status({ projectId: w.project.id, versionId: v2.id })).toMatchObject({ approvedCount: 1, canPromote: true });
  });

  it("voids a rejection when a re-run passes, and a FAILED evaluation voids nothing", async () => {
    const { model, policy } = await createModel(w, { required: 1 });
    const v1 = await addVersion(w, model.id);
    await addReport(w.project.id, v1, { policyRevisionId: policy.id, passed: false, championVersionId: null });
    const rejection = await callerAs(w.admin1).promotion.reject({ projectId: w.project.id, versionId: v1.id, comment: "worse" });
    await addReport(w.project.id, v1, { policyRevisionId: policy.id, passed: null, championVersionId: null, status: "FAILED" });
    await drainJobs();
    expect((await db().modelApproval.findUniqueOrThrow({ where: { id: rejection.id } })).voidedAt).toBeNull();
    await addReport(w.project.id, v1, { policyRevisionId: policy.id, passed: true, championVersionId: null });
    await drainJobs();
    expect((await db().modelApproval.findUniqueOrThrow({ where: { id: rejection.id } })).voidReason).toContain("this decision was made when it failed");
  });
});
