/**
 * A gate re-run with another outcome voids the decisions made on the earlier outcome. Promotion does
 * not wait for this (it re-checks every decision itself); voiding makes the record say so, audited.
 */
import { SYSTEM_ACTOR } from "../audit/audit";
import { defineConsumer, gateReportCompleted } from "../events/definitions";
import { voidApprovals } from "./voiding";

const outcome = (passed: boolean | null) => (passed === true ? "passed" : passed === false ? "failed" : "had no outcome");

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
    const passedOf = new Map(stale.map((a) => [a.id, a.report.passed]));
    await voidApprovals(tx, {
      orgId: project.orgId,
      projectId: meta.projectId,
      actor: SYSTEM_ACTOR,
      approvals: stale,
      reason: (a) => `the gate was re-run and ${outcome(report.passed)} (report ${report.id}); this decision was made when it ${outcome(passedOf.get(a.id) ?? null)}`,
      cause: { byReportId: report.id },
    });
  }),
];
