/**
 * A gate re-run with another outcome voids the decisions made on the earlier outcome. Promotion does
 * not wait for this (it re-checks every decision itself); voiding makes the record say so, audited.
 */
import { recordAudit, SYSTEM_ACTOR } from "../audit/audit";
import { defineConsumer, gateReportCompleted } from "../events/definitions";

const outcome = (passed: boolean) => (passed ? "passed" : "failed");

export const PROMOTION_CONSUMERS = [
  defineConsumer(gateReportCompleted, "promotion.void-stale-approvals", async (tx, { reportId, versionId }, meta) => {
    // The stored report decides, not the payload: a FAILED evaluation (no outcome) voids nothing.
    const report = await tx.gateReport.findFirst({ where: { id: reportId, versionId, projectId: meta.projectId }, select: { id: true, status: true, passed: true, createdAt: true } });
    if (!report || report.status !== "DONE" || report.passed === null) return;
    const stale = await tx.modelApproval.findMany({
      where: { versionId, voidedAt: null, gateReportId: { not: report.id }, report: { passed: { not: report.passed }, createdAt: { lte: report.createdAt } } },
      include: { report: { select: { passed: true } } },
    });
    if (stale.length === 0) return;
    const project = await tx.project.findUniqueOrThrow({ where: { id: meta.projectId }, select: { orgId: true } });
    const voidedAt = new Date();
    for (const a of stale) {
      const voidReason = `the gate was re-run and ${outcome(report.passed)} (report ${report.id}); this decision was made when it ${a.report.passed === null ? "had no outcome" : outcome(a.report.passed)}`;
      // voidedAt: null in the filter keeps a re-delivery from rewriting an earlier reason.
      const { count } = await tx.modelApproval.updateMany({ where: { id: a.id, voidedAt: null }, data: { voidedAt, voidReason } });
      if (count === 0) continue;
      await recordAudit(tx, {
        orgId: project.orgId,
        projectId: meta.projectId,
        actor: SYSTEM_ACTOR,
        action: "model.approval.void",
        target: { type: "model_approval", id: a.id },
        before: { gateReportId: a.gateReportId, decision: a.decision, userId: a.userId },
        after: { voidedAt: voidedAt.toISOString(), voidReason, byReportId: report.id },
      });
    }
  }),
];
