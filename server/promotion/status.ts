/** Where a version stands on its way to champion: for the UI's approvals panel and for CI scripts. */
import { db } from "../db";
import { getModelVersionRow } from "../registry/lookup";
import { championOf } from "./champion";
import { assessPromotion, reportIntact } from "./readiness";
import type { PromotionStatusDto } from "./schemas";

/** The latest gate report, every decision with whether it counts, and what still blocks promotion. */
export async function promotionStatus(args: { projectId: string; orgId: string; versionId: string }): Promise<PromotionStatusDto> {
  return db().$transaction(async (tx) => {
    const version = await getModelVersionRow(args.projectId, args.versionId, tx);
    const champion = await championOf(tx, version.modelId);
    const r = await assessPromotion(tx, { orgId: args.orgId, modelId: version.modelId, version, championVersionId: champion });
    const gate = r.latest && r.policy
      ? {
          reportId: r.latest.id,
          status: r.latest.status,
          passed: r.latest.passed,
          policyRevisionId: r.policy.id,
          policyRevision: r.policy.revision,
          championVersionId: r.latest.championVersionId,
          sha256: r.latest.sha256,
          intact: reportIntact(r.latest),
          createdAt: r.latest.createdAt,
          completedAt: r.latest.completedAt,
        }
      : null;
    return {
      versionId: version.id,
      modelId: version.modelId,
      isChampion: champion === version.id,
      championVersionId: champion,
      gate,
      approvals: r.approvals,
      required: r.policy?.rule.required ?? 0,
      minRole: r.policy?.rule.min_role ?? "ADMIN",
      approvedCount: r.approvedCount,
      canPromote: r.blockers.length === 0,
      blockers: r.blockers.map((b) => b.message),
    };
  });
}
