/**
 * Whether a version may take traffic in an environment. The gate and approval judgement is the
 * promotion's own (server/promotion/readiness.ts: the current policy revision, its latest report,
 * which decisions count); only the champion-specific blockers (already champion, compared against
 * another champion) do not apply, since a deployment may serve any version that earned its way in.
 */
import type { Tx } from "../db";
import { AppError } from "../errors";
import { assessApprovals, currentPolicy, latestReport, reportIntact } from "../promotion/readiness";
import type { ApprovalRecord, EnvironmentRequirement, VersionEvidence } from "./schemas";

interface VersionRef {
  id: string;
  number: number;
  sha256: string;
}

/** The version's standing now: its latest gate report under the current policy and whether its approvals are complete. */
export async function versionEvidence(tx: Tx, orgId: string, modelId: string, version: VersionRef): Promise<VersionEvidence> {
  const policy = await currentPolicy(tx, modelId);
  const latest = policy ? await latestReport(tx, version.id, policy.id) : null;
  const gatePassed = latest !== null && latest.status === "DONE" && latest.passed === true && reportIntact(latest);
  const approvals = await assessApprovals(tx, orgId, { version, policy, latest });
  const counting = approvals.filter((a) => a.valid);
  const approvedCount = counting.filter((a) => a.decision === "APPROVE").length;
  const rejected = counting.some((a) => a.decision === "REJECT");
  const requiredApprovals = policy?.rule.required ?? 0;
  return {
    versionId: version.id,
    gateReportId: latest?.id ?? null,
    gatePassed,
    approvedCount,
    requiredApprovals,
    approved: gatePassed && !rejected && approvedCount >= requiredApprovals,
  };
}

/** Throws PRECONDITION_FAILED when the evidence does not meet what the environment requires. */
export function enforceRequirement(env: { name: string; requires: EnvironmentRequirement }, version: VersionRef, ev: VersionEvidence): void {
  if (env.requires === "none") return;
  if (!ev.gatePassed) {
    throw new AppError("PRECONDITION_FAILED", `v${version.number} cannot take traffic in "${env.name}": it needs a passed gate under the model's current policy`);
  }
  if (env.requires === "approved" && !ev.approved) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `v${version.number} cannot take traffic in "${env.name}": it needs completed approvals (${ev.approvedCount} of ${ev.requiredApprovals}, and no standing rejection)`,
    );
  }
}

/**
 * For the ledger: the approvals that count for the version now (the promotion's own judgement), or
 * what let it in without them: a gate policy asking for none, or an environment that does not ask.
 */
export async function approvalRecord(tx: Tx, orgId: string, modelId: string, version: VersionRef, env: { name: string; requires: EnvironmentRequirement }): Promise<ApprovalRecord> {
  const policy = await currentPolicy(tx, modelId);
  const latest = policy ? await latestReport(tx, version.id, policy.id) : null;
  const counting = (await assessApprovals(tx, orgId, { version, policy, latest })).filter((a) => a.valid);
  const approvals = counting.map((a) => ({ id: a.id, userId: a.user.id, user: a.user.name || a.user.email, role: a.role, decision: a.decision, at: a.createdAt.toISOString() }));
  const required = policy?.rule.required ?? 0;
  const approvedCount = counting.filter((a) => a.decision === "APPROVE").length;
  const rejected = counting.some((a) => a.decision === "REJECT");
  const base = { required, policyRevision: policy?.revision ?? null, environment: env, approvals };
  if (required > 0 && approvedCount >= required && !rejected) return { ...base, status: "approved", waivedBy: null };
  const waivedBy = !policy
    ? "the model has no gate policy"
    : required === 0
      ? `gate policy revision ${policy.revision} requires no approvals`
      : `environment "${env.name}" (requires ${env.requires.replace("_", " ")}) lets versions in without approvals`;
  return { ...base, status: "waived", waivedBy };
}
