/**
 * The evaluation report as stored in EvaluationReport.report and sent to the UI: the metrics report
 * of server/ml/metrics (checked below to be the same shape) plus the job's inputs.
 */
import { z } from "zod";
import type { AssertTrue, SameShape } from "../lib/type-checks";
import type { BinaryReport, RegressionReport, RobustnessRow as ComputedRobustnessRow } from "../ml/metrics";

export const EVALUATION_STATUSES = ["PENDING", "RUNNING", "DONE", "FAILED"] as const;
export const ZEvaluationStatus = z.enum(EVALUATION_STATUSES);

export const ZMetricResult = z.union([
  z.object({ value: z.number(), reason: z.null(), note: z.string().optional() }),
  z.object({ value: z.null(), reason: z.string() }),
]);
export type MetricResult = z.infer<typeof ZMetricResult>;

const curve = <P extends z.ZodType>(point: P) =>
  z.union([z.object({ points: z.array(point), fullLength: z.number(), reason: z.null() }), z.object({ points: z.null(), reason: z.string() })]);

export const ZHistogramBin = z.object({ lower: z.number(), upper: z.number(), count: z.number() });
export type HistogramBin = z.infer<typeof ZHistogramBin>;

const ZSliceKey = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("value"), value: z.union([z.string(), z.number(), z.boolean()]) }),
  z.object({ kind: z.literal("bin"), index: z.number(), lower: z.number(), upper: z.number(), includesLower: z.boolean() }),
  z.object({ kind: z.literal("missing") }),
  z.object({ kind: z.literal("other") }),
]);

const ZRegressionMetrics = z.object({ rmse: ZMetricResult, mae: ZMetricResult, mape: ZMetricResult, r2: ZMetricResult });
const ZBinaryMetrics = z.object({
  accuracy: ZMetricResult,
  precision: ZMetricResult,
  recall: ZMetricResult,
  f1: ZMetricResult,
  rocAuc: ZMetricResult,
  prAuc: ZMetricResult,
  logLoss: ZMetricResult,
});

const slice = <M extends z.ZodType>(metrics: M) => z.object({ key: ZSliceKey, label: z.string(), count: z.number(), metrics });
const ZRegressionSlice = slice(ZRegressionMetrics);
const ZBinarySlice = slice(ZBinaryMetrics).extend({ positives: z.number() });
const sliceReport = <S extends z.ZodType>(s: S) => z.object({ column: z.string(), kind: z.enum(["categorical", "quantile"]), slices: z.array(s) });
export type RegressionSlice = z.infer<typeof ZRegressionSlice>;
export type BinarySlice = z.infer<typeof ZBinarySlice>;

const ZGroupDecisionRates = z.object({
  key: ZSliceKey,
  label: z.string(),
  count: z.number(),
  positives: z.number(),
  negatives: z.number(),
  predictedPositive: z.number(),
  selectionRate: ZMetricResult,
  truePositiveRate: ZMetricResult,
  falsePositiveRate: ZMetricResult,
});
export const ZDecisionFairness = z.object({
  kind: z.literal("decision"),
  column: z.string(),
  threshold: z.number(),
  source: z.enum(["classifier", "regression"]),
  undefinedRates: z.enum(["exclude", "zero"]),
  groups: z.array(ZGroupDecisionRates),
  demographicParityDifference: ZMetricResult,
  disparateImpactRatio: ZMetricResult,
  truePositiveRateDifference: ZMetricResult,
  falsePositiveRateDifference: ZMetricResult,
  equalizedOddsDifference: ZMetricResult,
});
export type DecisionFairness = z.infer<typeof ZDecisionFairness>;
export const ZErrorFairness = z.object({
  kind: z.literal("error"),
  column: z.string(),
  groups: z.array(z.object({ key: ZSliceKey, label: z.string(), count: z.number(), mae: ZMetricResult, rmse: ZMetricResult })),
  maeGap: ZMetricResult,
  rmseGap: ZMetricResult,
});
export type ErrorFairness = z.infer<typeof ZErrorFairness>;

const ZRowErrorSample = z.object({
  kind: z.enum(["absolute_error", "log_loss", "zero_one"]),
  totalRows: z.number(),
  sampled: z.boolean(),
  seed: z.number(),
  indices: z.array(z.number()),
  values: z.array(z.number()),
});

export const ZRegressionReport = z.object({
  schemaVersion: z.literal(1),
  task: z.literal("regression"),
  rowCount: z.number(),
  metrics: ZRegressionMetrics,
  residualHistogram: z.array(ZHistogramBin),
  slices: sliceReport(ZRegressionSlice).nullable(),
  fairness: z.object({ errors: ZErrorFairness, decisions: ZDecisionFairness.nullable() }).nullable(),
  rowErrors: ZRowErrorSample,
});

export const ZBinaryReport = z.object({
  schemaVersion: z.literal(1),
  task: z.literal("binary"),
  rowCount: z.number(),
  positives: z.number(),
  negatives: z.number(),
  threshold: z.number(),
  scoresAreProbabilities: z.boolean(),
  metrics: ZBinaryMetrics,
  confusionMatrix: z.object({ tn: z.number(), fp: z.number(), fn: z.number(), tp: z.number() }),
  rocCurve: curve(z.object({ fpr: z.number(), tpr: z.number(), threshold: z.number().nullable() })),
  prCurve: curve(z.object({ recall: z.number(), precision: z.number(), threshold: z.number().nullable() })),
  calibration: curve(z.object({ lower: z.number(), upper: z.number(), meanPredicted: z.number(), fractionPositive: z.number(), count: z.number() })),
  slices: sliceReport(ZBinarySlice).nullable(),
  fairness: ZDecisionFairness.nullable(),
  rowErrors: ZRowErrorSample,
});

export const ZRobustnessRow = z.object({
  perturbation: z.enum(["gaussian_noise", "missing"]),
  feature: z.string().nullable(),
  level: z.number(),
  metric: z.string(),
  baseline: z.number(),
  value: z.number().nullable(),
  delta: z.number().nullable(),
  reason: z.string().nullable(),
});
export type RobustnessRow = z.infer<typeof ZRobustnessRow>;

/** What a report is asked to compute; stored from the moment the report is queued. */
export const ZEvaluationOptions = z.object({
  sliceColumn: z.string().nullable().optional(),
  sensitiveColumn: z.string().nullable().optional(),
  threshold: z.number().default(0.5),
  features: z.array(z.string()).optional(),
  /** The caller chose to evaluate on a version that failed its data contract (recorded and audited). */
  allowFailedValidation: z.boolean().optional(),
});
export const ZQueuedEvaluation = z.object({ options: ZEvaluationOptions.default({ threshold: 0.5 }) });

const jobFacts = {
  options: ZEvaluationOptions,
  model: z.object({ inputs: z.array(z.object({ name: z.string(), type: z.string() })) }).optional(),
  target: z.string(),
  features: z.array(z.string()),
  scoring: z.object({ rows: z.number(), ms: z.number() }),
  robustness: z.array(ZRobustnessRow),
  /** The rows the robustness probes ran on, when a sample (reports from before it was recorded lack it). */
  robustnessSample: z.object({ rows: z.number(), of: z.number() }).optional(),
  /** Where the model's encoding spec came from: stored with the run, embedded in the model, or derived. */
  encoding: z.object({ source: z.enum(["artifact", "model", "derived"]) }).optional(),
  /**
   * Feature importance: permutation importance on the robustness sample (any model), and the GBDT's
   * own total gain per feature when the model is one. Reports from before it was computed lack it.
   */
  importance: z
    .object({
      metric: z.string(),
      repeats: z.number(),
      sample: z.object({ rows: z.number(), of: z.number() }),
      permutation: z.array(z.object({ feature: z.string(), mean: z.number(), std: z.number() })),
      gain: z.array(z.object({ feature: z.string(), gain: z.number(), share: z.number() })).nullable(),
    })
    .optional(),
  /** Regression: (actual, predicted) pairs, a seeded sample when the split is large. */
  predictedVsActual: z.object({ points: z.array(z.tuple([z.number(), z.number()])), sampled: z.boolean(), rows: z.number() }).optional(),
};

/** A DONE report: the metrics report of its task plus the job's inputs. */
export const ZStoredEvaluationReport = z.discriminatedUnion("task", [ZRegressionReport.extend(jobFacts), ZBinaryReport.extend(jobFacts)]);
export type StoredEvaluationReport = z.infer<typeof ZStoredEvaluationReport>;
export type StoredRegressionReport = Extract<StoredEvaluationReport, { task: "regression" }>;
export type StoredBinaryReport = Extract<StoredEvaluationReport, { task: "binary" }>;

export const ZEvaluationSummaryDto = z.object({
  id: z.string(),
  runId: z.string(),
  versionId: z.string(),
  versionLabel: z.string(),
  split: z.string(),
  status: ZEvaluationStatus,
  error: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  /** The caller chose to evaluate on a version that failed its data contract. */
  allowFailedValidation: z.boolean(),
  /** Evaluated on the version the run was trained on: its metrics are also the run's own (test/rmse…). */
  onTrainingData: z.boolean(),
  /** Headline metrics of a finished report (rmse, r2… or rocAuc, accuracy…), for side-by-side comparison. */
  headline: z.record(z.string(), z.number().nullable()),
});
export type EvaluationSummaryDto = z.infer<typeof ZEvaluationSummaryDto>;
export const ZEvaluationDto = ZEvaluationSummaryDto.extend({ report: ZStoredEvaluationReport.nullable() });
export type EvaluationDto = z.infer<typeof ZEvaluationDto>;

// The stored schema and the computation's types must not drift apart: a field added to one fails here.
export type _ReportShapes = [
  AssertTrue<SameShape<z.output<typeof ZRegressionReport>, RegressionReport>>,
  AssertTrue<SameShape<z.output<typeof ZBinaryReport>, BinaryReport>>,
  AssertTrue<SameShape<RobustnessRow, ComputedRobustnessRow>>,
];
