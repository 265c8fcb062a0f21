import { z } from "zod";
import { ZEmail, ZId, ZName, ZPageInput, ZSlug } from "../lib/ids";

/** Roles, highest first. Approver rights and write access derive from the rank. */
export const ROLES = ["OWNER", "ADMIN", "MEMBER", "VIEWER"] as const;
export const ZRole = z.enum(ROLES);
export type Role = z.infer<typeof ZRole>;

const RANK: Record<Role, number> = { OWNER: 4, ADMIN: 3, MEMBER: 2, VIEWER: 1 };
export const roleAtLeast = (role: Role, min: Role) => RANK[role] >= RANK[min];

/** Roles an API token may carry: automation never owns an organisation. */
export const ZTokenRole = z.enum(["ADMIN", "MEMBER", "VIEWER"]);

export const ZOrgRef = z.object({ orgId: ZId });
export const ZProjectRef = z.object({ projectId: ZId });

export const ZOrgDto = z.object({ id: z.string(), slug: z.string(), name: z.string(), role: ZRole, createdAt: z.date() });
export type OrgDto = z.infer<typeof ZOrgDto>;

export const ZCreateOrgInput = z.object({ name: ZName, slug: ZSlug.optional() });
export const ZRenameOrgInput = ZOrgRef.extend({ name: ZName });

/** The metric that ranks a project's models, and whether smaller or larger is better. */
export const ZPrimaryMetric = z.object({
  key: z.string().trim().min(1).max(300),
  goal: z.enum(["min", "max"]),
});
export type PrimaryMetric = z.infer<typeof ZPrimaryMetric>;

export const ZProjectDto = z.object({
  id: z.string(),
  orgId: z.string(),
  orgSlug: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  primaryMetric: ZPrimaryMetric.nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type ProjectDto = z.infer<typeof ZProjectDto>;

export const ZCreateProjectInput = ZOrgRef.extend({
  name: ZName,
  slug: ZSlug.optional(),
  description: z.string().max(2000).default(""),
});
export const ZGetProjectInput = z.union([
  ZProjectRef,
  z.object({ orgSlug: z.string().min(1).max(64), projectSlug: z.string().min(1).max(64) }),
]);
export const ZRenameProjectInput = ZProjectRef.extend({ name: ZName, description: z.string().max(2000).optional() });
/** null clears the setting (tables then fall back to the test metric the runs have). */
export const ZSetPrimaryMetricInput = ZProjectRef.extend({ primaryMetric: ZPrimaryMetric.nullable() });

export const ZMemberDto = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: ZRole,
  joinedAt: z.date(),
});
export type MemberDto = z.infer<typeof ZMemberDto>;

export const ZInvitationDto = z.object({
  id: z.string(),
  email: z.string(),
  role: ZRole,
  invitedBy: z.string(),
  createdAt: z.date(),
});

export const ZMemberListDto = z.object({ members: z.array(ZMemberDto), invitations: z.array(ZInvitationDto) });

export const ZInviteInput = ZOrgRef.extend({ email: ZEmail, role: ZRole.default("MEMBER") });
/**
 * The same answer whether or not the address has an account, so that inviting reveals nothing about
 * who uses Cairn. `link` is the one-time invitation link, shown here once and never stored.
 */
export const ZInviteResult = z.object({ invitation: ZInvitationDto, link: z.string() });

/** The secret part of an invitation link (`/invite/<secret>`). */
export const ZInvitationSecret = z.string().min(20).max(100).regex(/^[A-Za-z0-9_-]+$/, "is not an invitation link");
export const ZInvitationLinkInput = z.object({ secret: ZInvitationSecret });
/** What the holder of an invitation link sees before accepting it. */
export const ZInvitationPreviewDto = z.object({
  orgName: z.string(),
  email: z.string(),
  role: ZRole,
  invitedBy: z.string(),
});
/** A pending invitation addressed to the signed-in user's account. */
export const ZMyInvitationDto = z.object({
  id: z.string(),
  orgName: z.string(),
  role: ZRole,
  invitedBy: z.string(),
  createdAt: z.date(),
});
export const ZRespondInvitationInput = z.object({ invitationId: ZId, accept: z.boolean() });
export const ZJoinedOrgDto = z.object({ orgId: z.string(), orgSlug: z.string(), role: ZRole });
export const ZSetRoleInput = ZOrgRef.extend({ userId: ZId, role: ZRole });
export const ZRemoveMemberInput = ZOrgRef.extend({ userId: ZId });
export const ZCancelInvitationInput = ZOrgRef.extend({ invitationId: ZId });

export const ZTokenDto = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  role: ZRole,
  projectId: z.string().nullable(),
  projectSlug: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.date(),
  expiresAt: z.date().nullable(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
  state: z.enum(["active", "expired", "revoked"]),
  /** "predict": valid for the serving endpoints only (of its project, or of one deployment). */
  scope: z.enum(["predict"]).nullable(),
  deploymentId: z.string().nullable(),
});
export type TokenDto = z.infer<typeof ZTokenDto>;

export const ZCreateTokenInput = ZOrgRef.extend({
  name: ZName,
  role: ZTokenRole,
  projectId: ZId.optional(),
  expiresAt: z.coerce
    .date()
    .optional()
    .refine((d) => d === undefined || d.getTime() > Date.now(), "must be in the future")
    .refine((d) => d === undefined || d.getUTCFullYear() <= 9999, "must be before the year 10000"),
  /** "predict": the token calls the serving process only (/v2/models/...), never tRPC or /api/v1. */
  scope: z.enum(["predict"]).optional(),
  /** With scope "predict": the one deployment (by name, in `projectId`) the token may call. */
  deployment: z.string().trim().min(1).max(63).optional(),
})
  .refine((v) => v.scope === undefined || v.projectId !== undefined, { message: "A predict token belongs to a project: give projectId", path: ["projectId"] })
  .refine((v) => v.deployment === undefined || v.scope === "predict", { message: "A deployment narrows a predict token: give scope \"predict\"", path: ["deployment"] });
export const ZCreatedTokenDto = z.object({ token: ZTokenDto, secret: z.string() });
export const ZListTokensInput = ZOrgRef.extend({ includeRevoked: z.boolean().default(true) });
export const ZRevokeTokenInput = ZOrgRef.extend({ tokenId: ZId });

export const ZAuditListInput = ZOrgRef.extend(ZPageInput.shape).extend({
  action: z.string().max(64).optional(),
});
