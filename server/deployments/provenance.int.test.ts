/**
 * Provenance on ledger entries: the approvals that counted when a version took traffic (judged by the
 * promotion's own rules in the change's transaction), or what waived them, written with the entry and
 * covered by its hash.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db";
import { callerAs } from "../testing/factories";
import { addReport, addVersion, createModel, promotionWorld, setChampion, type PromotionWorld } from "../testing/promotion";
import { setCandidate } from "./changes";
import { createDeployment } from "./deployments";
import { listLedger, verifyLedger } from "./ledger";
import type { ProvenanceInput } from "./schemas";

let w: PromotionWorld;
const actor = () => ({ type: "system" as const, id: null, label: "pipeline retrain #1" });

beforeAll(async () => {
  w = await promotionWorld();
});

const provenanceFor = (v: { id: string; number: number }, model: string, reportId: string): ProvenanceInput => ({
  pipelineRun: { id: "run-1", pipeline: "retrain", number: 1, trigger: "monitor", triggerInfo: { alertId: "inc-1", monitor: "eta" } },
  incident: { id: "inc-1", monitor: "eta", title: "Data drift on eta" },
  modelVersion: { id: v.id, model, number: v.number },
  gate: { reportId, passed: true },
});

/** Champion v1 (approved) and v2 (gate passed), under a policy asking for one ADMIN approval. */
async function world() {
  const { model, policy } = await createModel(w, { required: 1, min_role: "ADMIN" });
  const v1 = await addVersion(w, model.id);
  await setChampion(model.id, v1.id);
  const v2 = await addVersion(w, model.id);
  await addReport(w.project.id, v1, { policyRevisionId: policy.id, passed: true, championVersionId: null });
  const r2 = await addReport(w.project.id, v2, { policyRevisionId: policy.id, passed: true, championVersionId: v1.id });
  await callerAs(w.admin2).promotion.approve({ projectId: w.project.id, versionId: v1.id, comment: "ok" });
  return { model, v1, v2, r2 };
}

describe("ledger provenance", () => {
  it("in an environment that requires approvals, the canary's entry lists the approval that counted", async () => {
    const { model, v1, v2, r2 } = await world();
    const base = { orgId: w.owner.orgId, projectId: w.project.id, actor: actor() };
    const d = await createDeployment({ ...base, environment: "production", name: `prod-${Date.now().toString(36)}`, modelId: model.id, versionId: v1.id });
    await callerAs(w.admin3).promotion.approve({ projectId: w.project.id, versionId: v2.id, comment: "looks right" });
    await setCandidate({ ...base, deploymentId: d.id, versionId: v2.id, strategy: "canary", candidatePercent: 0, rollout: undefined, provenance: provenanceFor(v2, model.name, r2.id) });
    const entries = await listLedger({ projectId: w.project.id, deploymentId: d.id });
    const approval = entries.at(-1)!.provenance!.approval;
    const approvalRow = await db().modelApproval.findFirstOrThrow({ where: { versionId: v2.id } });
    expect(approval).toMatchObject({ status: "approved", required: 1, policyRevision: 1, environment: { name: "production", requires: "approved" }, waivedBy: null });
    expect(approval.approvals).toEqual([{ id: approvalRow.id, userId: w.admin3.userId, user: expect.any(String), role: "ADMIN", decision: "APPROVE", at: approvalRow.createdAt.toISOString() }]);
    expect(entries.at(-1)!.provenance!.gate).toEqual({ reportId: r2.id, passed: true });
    expect(await verifyLedger({ projectId: w.project.id, deploymentId: d.id })).toMatchObject({ valid: true, entries: 2 });
  });

  it("in an environment that asks for a passed gate only, the entry says the environment waived the missing approval", async () => {
    const { model, v1, v2, r2 } = await world();
    const base = { orgId: w.owner.orgId, projectId: w.project.id, actor: actor() };
    const env = await callerAs(w.admin1).deployment.createEnvironment({ projectId: w.project.id, name: `qa-${Date.now().toString(36)}`, requires: "gate_passed" });
    const d = await createDeployment({ ...base, environment: env.name, name: `qa-${Date.now().toString(36)}`, modelId: model.id, versionId: v1.id });
    await setCandidate({ ...base, deploymentId: d.id, versionId: v2.id, strategy: "canary", candidatePercent: 5, rollout: undefined, provenance: provenanceFor(v2, model.name, r2.id) });
    const last = (await listLedger({ projectId: w.project.id, deploymentId: d.id })).at(-1)!;
    expect(last.provenance!.approval).toEqual({
      status: "waived",
      required: 1,
      policyRevision: 1,
      environment: { name: env.name, requires: "gate_passed" },
      approvals: [],
      waivedBy: `environment "${env.name}" (requires gate passed) lets versions in without approvals`,
    });
    expect(last.provenance!.incident).toEqual({ id: "inc-1", monitor: "eta", title: "Data drift on eta" });
  });

  it("a provenance naming a version the change does not serve is refused and nothing is written", async () => {
    const { model, v1, v2, r2 } = await world();
    const base = { orgId: w.owner.orgId, projectId: w.project.id, actor: actor() };
    const d = await createDeployment({ ...base, environment: "staging", name: `st-${Date.now().toString(36)}`, modelId: model.id, versionId: v1.id });
    const other = await addVersion(w, model.id);
    await expect(setCandidate({ ...base, deploymentId: d.id, versionId: v2.id, strategy: "ab", candidatePercent: 50, rollout: undefined, provenance: provenanceFor(other, model.name, r2.id) })).rejects.toThrow(/does not serve/);
    expect((await listLedger({ projectId: w.project.id, deploymentId: d.id })).map((e) => e.kind)).toEqual(["create"]);
    expect((await db().deployment.findUniqueOrThrow({ where: { id: d.id } })).candidateVersionId).toBeNull();
  });
});
