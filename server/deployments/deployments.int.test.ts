/**
 * Deployments against real Postgres through the tRPC callers: environment policy for every version
 * that takes traffic, each strategy's moves, rollback from the ledger, NOTIFY on commit only,
 * concurrent changes taking turns, and the ledger's chain after all of it.
 */
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db";
import { callerAs, callerWithToken, mintToken } from "../testing/factories";
import { addReport, addVersion, codeOf, createModel, promotionWorld, setChampion, type PromotionWorld } from "../testing/promotion";
import { DEPLOYMENTS_CHANNEL } from "./schemas";

let w: PromotionWorld;
let admin: ReturnType<typeof callerAs>;

beforeAll(async () => {
  w = await promotionWorld();
  admin = callerAs(w.admin1);
});

/** A model with champion v1 (gate passed, approved by admin2) and v2 (gate passed, not approved) and v3 (no gate). */
async function models() {
  const { model, policy } = await createModel(w, { required: 1, min_role: "ADMIN" });
  const v1 = await addVersion(w, model.id);
  await setChampion(model.id, v1.id);
  const v2 = await addVersion(w, model.id);
  const v3 = await addVersion(w, model.id);
  await addReport(w.project.id, v1, { policyRevisionId: policy.id, passed: true, championVersionId: null });
  await addReport(w.project.id, v2, { policyRevisionId: policy.id, passed: true, championVersionId: v1.id });
  await callerAs(w.admin2).promotion.approve({ projectId: w.project.id, versionId: v1.id, comment: "ok" });
  return { model, policy, v1, v2, v3 };
}

const P = () => ({ projectId: w.project.id });
let n = 0;
const depName = () => `dep-${++n}-${Date.now().toString(36)}`;

describe("environments", () => {
  it("a project gets staging (none) and production (approved) on first listing; custom ones are ADMIN's", async () => {
    const envs = await admin.deployment.environments(P());
    expect(envs.map((e) => [e.name, e.requires])).toEqual([["production", "approved"], ["staging", "none"]]);
    const qa = await admin.deployment.createEnvironment({ ...P(), name: "qa", requires: "gate_passed" });
    expect(qa).toMatchObject({ name: "qa", requires: "gate_passed", deploymentCount: 0 });
    expect((await codeOf(admin.deployment.createEnvironment({ ...P(), name: "qa" }))).code).toBe("CONFLICT");
    expect((await codeOf(admin.deployment.createEnvironment({ ...P(), name: "Bad Name" }))).code).toBe("BAD_REQUEST");
    const updated = await admin.deployment.updateEnvironment({ ...P(), environmentId: qa.id, requires: "approved" });
    expect(updated.requires).toBe("approved");
    const audit = await db().auditEvent.findMany({ where: { targetId: qa.id }, orderBy: { at: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["environment.create", "environment.update"]);
    // Listing again does not bring back what exists, and deleting an empty environment works.
    expect(await admin.deployment.deleteEnvironment({ ...P(), environmentId: qa.id })).toEqual({ id: qa.id });
    expect((await codeOf(admin.deployment.deleteEnvironment({ ...P(), environmentId: qa.id }))).code).toBe("NOT_FOUND");
  });

  it("an environment with a deployment cannot be deleted", async () => {
    const { model } = await models();
    const dep = await admin.deployment.create({ ...P(), environment: "staging", name: depName(), modelId: model.id });
    const err = await codeOf(admin.deployment.deleteEnvironment({ ...P(), environmentId: dep.environment.id }));
    expect(err.code).toBe("CONFLICT");
    expect(await db().deployment.count({ where: { id: dep.id } })).toBe(1);
  });
});

describe("environment policy", () => {
  it("production (approved) takes only a version whose gate passed and whose approvals are complete", async () => {
    const { model, v1, v2, v3 } = await models();
    const noGate = await codeOf(admin.deployment.create({ ...P(), environment: "production", name: depName(), modelId: model.id, versionId: v3.id }));
    expect(noGate).toMatchObject({ code: "PRECONDITION_FAILED" });
    expect(noGate.message).toContain("passed gate");
    const noApproval = await codeOf(admin.deployment.create({ ...P(), environment: "production", name: depName(), modelId: model.id, versionId: v2.id }));
    expect(noApproval.code).toBe("PRECONDITION_FAILED");
    expect(noApproval.message).toContain("approvals (0 of 1");
    expect(await db().deployment.count({ where: { modelId: model.id } })).toBe(0);
    // The champion (default alias) meets both.
    const dep = await admin.deployment.create({ ...P(), environment: "production", name: depName(), modelId: model.id });
    expect(dep).toMatchObject({ stableVersionId: v1.id, strategy: "direct", status: "active", generation: 1 });
    // A candidate takes traffic too: the unapproved v2 cannot become one, not even at 0 %.
    const cand = await codeOf(admin.deployment.setCandidate({ ...P(), deploymentId: dep.id, versionId: v2.id, strategy: "shadow" }));
    expect(cand.code).toBe("PRECONDITION_FAILED");
    await callerAs(w.admin2).promotion.approve({ projectId: w.project.id, versionId: v2.id, comment: "ok" });
    const canary = await admin.deployment.setCandidate({ ...P(), deploymentId: dep.id, versionId: v2.id, strategy: "canary", candidatePercent: 5 });
    expect(canary).toMatchObject({ candidateVersionId: v2.id, candidatePercent: 5, status: "rolling_out", generation: 2 });
    const [, second] = await admin.deployment.ledger({ ...P(), deploymentId: dep.id });
    expect(second!.evidence).toMatchObject({ environment: { name: "production", requires: "approved" }, versions: [{ versionId: v1.id, gatePassed: true, approved: true }, { versionId: v2.id, gatePassed: true, approvedCount: 1, approved: true }] });
  });

  it("a standing rejection keeps a version out of an approved environment even with enough approvals", async () => {
    const { model, v2 } = await models();
    await callerAs(w.admin2).promotion.approve({ projectId: w.project.id, versionId: v2.id, comment: "ok" });
    await callerAs(w.admin3).promotion.reject({ projectId: w.project.id, versionId: v2.id, comment: "drifts on weekends" });
    const err = await codeOf(admin.deployment.create({ ...P(), environment: "production", name: depName(), modelId: model.id, versionId: v2.id }));
    expect(err.code).toBe("PRECONDITION_FAILED");
    expect(err.message).toContain("no standing rejection");
  });

  it("gate_passed refuses a failed gate and lets a passed one in; staging (none) takes anything not archived", async () => {
    const { model, policy, v2, v3 } = await models();
    const gated = `gated-${Date.now().toString(36)}`;
    await admin.deployment.createEnvironment({ ...P(), name: gated, requires: "gate_passed" });
    await addReport(w.project.id, v3, { policyRevisionId: policy.id, passed: false, championVersionId: null });
    expect((await codeOf(admin.deployment.create({ ...P(), environment: gated, name: depName(), modelId: model.id, versionId: v3.id }))).code).toBe("PRECONDITION_FAILED");
    const ok = await admin.deployment.create({ ...P(), environment: gated, name: depName(), modelId: model.id, versionId: v2.id });
    expect(ok.stableVersionId).toBe(v2.id);
    const staged = await admin.deployment.create({ ...P(), environment: "staging", name: depName(), modelId: model.id, versionId: v3.id });
    expect(staged.stableVersionId).toBe(v3.id);
  });

  it("another model's version is NOT_FOUND, an archived one CONFLICT, a missing alias NOT_FOUND", async () => {
    const a = await models();
    const b = await models();
    expect((await codeOf(admin.deployment.create({ ...P(), environment: "staging", name: depName(), modelId: a.model.id, versionId: b.v1.id }))).code).toBe("NOT_FOUND");
    expect((await codeOf(admin.deployment.create({ ...P(), environment: "staging", name: depName(), modelId: a.model.id, alias: "nope" }))).code).toBe("NOT_FOUND");
    expect((await codeOf(admin.deployment.create({ ...P(), environment: "nowhere", name: depName(), modelId: a.model.id }))).code).toBe("NOT_FOUND");
    await db().modelVersion.update({ where: { id: a.v3.id }, data: { archivedAt: new Date() } });
    expect((await codeOf(admin.deployment.create({ ...P(), environment: "staging", name: depName(), modelId: a.model.id, versionId: a.v3.id }))).code).toBe("CONFLICT");
    const dep = await admin.deployment.create({ ...P(), environment: "staging", name: depName(), modelId: a.model.id });
    expect((await codeOf(admin.deployment.replace({ ...P(), deploymentId: dep.id, versionId: b.v2.id }))).code).toBe("NOT_FOUND");
    expect((await codeOf(admin.deployment.create({ ...P(), environment: "staging", name: dep.name, modelId: a.model.id }))).code).toBe("CONFLICT");
  });
});

describe("strategies", () => {
  it("replace, canary steps, pause/resume, promote, blue/green switch and back, shadow, abort, rollback: each a generation and a ledger entry", async () => {
    const { model, v1, v2, v3 } = await models();
    const ref = { ...P(), deploymentId: (await admin.deployment.create({ ...P(), environment: "staging", name: depName(), modelId: model.id })).id };
    const d = admin.deployment;
    expect(await d.replace({ ...ref, versionId: v2.id })).toMatchObject({ stableVersionId: v2.id, generation: 2 });
    expect(await d.setCandidate({ ...ref, versionId: v3.id, strategy: "canary", candidatePercent: 5 })).toMatchObject({ candidatePercent: 5, status: "rolling_out" });
    expect(await d.setCandidate({ ...ref, versionId: v3.id, strategy: "canary", candidatePercent: 25 })).toMatchObject({ candidatePercent: 25 });
    expect((await codeOf(d.setCandidate({ ...ref, versionId: v1.id, strategy: "ab", candidatePercent: 50 }))).code).toBe("CONFLICT");
    expect((await codeOf(d.replace({ ...ref, versionId: v1.id }))).code).toBe("CONFLICT");
    expect(await d.pause(ref)).toMatchObject({ status: "paused", candidatePercent: 25 });
    expect((await codeOf(d.pause(ref))).code).toBe("CONFLICT");
    expect(await d.resume(ref)).toMatchObject({ status: "rolling_out" });
    expect(await d.promote(ref)).toMatchObject({ stableVersionId: v3.id, candidateVersionId: null, candidatePercent: 0, strategy: "direct", status: "active" });
    // Blue/green: staged at 0, switched, old kept warm as the candidate, switched back.
    expect((await codeOf(d.setCandidate({ ...ref, versionId: v1.id, strategy: "blue_green", candidatePercent: 10 }))).code).toBe("BAD_REQUEST");
    await d.setCandidate({ ...ref, versionId: v1.id, strategy: "blue_green" });
    expect(await d.switch(ref)).toMatchObject({ stableVersionId: v1.id, candidateVersionId: v3.id, candidatePercent: 0, strategy: "blue_green" });
    expect(await d.switch(ref)).toMatchObject({ stableVersionId: v3.id, candidateVersionId: v1.id });
    expect(await d.abort(ref)).toMatchObject({ stableVersionId: v3.id, candidateVersionId: null, candidatePercent: 0, status: "aborted" });
    expect((await codeOf(d.switch(ref))).code).toBe("CONFLICT");
    expect((await codeOf(d.setCandidate({ ...ref, versionId: v1.id, strategy: "shadow", candidatePercent: 5 }))).code).toBe("BAD_REQUEST");
    expect(await d.setCandidate({ ...ref, versionId: v1.id, strategy: "shadow" })).toMatchObject({ strategy: "shadow", candidatePercent: 0 });
    // Rollback: the candidate goes, and the stable version before v3 (v1 after the switch back pushed it) returns; then the one before.
    const back = await d.rollback({ ...ref, reason: "latency" });
    expect(back).toMatchObject({ stableVersionId: v1.id, candidateVersionId: null, status: "rolled_back" });
    expect((await d.rollback(ref)).stableVersionId).toBe(v3.id);
    const ledger = await d.ledger(ref);
    expect(ledger.map((e) => e.kind)).toEqual(["create", "replace", "candidate", "candidate", "pause", "resume", "promote", "candidate", "switch", "switch", "abort", "candidate", "rollback", "rollback"]);
    expect(ledger.map((e) => e.seq)).toEqual(ledger.map((_, i) => i + 1));
    expect(ledger[12]).toMatchObject({ reason: "latency", actor: `user:${w.admin1.userId}`, fromSplit: { stableVersionId: v3.id, candidateVersionId: v1.id }, toSplit: { stableVersionId: v1.id, candidateVersionId: null } });
    expect((await d.get(ref)).generation).toBe(ledger.length);
    expect(await d.verifyLedger(ref)).toMatchObject({ valid: true, entries: ledger.length, brokenAtSeq: null });
    const audit = await db().auditEvent.count({ where: { targetId: ref.deploymentId, action: { startsWith: "deployment." } } });
    expect(audit).toBe(ledger.length);
  });

  it("rollback with no earlier stable version is PRECONDITION_FAILED and writes nothing", async () => {
    const { model } = await models();
    const ref = { ...P(), deploymentId: (await admin.deployment.create({ ...P(), environment: "staging", name: depName(), modelId: model.id })).id };
    expect((await codeOf(admin.deployment.rollback(ref))).code).toBe("PRECONDITION_FAILED");
    expect(await admin.deployment.ledger(ref)).toHaveLength(1);
    expect((await admin.deployment.get(ref)).generation).toBe(1);
  });

  it("concurrent changes take turns: distinct generations, one unbroken ledger", async () => {
    const { model, v3 } = await models();
    const ref = { ...P(), deploymentId: (await admin.deployment.create({ ...P(), environment: "staging", name: depName(), modelId: model.id })).id };
    const percents = [5, 10, 20, 30, 40, 50];
    const results = await Promise.all(percents.map((p) => admin.deployment.setCandidate({ ...ref, versionId: v3.id, strategy: "canary", candidatePercent: p })));
    expect(new Set(results.map((r) => r.generation)).size).toBe(percents.length);
    expect(results.map((r) => r.generation).sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7]);
    const last = results.find((r) => r.generation === 7)!;
    expect((await admin.deployment.get(ref)).candidatePercent).toBe(last.candidatePercent);
    expect(await admin.deployment.verifyLedger(ref)).toMatchObject({ valid: true, entries: 7 });
  });

  it("racing decisions judge the state the other left: of two concurrent promotes one wins, the other is CONFLICT", async () => {
    const { model, v3 } = await models();
    const ref = { ...P(), deploymentId: (await admin.deployment.create({ ...P(), environment: "staging", name: depName(), modelId: model.id })).id };
    await admin.deployment.setCandidate({ ...ref, versionId: v3.id, strategy: "ab", candidatePercent: 50 });
    const settled = await Promise.allSettled([admin.deployment.promote(ref), admin.deployment.promote(ref), admin.deployment.promote(ref)]);
    expect(settled.filter((s) => s.status === "fulfilled")).toHaveLength(1);
    expect(settled.filter((s) => s.status === "rejected").map((s) => (s as PromiseRejectedResult).reason.code)).toEqual(["CONFLICT", "CONFLICT"]);
    expect(await admin.deployment.get(ref)).toMatchObject({ stableVersionId: v3.id, candidateVersionId: null, generation: 3 });
    expect((await admin.deployment.ledger(ref)).map((e) => e.kind)).toEqual(["create", "candidate", "promote"]);
  });

  it("a change made with an API token is recorded as that token in the ledger and the audit log", async () => {
    const { model, v3 } = await models();
    const ref = { ...P(), deploymentId: (await admin.deployment.create({ ...P(), environment: "staging", name: depName(), modelId: model.id })).id };
    const token = await mintToken(w.admin2, { orgId: w.owner.orgId, role: "ADMIN", projectId: w.project.id });
    const ci = await callerWithToken(token.secret);
    await ci.deployment.setCandidate({ ...ref, versionId: v3.id, strategy: "canary", candidatePercent: 5, reason: "CI canary" });
    const [, entry] = await admin.deployment.ledger(ref);
    expect(entry).toMatchObject({ kind: "candidate", actor: `token:${token.token.id}`, reason: "CI canary" });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { targetId: ref.deploymentId, action: "deployment.candidate" } });
    expect(audit).toMatchObject({ actorType: "token", actorId: token.token.id });
  });

  it("every committed change NOTIFYs its deployment id on the serving channel; a refused one does not", async () => {
    const { model, v2, v3 } = await models();
    const dep = await admin.deployment.create({ ...P(), environment: "production", name: depName(), modelId: model.id });
    const heard: string[] = [];
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      client.on("notification", (m) => {
        if (m.channel === DEPLOYMENTS_CHANNEL && m.payload) heard.push(m.payload);
      });
      await client.query(`LISTEN ${DEPLOYMENTS_CHANNEL}`);
      expect((await codeOf(admin.deployment.replace({ ...P(), deploymentId: dep.id, versionId: v3.id }))).code).toBe("PRECONDITION_FAILED");
      await callerAs(w.admin2).promotion.approve({ projectId: w.project.id, versionId: v2.id, comment: "ok" });
      await admin.deployment.replace({ ...P(), deploymentId: dep.id, versionId: v2.id });
      const until = Date.now() + 5000;
      while (heard.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 100));
      expect(heard).toEqual([dep.id]);
    } finally {
      await client.end();
    }
  });
});
