/** Contracts of gate policies and gate reports (inputs, DTOs, the stored report JSON). No server imports. */
import { z } from "zod";
import { ZId } from "../lib/ids";
import { ZModelTask } from "../registry/names";
import { ZGatePolicy } from "./policy";

/** Policy YAML is small; the cap bounds parsing and the revision diff. */
export const MAX_POLICY_YAML = 64 * 1024;

export const ZModelRef = z.object({ projectId: ZId, modelId: ZId });
export const ZVersionRef = z.object({ projectId: ZId, versionId: ZId });

export const ZSavePolicyInput = ZModelRef.extend({
  /** The policy as YAML (kept verbatim as the revision's text) or as the form's object; exactly one. */
  yaml: z.string().max(MAX_POLICY_YAML, "A policy's YAML is at most 64 KiB").optional(),
  policy: ZGatePolicy.optional(),
  comment: z.string().trim().max(500).default(""),
}).refine((i) => (i.yaml === undefined) !== (i.policy === undefined), { message: "Send the policy either as yaml or as policy", path: ["yaml"] });
export type SavePolicyInput = z.input<typeof ZSavePolicyInput>;

export const ZDiffRevisionsInput = ZModelRef.extend({ from: z.number().int().min(0), to: z.number().int().min(1) });
export const ZDefaultPolicyInput = ZModelRef;
export const ZReportsInput = ZVersionRef.extend({ limit: z.number().int().min(1).max(100).default(20) });
export const ZReportInput = z.object({ projectId: ZId, reportId: ZId });
export const ZCompareInput = z.object({ projectId: ZId, versionId: ZId, otherVersionId: ZId });

const ZAuthor = z.object({ id: z.string(), name: z.string() });

export const ZPolicyDto = z.object({
  modelId: z.string(),
  task: z.enum(["regression", "binary"]),
  /** null: the model has no saved policy and this is the default one (not enforced until saved). */
  revision: z.number().int().nullable(),
  revisionId: z.string().nullable(),
  yaml: z.string(),
  policy: ZGatePolicy,
  comment: z.string(),
  author: ZAuthor.nullable(),
  createdAt: z.date().nullable(),
});
export type PolicyDto = z.infer<typeof ZPolicyDto>;

export const ZRevisionDto = z.object({ id: z.string(), revision: z.number().int(), comment: z.string(), author: ZAuthor, createdAt: z.date(), added: z.number().int(), removed: z.number().int() });
export type RevisionDto = z.infer<typeof ZRevisionDto>;

export const ZDiffLine = z.object({ op: z.enum(["same", "add", "remove"]), text: z.string(), oldLine: z.number().int().nullable(), newLine: z.number().int().nullable() });
export const ZPolicyDiffDto = z.object({ from: z.number().int(), to: z.number().int(), lines: z.array(ZDiffLine), added: z.number().int(), removed: z.number().int() });
export type PolicyDiffDto = z.infer<typeof ZPolicyDiffDto>;

// ------------------------------------------------------------------ the stored gate report

const ZStatus = z.enum(["pass", "fail", "error"]);
const ZNum = z.number().nullable();
const ZTest = z.object({ name: z.string(), statistic: ZNum, pValue: ZNum });

const ZThresholdsEvidence = z.object({ items: z.array(z.object({ metric: z.string(), value: ZNum, min: ZNum, max: ZNum, passed: z.boolean() })) });
const ZRelativeEvidence = z.object({
  items: z.array(z.object({ metric: z.string(), direction: z.enum(["lower", "higher"]), challenger: ZNum, champion: ZNum, betterBy: z.number(), required: ZNum, passed: z.boolean() })),
});
export const ZChampionMetricEvidence = z.object({
  metric: z.string(),
  direction: z.enum(["lower", "higher"]),
  challenger: ZNum,
  champion: ZNum,
  /** challenger − champion on all rows, and its CI. */
  difference: ZNum,
  lower: ZNum,
  upper: ZNum,
  /** "paired-bootstrap" (percentile CI of B resamples) or "delong" (normal CI from DeLong's variance). */
  interval: z.enum(["paired-bootstrap", "delong"]),
  /** The test whose p-value enters Holm's correction, then any others reported beside it. */
  tests: z.array(ZTest),
  pAdjusted: ZNum,
  significant: z.boolean(),
  decision: z.object({ passed: z.boolean(), bound: ZNum, threshold: ZNum, reason: z.string() }),
  passed: z.boolean(),
});
const ZChampionEvidence = z.object({
  mode: z.enum(["superiority", "non_inferiority"]),
  confidence: z.number(),
  resamples: z.number().int(),
  seed: z.number().int(),
  alpha: z.number(),
  minEffect: z.number(),
  margin: ZNum,
  metrics: z.array(ZChampionMetricEvidence),
});
const ZFairnessEvidence = z.object({
  column: z.string(),
  metric: z.string(),
  maxGap: z.number(),
  minGroupSize: z.number().int(),
  confidence: z.number(),
  outcome: z.enum(["pass", "fail", "insufficient"]),
  gap: z.object({ estimate: z.number(), lower: z.number(), upper: z.number() }).nullable(),
  groups: z.array(z.object({ name: z.string(), size: z.number().int(), status: z.enum(["ok", "too_small"]), estimate: ZNum, lower: ZNum, upper: ZNum })),
});
const ZDataValidationEvidence = z.object({
  versions: z.array(z.object({ role: z.enum(["train", "validation", "test"]), versionId: z.string(), dataset: z.string(), number: z.number().int(), status: z.string() })),
});
const ZRobustnessEvidence = z.object({
  maxDegradation: z.number(),
  metric: z.string(),
  sample: z.object({ rows: z.number().int(), of: z.number().int() }),
  worst: z.object({ perturbation: z.string(), feature: z.string().nullable(), level: z.number(), baseline: z.number(), value: ZNum, degradation: ZNum }).nullable(),
  probes: z.number().int(),
});
const ZBudgetsEvidence = z.object({
  items: z.array(z.object({ budget: z.enum(["p95_single_ms", "p95_batch_1000_ms", "max_size_mb"]), value: z.number(), limit: ZNum, passed: z.boolean() })),
  repeats: z.object({ single: z.number().int(), batch: z.number().int() }),
});
const ZSignatureEvidence = z.object({
  allowBreaking: z.boolean(),
  breaking: z.boolean(),
  changes: z.array(z.object({ input: z.string(), change: z.enum(["removed", "added", "type"]), from: z.string().nullable(), to: z.string().nullable() })),
});

const check = <N extends string, E extends z.ZodType>(name: N, evidence: E) =>
  z.object({ name: z.literal(name), status: ZStatus, summary: z.string(), skipped: z.string().nullable(), evidence: evidence.nullable() });

export const ZGateCheck = z.discriminatedUnion("name", [
  check("thresholds", ZThresholdsEvidence),
  check("relative", ZRelativeEvidence),
  check("champion", ZChampionEvidence),
  check("fairness", ZFairnessEvidence),
  check("data_validation", ZDataValidationEvidence),
  check("robustness", ZRobustnessEvidence),
  check("budgets", ZBudgetsEvidence),
  check("signature", ZSignatureEvidence),
]);
export type GateCheck = z.infer<typeof ZGateCheck>;
export type GateCheckName = GateCheck["name"];

const ZVersionSummary = z.object({ versionId: z.string(), number: z.number().int(), sha256: z.string() });

export const ZGateReportJson = z.object({
  schemaVersion: z.literal(1),
  passed: z.boolean(),
  checks: z.array(ZGateCheck),
  challenger: ZVersionSummary,
  champion: ZVersionSummary.nullable(),
  /** The rows both models were scored on: a split of the challenger's training dataset version. */
  rows: z.object({ datasetVersionId: z.string(), dataset: z.string(), number: z.number().int(), split: z.string(), count: z.number().int() }),
  policyRevision: z.object({ id: z.string(), revision: z.number().int() }),
  durationMs: z.number(),
});
export type GateReportJson = z.infer<typeof ZGateReportJson>;

export const ZGateReportDto = z.object({
  id: z.string(),
  modelId: z.string(),
  versionId: z.string(),
  versionNumber: z.number().int(),
  policyRevisionId: z.string(),
  policyRevision: z.number().int(),
  championVersionId: z.string().nullable(),
  status: z.enum(["PENDING", "RUNNING", "DONE", "FAILED"]),
  passed: z.boolean().nullable(),
  sha256: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.date(),
  completedAt: z.date().nullable(),
});
export type GateReportDto = z.infer<typeof ZGateReportDto>;
export const ZGateReportFullDto = ZGateReportDto.extend({ report: ZGateReportJson.nullable() });
export type GateReportFullDto = z.infer<typeof ZGateReportFullDto>;

// ------------------------------------------------------------------ comparing two versions

const ZCompareSide = z.object({ versionId: z.string(), modelId: z.string(), number: z.number().int(), sha256: z.string() });
export const ZCompareDto = z.object({
  task: ZModelTask,
  a: ZCompareSide,
  b: ZCompareSide,
  rows: z.object({ datasetVersionId: z.string(), dataset: z.string(), number: z.number().int(), split: z.literal("test"), count: z.number().int() }),
  metrics: z.array(z.object({ metric: z.string(), direction: z.enum(["lower", "higher"]), a: z.number().nullable(), b: z.number().nullable(), difference: z.number().nullable() })),
  signature: z.object({ changes: z.array(z.object({ input: z.string(), change: z.enum(["removed", "added", "type"]), from: z.string().nullable(), to: z.string().nullable() })) }),
  lineage: z.array(z.object({ path: z.string(), a: z.string().nullable(), b: z.string().nullable() })),
});
export type CompareDto = z.infer<typeof ZCompareDto>;

