import { z } from "zod";
import { ZId, ZName } from "../lib/ids";
import { ZSeverity } from "../alerts/schemas";
import { ZProjectRef } from "../tenancy/schemas";
import { ZDeployWith, ZTrainWith } from "../pipelines/spec";

/** Monitors, their reports and alert rules: the contract of the `monitor` router (issue 14). */

export const MONITOR_MODES = ["calibrated", "evidently"] as const;
export const REPORT_KINDS = ["data", "concept", "serving"] as const;
export const VERDICTS = ["drifted", "ok", "insufficient"] as const;
export const STATISTICS = ["psi", "jensenshannon", "wasserstein", "ks", "chisquare"] as const;

/** A monitor name is used in URLs and in pipelines' `monitor:` triggers: a slug-like word. */
export const ZMonitorName = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(80, "must be at most 80 characters")
  .regex(/^[a-z0-9][a-z0-9._-]*$/, "use lowercase letters, digits, '.', '_' and '-'");

export const ZReference = z.discriminatedUnion("kind", [
  /** The stable version's training dataset version (through the run that trained it). */
  z.object({ kind: z.literal("training") }),
  z.object({ kind: z.literal("dataset"), datasetVersionId: ZId }),
]);
export type Reference = z.infer<typeof ZReference>;

export const ZWindow = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("hourly") }),
  z.object({ kind: z.literal("daily") }),
  z.object({ kind: z.literal("rows"), rows: z.number().int().min(20, "a window needs at least 20 rows").max(1_000_000, "at most 1,000,000 rows") }),
  /**
   * Batch scoring: every new version of the dataset (same project) is a window of its own, its rows
   * scored by the deployment's stable version; a report per version (drift-job.ts datasetReport).
   */
  z.object({ kind: z.literal("dataset"), datasetId: z.string().min(1, "choose the dataset whose new versions are judged").pipe(ZId) }).strict(),
]);
export type Window = z.infer<typeof ZWindow>;

/** The figures naming the version a dataset window's report judged (its window is that version's createdAt). */
export const ZDatasetWindowFigures = z.object({ datasetId: z.string(), dataset: z.string(), datasetVersionId: z.string(), datasetVersionNumber: z.number().int() });
/** "dataset X vN" for a report of a dataset window, else null. */
export function datasetWindowLabel(figures: Record<string, unknown>): string | null {
  const parsed = ZDatasetWindowFigures.safeParse(figures);
  return parsed.success ? `dataset ${parsed.data.dataset} v${parsed.data.datasetVersionNumber}` : null;
}

export const ZEffectFloors = z.object(Object.fromEntries(STATISTICS.map((s) => [s, z.number().min(0).max(10).optional()])) as Record<(typeof STATISTICS)[number], z.ZodOptional<z.ZodNumber>>).strict();

export const ZMonitorDto = z.object({
  id: z.string(),
  name: z.string(),
  deploymentId: z.string(),
  deploymentName: z.string(),
  reference: ZReference,
  window: ZWindow,
  /** null = every feature of the model. */
  features: z.array(z.string()).nullable(),
  mode: z.enum(MONITOR_MODES),
  alpha: z.number(),
  effectFloors: ZEffectFloors,
  driftShare: z.number(),
  schedule: z.string(),
  nextRunAt: z.date().nullable(),
  lastRunAt: z.date().nullable(),
  enabled: z.boolean(),
  labelDelaySeconds: z.number().int(),
  minLabels: z.number().int(),
  latencyP95Ms: z.number().nullable(),
  errorRate: z.number().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  /** The newest data report's verdict (null before the first run). */
  lastVerdict: z.enum(VERDICTS).nullable(),
});
export type MonitorDto = z.infer<typeof ZMonitorDto>;

/** One statistic's verdict on one feature, with everything needed to judge it. */
export const ZFeatureResult = z.object({
  feature: z.string(),
  kind: z.enum(["numeric", "categorical"]),
  /** The statistic the verdict is on (calibrated mode: the one for the kind; evidently: Evidently's pick). */
  statistic: z.string(),
  value: z.number().nullable(),
  threshold: z.number().nullable(),
  effect: z.number().nullable(),
  floor: z.number().nullable(),
  nRef: z.number(),
  nCur: z.number(),
  drifted: z.boolean(),
  /** Why it was not tested (identifier-like column, empty side). */
  skipped: z.string().nullable(),
  /** The test Evidently's defaults would pick and what it says, for comparison. */
  evidently: z.object({ test: z.string(), statistic: z.number(), threshold: z.number(), drifted: z.boolean() }).nullable(),
  psi: z.number().nullable(),
  jensenShannon: z.number().nullable(),
  ks: z.number().nullable(),
  wasserstein: z.number().nullable(),
  chiSquareP: z.number().nullable(),
  missingShare: z.object({ reference: z.number(), current: z.number() }).nullable(),
  unseenShare: z.number().nullable(),
});
export type FeatureResult = z.infer<typeof ZFeatureResult>;

export const ZMonitorReportDto = z.object({
  id: z.string(),
  monitorId: z.string(),
  kind: z.enum(REPORT_KINDS),
  windowStart: z.date(),
  windowEnd: z.date(),
  rows: z.number().int(),
  features: z.array(ZFeatureResult),
  datasetDriftShare: z.number().nullable(),
  predictionDrift: ZFeatureResult.nullable(),
  figures: z.record(z.string(), z.unknown()),
  verdict: z.enum(VERDICTS),
  note: z.string().nullable(),
  createdAt: z.date(),
});
export type MonitorReportDto = z.infer<typeof ZMonitorReportDto>;

/** Reference vs current histogram of one feature (shares per bin), for the report page's charts. */
export const ZHistogramDto = z.object({ feature: z.string(), bins: z.array(z.object({ label: z.string(), reference: z.number(), current: z.number() })) });
export const ZReportDetailDto = ZMonitorReportDto.extend({ histograms: z.array(ZHistogramDto) });
export type ReportDetailDto = z.infer<typeof ZReportDetailDto>;

/** What a rule watches. Clear messages: a bad rule is refused with the path and reason. */
export const ZRuleCondition = z.discriminatedUnion("on", [
  /** The monitor's dataset drift (share of drifted features ≥ the monitor's driftShare). */
  z.object({ on: z.literal("data_drift") }).strict(),
  /** One feature's drift verdict. */
  z.object({ on: z.literal("feature"), feature: z.string().trim().min(1, "name the feature") }).strict(),
  z.object({ on: z.literal("prediction_drift") }).strict(),
  /** The stable version's online metric in a judged window is below `min` or above `max`. */
  z
    .object({ on: z.literal("concept"), metric: z.string().trim().min(1, "name the metric (e.g. rmse, accuracy)").max(40), min: z.number().optional(), max: z.number().optional() })
    .strict()
    .refine((c) => c.min !== undefined || c.max !== undefined, { message: "a concept rule needs min or max", path: ["min"] }),
  /** p95 latency of a window above the monitor's latency limit (or this one). */
  z.object({ on: z.literal("latency"), p95Ms: z.number().positive("must be positive").optional() }).strict(),
  z.object({ on: z.literal("error_rate"), max: z.number().min(0).max(1, "an error rate lies in [0, 1]").optional() }).strict(),
]);
export type RuleCondition = z.infer<typeof ZRuleCondition>;

/**
 * A training action's rollout of the new version to the monitored deployment: the pipeline deploy step's
 * `with` less the deployment's name (always the monitored one). Omitted: a canary with the default steps.
 */
export const ZRetrainDeploy = ZDeployWith.omit({ deployment: true, environment: true });

/**
 * What a firing rule retrains with: `pipeline` (a pipeline of the project with a `- monitor:` trigger),
 * or `training` (a pipeline train step's `with`; Cairn generates the pipeline train → evaluate →
 * register → gate → deploy from it). `deploy: null` stops after the gate.
 */
export const ZRetrain = z
  .object({
    pipeline: z.string().trim().min(1, "name the pipeline").max(100).optional(),
    training: ZTrainWith.optional(),
    deploy: ZRetrainDeploy.nullable().optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if ((r.pipeline === undefined) === (r.training === undefined)) ctx.addIssue({ code: "custom", message: "give either `pipeline` (a pipeline's name) or `training` (a training spec), not both", path: r.pipeline === undefined ? [] : ["training"] });
    else if (r.pipeline !== undefined && r.deploy !== undefined) ctx.addIssue({ code: "custom", message: "`deploy` goes with `training`; a pipeline's own deploy step rolls out", path: ["deploy"] });
  });
export type Retrain = z.infer<typeof ZRetrain>;
export const ZRuleAction = z.object({ retrain: ZRetrain }).strict().nullable();
export type RuleAction = z.infer<typeof ZRuleAction>;

export const ZRuleFields = z.object({
  name: ZName,
  condition: ZRuleCondition,
  channelIds: z.array(ZId).max(20, "at most 20 channels").default([]),
  cooldownSeconds: z.number().int().min(0).max(30 * 86400).default(3600),
  severity: ZSeverity.default("warning"),
  action: ZRuleAction.default(null),
  budget: z.object({ maxRunsPerDay: z.number().int().min(0, "must be 0 or more").max(100, "at most 100 runs a day") }).strict().default({ maxRunsPerDay: 1 }),
  retrainCooldownSeconds: z.number().int().min(0).max(30 * 86400).default(86400),
  enabled: z.boolean().default(true),
});

export const ZAlertRuleDto = z.object({
  id: z.string(),
  monitorId: z.string(),
  name: z.string(),
  condition: ZRuleCondition,
  channelIds: z.array(z.string()),
  cooldownSeconds: z.number().int(),
  severity: ZSeverity,
  action: ZRuleAction,
  /** The pipeline Cairn generated from a training action (null otherwise). */
  generatedPipeline: z.string().nullable(),
  budget: z.object({ maxRunsPerDay: z.number().int() }),
  retrainCooldownSeconds: z.number().int(),
  lastRetrainAt: z.date().nullable(),
  enabled: z.boolean(),
  createdAt: z.date(),
});
export type AlertRuleDto = z.infer<typeof ZAlertRuleDto>;

export const ZMonitorRef = ZProjectRef.extend({ name: ZMonitorName });
export const ZMonitorListInput = ZProjectRef;
export const ZMonitorUpdateInput = ZMonitorRef.extend({
  patch: z
    .object({
      reference: ZReference,
      window: ZWindow,
      features: z.array(z.string().trim().min(1)).max(500).nullable(),
      mode: z.enum(MONITOR_MODES),
      alpha: z.number().gt(0, "alpha lies in (0, 0.5]").max(0.5, "alpha lies in (0, 0.5]"),
      effectFloors: ZEffectFloors,
      driftShare: z.number().gt(0).max(1),
      schedule: z.string().trim().min(9).max(100),
      enabled: z.boolean(),
      labelDelaySeconds: z.number().int().min(0).max(90 * 86400),
      minLabels: z.number().int().min(1).max(1_000_000),
      latencyP95Ms: z.number().positive().nullable(),
      errorRate: z.number().min(0).max(1).nullable(),
    })
    .partial()
    .strict(),
});
export type MonitorPatch = z.infer<typeof ZMonitorUpdateInput>["patch"];
export const ZReportsInput = ZMonitorRef.extend({ kind: z.enum(REPORT_KINDS).default("data"), limit: z.number().int().min(1).max(500).default(100) });
export const ZReportInput = ZMonitorRef.extend({ reportId: ZId });
export const ZRuleCreateInput = ZMonitorRef.extend({ rule: ZRuleFields });
export const ZRuleUpdateInput = ZMonitorRef.extend({ ruleId: ZId, rule: ZRuleFields });
export const ZRuleRefInput = ZMonitorRef.extend({ ruleId: ZId });
export const ZChainInput = ZProjectRef.extend({ incidentId: ZId });

export const ZRunNowDto = z.object({ queued: z.boolean() });

/** The chain of one incident: the report that fired, the rule, the alert, and the retraining runs it started. */
export const ZChainDto = z.object({
  incidentId: z.string(),
  monitor: z.object({ name: z.string(), deploymentId: z.string() }),
  rule: z.object({ id: z.string(), name: z.string() }),
  report: z.object({ id: z.string(), kind: z.enum(REPORT_KINDS), windowStart: z.date(), windowEnd: z.date(), verdict: z.enum(VERDICTS) }),
  alert: z.object({ title: z.string(), status: z.string(), firstFiredAt: z.date(), resolvedAt: z.date().nullable() }),
  /** Retraining runs (pipeline run ids with number, status); the pipeline run DTO links gate report and deployment. */
  runs: z.array(
    z.object({
      id: z.string(),
      pipeline: z.string(),
      number: z.number().int(),
      status: z.string(),
      /** What the run's steps produced so far: the model version, its gate report (and verdict), the deployment it rolled out to. */
      modelVersion: z.object({ id: z.string(), number: z.number().int().nullable() }).nullable(),
      gate: z.object({ reportId: z.string(), passed: z.boolean().nullable() }).nullable(),
      deployment: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
    }),
  ),
  note: z.string().nullable(),
});
export type ChainDto = z.infer<typeof ZChainDto>;
