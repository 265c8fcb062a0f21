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

export const LEDGER_KINDS = ["create", "replace", "candidate", "switch", "switch_back", "pause", "resume", "abort", "promote", "rollback", "step", "auto_rollback"] as const;
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

/**
 * How a version that a pipeline deployed came to be there, written into its ledger entry's evidence
 * (`evidence.provenance`): the run (and what triggered it, e.g. a monitor's incident), the version, the
 * gate report the pipeline ran, and the approvals that counted or what waived them.
 */
export const ZProvenanceInput = z.object({
  pipelineRun: z.object({ id: z.string(), pipeline: z.string(), number: z.number().int(), trigger: z.string(), triggerInfo: z.record(z.string(), z.unknown()) }),
  /** The monitor incident that started the run (trigger "monitor"), with its title when it was written. */
  incident: z.object({ id: z.string(), monitor: z.string(), title: z.string().nullable() }).nullable(),
  modelVersion: z.object({ id: z.string(), model: z.string(), number: z.number().int() }),
  gate: z.object({ reportId: z.string(), passed: z.boolean().nullable() }).nullable(),
});
export type ProvenanceInput = z.infer<typeof ZProvenanceInput>;

/** The human review a version had when it took traffic: the decisions that counted, or what made none necessary. */
export const ZApprovalRecord = z.object({
  status: z.enum(["approved", "waived"]),
  /** Approvals the model's current gate policy asks for (0 without a policy). */
  required: z.number().int(),
  policyRevision: z.number().int().nullable(),
  environment: z.object({ name: z.string(), requires: ZEnvironmentRequirement }),
  approvals: z.array(z.object({ id: z.string(), userId: z.string(), user: z.string(), role: z.string(), decision: z.string(), at: z.string() })),
  /** Why no (or not enough) approvals were needed, e.g. "gate policy revision 2 requires no approvals"; null when approved. */
  waivedBy: z.string().nullable(),
});
export type ApprovalRecord = z.infer<typeof ZApprovalRecord>;

export const ZLedgerProvenance = ZProvenanceInput.extend({ approval: ZApprovalRecord });
export type LedgerProvenance = z.infer<typeof ZLedgerProvenance>;

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
  /** `evidence.provenance` read through its schema: set on entries a pipeline's deploy step wrote. */
  provenance: ZLedgerProvenance.nullable(),
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

// ---------------------------------------------------------------------------------------------
// Rollouts, health, shadow and A/B (issue 12, second half). Contracts shared by the rollout job,
// the analysis services, tRPC, REST and the Deployments UI.

/** Health limits a canary step must stay within; judged on the step's window, candidate against stable. */
export const ZHealthLimits = z.object({
  /** Candidate server-error share above this fails the step. */
  maxErrorRate: z.number().min(0).max(1).default(0.01),
  /** Candidate p95 latency over stable p95 above this fails the step. */
  maxP95Ratio: z.number().min(1).max(100).default(1.5),
  /** Candidate requests needed in the step before it is judged (fewer: "insufficient", the step holds). */
  minRequests: z.number().int().min(1).max(1_000_000).default(50),
  /** Online metric from feedback labels, judged once `minLabels` labelled rows per arm arrived. */
  metric: z
    .object({
      name: z.string().min(1).max(64),
      /** Largest tolerated degradation of the candidate against stable, in the metric's units. */
      maxDegradation: z.number().min(0),
      minLabels: z.number().int().min(1).max(1_000_000).default(100),
    })
    .nullable()
    .default(null),
});
export type HealthLimits = z.infer<typeof ZHealthLimits>;

/** Canary settings: candidate share per step, bake time per step, health limits, automatic rollback. */
export const ZRolloutConfig = z.object({
  steps: z
    .array(z.number().int().min(1, "A step is 1-100 %").max(100, "A step is 1-100 %"))
    .min(1)
    .max(20)
    .refine((s) => s.every((v, i) => i === 0 || v > s[i - 1]!), "Steps must increase")
    .default([5, 25, 50, 100]),
  bakeSeconds: z.number().int().min(1).max(7 * 86_400).default(300),
  health: ZHealthLimits.prefault({}),
  autoRollback: z.boolean().default(true),
});
export type RolloutConfig = z.infer<typeof ZRolloutConfig>;

/** One arm's figures over a window (from serving health samples and feedback). */
export const ZArmHealth = z.object({
  versionId: z.string(),
  requests: z.number().int(),
  errors: z.number().int(),
  errorRate: z.number().nullable(),
  p95Ms: z.number().nullable(),
  metric: z.object({ name: z.string(), value: z.number().nullable(), labels: z.number().int() }).nullable(),
});
export type ArmHealth = z.infer<typeof ZArmHealth>;

export const ZHealthVerdict = z.enum(["healthy", "failing", "insufficient"]);
export const ZHealthCheck = z.object({
  at: z.string(),
  windowStart: z.string(),
  stable: ZArmHealth,
  candidate: ZArmHealth,
  verdict: ZHealthVerdict,
  /** Why failing or insufficient, one line per limit, e.g. "error rate 4.0 % > 1.0 %". */
  reasons: z.array(z.string()),
});
export type HealthCheck = z.infer<typeof ZHealthCheck>;

/** Stored in Deployment.rollout while a canary runs: its settings and progress. */
export const ZRolloutState = z.object({
  config: ZRolloutConfig,
  /** Index into config.steps of the step now serving. */
  step: z.number().int().min(0),
  stepStartedAt: z.string(),
  lastCheck: ZHealthCheck.nullable(),
});
export type RolloutState = z.infer<typeof ZRolloutState>;

export const ZDeploymentDto = z.object({
  id: z.string(),
  projectId: z.string(),
  environment: z.object({ id: z.string(), name: z.string(), requires: ZEnvironmentRequirement }),
  name: z.string(),
  modelId: z.string(),
  modelName: z.string(),
  strategy: ZDeploymentStrategy,
  status: ZDeploymentStatus,
  stableVersionId: z.string(),
  /** Version numbers of the stable version and the candidate, as the registry shows them. */
  stableVersion: z.number().int(),
  candidateVersionId: z.string().nullable(),
  candidateVersion: z.number().int().nullable(),
  candidatePercent: z.number().int(),
  logSampleRate: z.number(),
  /** Canary progress while one runs (null otherwise). */
  rollout: ZRolloutState.nullable(),
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
  /** Canary only: steps, bake time and health limits; the rollout job then moves candidatePercent (its first step replaces candidatePercent). */
  rollout: ZRolloutConfig.optional(),
})
  .refine(noBoth, BOTH)
  .refine((v) => v.strategy === "canary" || v.rollout === undefined, { message: "Rollout steps apply to canary only", path: ["rollout"] })
  .refine((v) => !(v.strategy === "blue_green" || v.strategy === "shadow") || v.candidatePercent === 0, {
    message: "blue_green and shadow candidates answer no requests (candidatePercent 0): blue_green takes traffic on switch, shadow only scores mirrored requests",
    path: ["candidatePercent"],
  });
export type SetCandidateInput = z.infer<typeof ZSetCandidateInput>;

/** Request rate, errors and latency per version over time, from the serving processes' health samples. */
export const ZHealthSeriesInput = ZDeploymentRefInput.extend({ minutes: z.number().int().min(1).max(7 * 24 * 60).default(60) });
export const ZHealthPoint = z.object({ t: z.string(), versionId: z.string(), requests: z.number().int(), errors: z.number().int(), p50Ms: z.number().nullable(), p95Ms: z.number().nullable() });
export const ZHealthSeriesDto = z.object({
  deploymentId: z.string(),
  bucketSeconds: z.number().int(),
  from: z.string(),
  to: z.string(),
  versions: z.array(z.object({ versionId: z.string(), number: z.number().int(), role: z.enum(["stable", "candidate", "previous"]) })),
  points: z.array(ZHealthPoint),
});
export type HealthSeriesDto = z.infer<typeof ZHealthSeriesDto>;

/** Shadow comparison: stable's answers against the candidate's on the same mirrored requests. */
export const ZShadowReportInput = ZDeploymentRefInput.extend({
  /** Feature whose values split the comparison into segments (the model's first categorical when absent). */
  segmentBy: z.string().min(1).max(200).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
});
/** REST query of GET …/deployments/{name}/shadow (the deployment comes from the path). */
export const ZShadowReportQuery = ZShadowReportInput.pick({ segmentBy: true, since: true });
export const ZShadowSegment = z.object({ value: z.string(), pairs: z.number().int(), agreementRate: z.number().nullable(), meanAbsDiff: z.number().nullable() });
export const ZShadowReportDto = z.object({
  deploymentId: z.string(),
  stableVersionId: z.string(),
  candidateVersionId: z.string().nullable(),
  /** Rows scored by both (primary and shadow entries joined by request id and row). */
  pairs: z.number().int(),
  /** How agreement is defined for this task, e.g. "same class" or "|Δ| ≤ 5 % of stable's spread". */
  agreementRule: z.string(),
  agreementRate: z.number().nullable(),
  diff: z.object({ meanAbs: z.number(), p95Abs: z.number(), maxAbs: z.number(), meanSigned: z.number() }).nullable(),
  segmentBy: z.string().nullable(),
  segments: z.array(ZShadowSegment),
  /** The log window compared: from `since` (default the last 7 days), at most `maxRequests` latest requests; `capped` when older ones in the window were left out. */
  window: z.object({ since: z.string(), maxRequests: z.number().int(), capped: z.boolean() }).optional(),
});
export type ShadowReportDto = z.infer<typeof ZShadowReportDto>;

/** A/B comparison on feedback labels with an always-valid (anytime) confidence interval. */
export const ZAbReportInput = ZDeploymentRefInput.extend({
  metric: z.string().min(1).max(64).optional(),
  alpha: z.number().gt(0).lt(0.5).default(0.05),
});
/** REST query of GET …/deployments/{name}/ab: `alpha` arrives as text. */
export const ZAbReportQuery = z
  .object({ metric: ZAbReportInput.shape.metric, alpha: z.coerce.number().gt(0, "alpha lies in (0, 0.5)").lt(0.5, "alpha lies in (0, 0.5)").default(0.05) });
export const ZAbArm = z.object({ arm: z.enum(["stable", "candidate"]), versionId: z.string(), requests: z.number().int(), labelled: z.number().int(), value: z.number().nullable() });
export const ZAbReportDto = z.object({
  deploymentId: z.string(),
  metric: z.string(),
  lowerIsBetter: z.boolean(),
  alpha: z.number(),
  arms: z.array(ZAbArm),
  /** Candidate minus stable, per labelled row, with the always-valid interval at 1 - alpha. */
  difference: z.object({ estimate: z.number(), lower: z.number(), upper: z.number() }).nullable(),
  verdict: z.enum(["candidate_better", "stable_better", "no_difference_yet", "insufficient"]),
  method: z.string(),
  /** Start of the compared window: the current candidate's latest "candidate" ledger entry (null: the whole log, no candidate). */
  since: z.string().nullable().optional(),
});
export type AbReportDto = z.infer<typeof ZAbReportDto>;

/** Moves a canary to its next step now (the user's "advance"); at the last step the candidate is promoted. */
export const ZAdvanceInput = ZDeploymentActionInput;

/** Where callers reach the serving processes (CAIRN_SERVE_PUBLIC_URL): the Deployments pages build each endpoint from it. */
export const ZServingUrlDto = z.object({ baseUrl: z.string() });
