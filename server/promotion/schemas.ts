/** Contracts of approvals, promotion and rollback (issue 11). Free of Prisma and server-only imports. */
import { z } from "zod";
import { ZId } from "../lib/ids";
import { ZRole } from "../tenancy/schemas";

export const ZDecision = z.enum(["APPROVE", "REJECT"]);
export type Decision = z.infer<typeof ZDecision>;

const ZComment = z.string().trim().max(2000, "A comment has at most 2000 characters").default("");
const ZReason = z.string().trim().min(1, "A reason is required").max(2000, "A reason has at most 2000 characters");

export const ZVersionRefInput = z.object({ versionId: ZId });
export const ZDecideInput = z.object({ versionId: ZId, comment: ZComment });
export const ZPromoteInput = z.object({ modelId: ZId, versionId: ZId });
export const ZOverrideInput = z.object({ modelId: ZId, versionId: ZId, reason: ZReason });
export const ZRollbackInput = z.object({ modelId: ZId, reason: z.string().trim().max(2000).optional() });

/** REST bodies: the path names model and version. */
export const ZDecideBody = z.object({ comment: ZComment }).strict();
export const ZPromoteBody = z.object({ version: z.number().int().positive() }).strict();
export const ZRollbackBody = z.object({ reason: z.string().trim().max(2000).optional() }).strict();

export const ZApprovalDto = z.object({
  id: z.string(),
  gateReportId: z.string(),
  decision: ZDecision,
  comment: z.string(),
  user: z.object({ id: z.string(), name: z.string(), email: z.string() }),
  role: ZRole,
  createdAt: z.date(),
  /** Counts toward promotion now: not voided, HMAC verified, bound to the current evidence, approver still qualified. */
  valid: z.boolean(),
  /** Why it does not count (voided, tampered, another policy revision …); null when valid. */
  invalidReason: z.string().nullable(),
  voidedAt: z.date().nullable(),
  voidReason: z.string().nullable(),
});
export type ApprovalDto = z.infer<typeof ZApprovalDto>;

export const ZDecisionDto = z.object({ approval: ZApprovalDto });

export const ZGateSummaryDto = z.object({
  reportId: z.string(),
  status: z.enum(["PENDING", "RUNNING", "DONE", "FAILED"]),
  passed: z.boolean().nullable(),
  policyRevisionId: z.string(),
  policyRevision: z.number().int(),
  championVersionId: z.string().nullable(),
  sha256: z.string().nullable(),
  /** The stored JSON still hashes to sha256. */
  intact: z.boolean(),
  createdAt: z.date(),
  completedAt: z.date().nullable(),
});

export const ZPromotionStatusDto = z.object({
  versionId: z.string(),
  modelId: z.string(),
  isChampion: z.boolean(),
  championVersionId: z.string().nullable(),
  gate: ZGateSummaryDto.nullable(),
  approvals: z.array(ZApprovalDto),
  required: z.number().int(),
  minRole: ZRole,
  approvedCount: z.number().int(),
  canPromote: z.boolean(),
  blockers: z.array(z.string()),
});
export type PromotionStatusDto = z.infer<typeof ZPromotionStatusDto>;

export const ZAliasMoveDto = z.object({
  modelId: z.string(),
  alias: z.string(),
  kind: z.enum(["promote", "override", "rollback"]),
  fromVersionId: z.string().nullable(),
  toVersionId: z.string(),
  toVersionNumber: z.number().int(),
  gateReportId: z.string().nullable(),
  eventId: z.string(),
  createdAt: z.date(),
});
export type AliasMoveDto = z.infer<typeof ZAliasMoveDto>;
