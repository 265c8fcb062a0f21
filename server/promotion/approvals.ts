/**
 * Approve or reject a model version: a person's immutable decision, bound to the latest gate report
 * under the model's current policy revision by the report's and the model's SHA-256 and an HMAC.
 */
import { recordAudit, type Actor } from "../audit/audit";
import { db } from "../db";
import { AppError, isUniqueViolation } from "../errors";
import { modelVersionApproved } from "../events/definitions";
import { emitEvent } from "../events/outbox";
import { getModelRow, getModelVersionRow } from "../registry/lookup";
import { roleAtLeast, type Role } from "../tenancy/schemas";
import { signApproval } from "./evidence";
import { authorsOf, reviewerOf } from "./people";
import { assessApprovals, currentPolicy, latestReport, reportIntact } from "./readiness";
import type { ApprovalDto, Decision } from "./schemas";

export interface DecideArgs {
  projectId: string;
  orgId: string;
  versionId: string;
  decision: Decision;
  comment: string;
  actor: Actor;
  /** The caller's role in the organisation (a token's role, capped by its member's). */
  role: Role;
}

/** Records one reviewer's decision on the version's current gate report; CONFLICT on a second one. */
export async function decide(args: DecideArgs): Promise<ApprovalDto> {
  try {
    return await db().$transaction(async (tx) => {
      const version = await getModelVersionRow(args.projectId, args.versionId, tx);
      const model = await getModelRow(args.projectId, version.modelId, tx);
      const reviewer = await reviewerOf(tx, args.orgId, args.actor);
      if (version.archivedAt) throw new AppError("PRECONDITION_FAILED", `v${version.number} is archived: there is nothing to decide`);

      const policy = await currentPolicy(tx, model.id);
      if (!policy) throw new AppError("PRECONDITION_FAILED", "The model has no gate policy: a decision needs a gate report to be bound to");
      const report = await latestReport(tx, version.id, policy.id);
      if (!report) throw new AppError("PRECONDITION_FAILED", `v${version.number} has no gate report under policy revision ${policy.revision}: run the gate first`);
      if (report.status !== "DONE") throw new AppError("PRECONDITION_FAILED", `The latest gate report of v${version.number} is ${report.status}; decide once it is done`);
      if (!reportIntact(report)) throw new AppError("PRECONDITION_FAILED", "The gate report no longer matches its stored hash: re-run the gate");
      // Approving a failed gate would be evidence of nothing; rejecting one is still a person's record.
      if (args.decision === "APPROVE" && report.passed !== true) throw new AppError("PRECONDITION_FAILED", `The gate of v${version.number} did not pass: it cannot be approved`);

      if (!roleAtLeast(args.role, policy.rule.min_role)) {
        throw new AppError("FORBIDDEN", `The gate policy needs ${policy.rule.min_role} or higher to approve or reject; your role is ${args.role}`);
      }
      const { creator, runAuthor } = await authorsOf(tx, args.orgId, version);
      if (creator.has(reviewer.userId)) throw new AppError("FORBIDDEN", `You registered v${version.number}: its creator cannot approve or reject it (separation of duties)`);
      if (runAuthor.has(reviewer.userId)) throw new AppError("FORBIDDEN", `You started the run v${version.number} came from: its author cannot approve or reject it (separation of duties)`);

      const evidence = {
        versionId: version.id,
        gateReportId: report.id,
        reportSha256: report.sha256!,
        modelSha256: version.sha256,
        decision: args.decision,
        userId: reviewer.userId,
        role: args.role,
        comment: args.comment,
        createdAt: new Date(),
      };
      const row = await tx.modelApproval.create({ data: { ...evidence, hmac: signApproval(evidence) } });
      await recordAudit(tx, {
        orgId: args.orgId,
        projectId: args.projectId,
        actor: args.actor,
        action: args.decision === "APPROVE" ? "model.version.approve" : "model.version.reject",
        target: { type: "model_version", id: version.id, label: `${model.name} v${version.number}` },
        after: { approvalId: row.id, gateReportId: report.id, reportSha256: evidence.reportSha256, modelSha256: evidence.modelSha256, userId: reviewer.userId, comment: args.comment },
      });
      await emitEvent(tx, modelVersionApproved, {
        projectId: args.projectId,
        payload: { modelId: model.id, versionId: version.id, approvalId: row.id, decision: args.decision },
      });
      const all = await assessApprovals(tx, args.orgId, { version, policy, latest: report });
      return all.find((a) => a.id === row.id)!;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", "You already decided on this gate report; a decision cannot be changed (re-running the gate allows a new one)");
    throw err;
  }
}

/** Every decision on a version, newest first, with whether it counts toward promotion now. */
export async function listApprovals(args: { projectId: string; orgId: string; versionId: string }): Promise<ApprovalDto[]> {
  return db().$transaction(async (tx) => {
    const version = await getModelVersionRow(args.projectId, args.versionId, tx);
    const policy = await currentPolicy(tx, version.modelId);
    const latest = policy ? await latestReport(tx, version.id, policy.id) : null;
    return assessApprovals(tx, args.orgId, { version, policy, latest });
  });
}
