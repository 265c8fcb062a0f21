/** Contracts of environments, deployments and the deployment ledger (issue 12). Free of Prisma and server-only imports. */
import { z } from "zod";
import { ZId } from "../lib/ids";

/** The Postgres NOTIFY channel every deployment change is announced on; the payload is the deployment id. */
export const DEPLOYMENTS_CHANNEL = "cairn_deployments";

export const ENVIRONMENT_REQUIREMENTS = ["none", "gate_passed", "approved"] as const;
export const ZEnvironmentRequirement = z.enum(ENVIRONMENT_REQUIREMENTS);
export type EnvironmentRequirement = z.infer<typeof ZEnvironmentRequirement>;

export const DEPLOYMENT_STRATEGIES = ["direct", "canary", "blue_green", "shadow", "ab"] as const;
export const ZDeploymentStrategy = z.enum(DEPLOYMENT_STRATEGIES);
export type DeploymentStrategy = z.infer<typeof ZDeploymentStrategy>;
export const CANDIDATE_STRATEGIES = ["canary", "blue_green", "shadow", "ab"] as const;
export const ZCandidateStrategy = z.enum(CANDIDATE_STRATEGIES);

export const DEPLOYMENT_STATUSES = ["active", "rolling_out", "paused", "aborted", "rolled_back"] as const;
export const ZDeploymentStatus = z.enum(DEPLOYMENT_STATUSES);
export type DeploymentStatus = z.infer<typeof ZDeploymentStatus>;

export const LEDGER_KINDS = ["create", "replace", "candidate", "switch", "switch_back", "pause", "resume", "abort", "promote", "rollback"] as const;
export const ZLedgerKind = z.enum(LEDGER_KINDS);
export type LedgerKind = z.infer<typeof ZLedgerKind>;

/** Environment and deployment names: they appear in URLs (/v2/models/{name}). */
export const ZDeploymentName = z
  .string()
  .trim()
  .min(1, "A name is required")
  .max(63, "A name has at most 63 characters")
  .regex(/^[a-z0-9][a-z0-9_.-]*$/, "Use lower-case letters, digits, '-', '_' and '.', starting with a letter or digit");

/** Who answers: the stable version, and a candidate with the share of requests it answers. */
export const ZSplit = z.object({
  strategy: ZDeploymentStrategy,
  stableVersionId: z.string(),
  candidateVersionId: z.string().nullable(),
  candidatePercent: z.number().int().min(0).max(100),
});
export type Split = z.infer<typeof ZSplit>;

/** What a version that takes traffic had when it was let in: its latest gate report and approvals. */
export const ZVersionEvidence = z.object({
  versionId: z.string(),
  gateReportId: z.string().nullable(),
  gatePassed: z.boolean(),
  approvedCount: z.number().int(),
  requiredApprovals: z.number().int(),
  approved: z.boolean(),
});
export type VersionEvidence = z.infer<typeof ZVersionEvidence>;

export const ZEnvironmentDto = z.object({
  id: z.string(),
  projectId: z.string(),
  name: z.string(),
  requires: ZEnvironmentRequirement,
  deploymentCount: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type EnvironmentDto = z.infer<typeof ZEnvironmentDto>;

export const ZCreateEnvironmentInput = z.object({ projectId: ZId, name: ZDeploymentName, requires: ZEnvironmentRequirement.default("none") });
export const ZUpdateEnvironmentInput = z.object({ projectId: ZId, environmentId: ZId, requires: ZEnvironmentRequirement });
export const ZEnvironmentRefInput = z.object({ projectId: ZId, environmentId: ZId });

export const ZLedgerEntryDto = z.object({
  seq: z.number().int(),
  kind: z.string(),
  actor: z.string(),
  fromSplit: ZSplit.nullable(),
  toSplit: ZSplit.nullable(),
  evidence: z.unknown(),
  reason: z.string().nullable(),
  prevHash: z.string(),
  hash: z.string(),
  createdAt: z.date(),
});
export type LedgerEntryDto = z.infer<typeof ZLedgerEntryDto>;

export const ZLedgerVerificationDto = z.object({
  deploymentId: z.string(),
  entries: z.number().int(),
  valid: z.boolean(),
  /** The first entry whose hash or link does not verify (or whose seq is out of order); null when valid. */
  brokenAtSeq: z.number().int().nullable(),
  headHash: z.string().nullable(),
});
export type LedgerVerificationDto = z.infer<typeof ZLedgerVerificationDto>;

export const ZDeploymentDto = z.object({
  id: z.string(),
  projectId: z.string(),
  environment: z.object({ id: z.string(), name: z.string(), requires: ZEnvironmentRequirement }),
  name: z.string(),
  modelId: z.string(),
  strategy: ZDeploymentStrategy,
  status: ZDeploymentStatus,
  stableVersionId: z.string(),
  candidateVersionId: z.string().nullable(),
  candidatePercent: z.number().int(),
  logSampleRate: z.number(),
  generation: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type DeploymentDto = z.infer<typeof ZDeploymentDto>;

const ZReason = z.string().trim().max(2000, "A reason has at most 2000 characters").optional();
/** A version by id, or by alias of the deployment's model (the champion when neither is given). */
const ZVersionChoice = { versionId: ZId.optional(), alias: z.string().trim().min(1).max(63).optional() };
const noBoth = (v: { versionId?: string; alias?: string }) => !(v.versionId && v.alias);
const BOTH = { message: "Give a versionId or an alias, not both", path: ["alias"] };

export const ZCreateDeploymentInput = z
  .object({ projectId: ZId, environment: ZDeploymentName, name: ZDeploymentName, modelId: ZId, ...ZVersionChoice, reason: ZReason })
  .refine(noBoth, BOTH);
export const ZDeploymentRefInput = z.object({ projectId: ZId, deploymentId: ZId });
export const ZListDeploymentsInput = z.object({ projectId: ZId, environmentId: ZId.optional() });
export const ZDeploymentActionInput = ZDeploymentRefInput.extend({ reason: ZReason });
export const ZReplaceInput = ZDeploymentActionInput.extend(ZVersionChoice).refine(noBoth, BOTH);
export const ZSetCandidateInput = ZDeploymentActionInput.extend({
  ...ZVersionChoice,
  strategy: ZCandidateStrategy,
  candidatePercent: z.number().int().min(0, "candidatePercent is 0-100").max(100, "candidatePercent is 0-100").default(0),
})
  .refine(noBoth, BOTH)
  .refine((v) => !(v.strategy === "blue_green" || v.strategy === "shadow") || v.candidatePercent === 0, {
    message: "blue_green and shadow candidates answer no requests (candidatePercent 0): blue_green takes traffic on switch, shadow only scores mirrored requests",
    path: ["candidatePercent"],
  });
export type SetCandidateInput = z.infer<typeof ZSetCandidateInput>;
