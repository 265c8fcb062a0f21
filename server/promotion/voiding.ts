/** Voiding decisions: they stay on record (with when and why) but no longer count toward promotion. */
import { recordAudit, type Actor } from "../audit/audit";
import type { Tx } from "../db";

/**
 * Voids the listed decisions that are not voided yet, one audit event each. The `voidedAt: null`
 * filter keeps a re-delivered event from rewriting an earlier reason.
 */
export async function voidApprovals(
  tx: Tx,
  args: { orgId: string; projectId: string; actor: Actor; approvals: { id: string; gateReportId: string; decision: string; userId: string }[]; reason: (a: { id: string }) => string; cause: Record<string, string | null> },
): Promise<number> {
  const voidedAt = new Date();
  let voided = 0;
  for (const a of args.approvals) {
    const voidReason = args.reason(a);
    const { count } = await tx.modelApproval.updateMany({ where: { id: a.id, voidedAt: null }, data: { voidedAt, voidReason } });
    if (count === 0) continue;
    voided += 1;
    await recordAudit(tx, {
      orgId: args.orgId,
      projectId: args.projectId,
      actor: args.actor,
      action: "model.approval.void",
      target: { type: "model_approval", id: a.id },
      before: { gateReportId: a.gateReportId, decision: a.decision, userId: a.userId },
      after: { voidedAt: voidedAt.toISOString(), voidReason, ...args.cause },
    });
  }
  return voided;
}
