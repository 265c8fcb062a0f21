/**
 * Whether a version may take traffic in an environment. The gate and approval judgement is the
 * promotion's own (server/promotion/readiness.ts: the current policy revision, its latest report,
 * which decisions count); only the champion-specific blockers (already champion, compared against
 * another champion) do not apply, since a deployment may serve any version that earned its way in.
 */
import type { Tx } from "../db";
import { AppError } from "../errors";
import { assessApprovals, currentPolicy, latestReport, reportIntact } from "../promotion/readiness";
import type { EnvironmentRequirement, VersionEvidence } from "./schemas";

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
