/**
 * One evaluation report per model and dataset: headline metrics, charts, slices, fairness and a
 * sample of per-row errors for paired tests between models. The report is plain JSON (no NaN, no
 * typed arrays), so the evaluation job can store it as is and the UI can draw it without computing.
 */
import { Rng, sampleIndices } from "../stats";
import { binaryMetrics, checkBinaryInput, confusionMatrix, rowLogLoss, type BinaryMetrics } from "./binary";
import { calibrationCurve, prCurve, rocCurve, thresholdCounts, MAX_CURVE_POINTS, type CalibrationBin, type PrPoint, type RocPoint } from "./curves";
import { classificationFairness, regressionFairness, type DecisionFairness, type RegressionFairness, type SensitiveColumn, type UndefinedRates } from "./fairness";
import { absoluteErrors, regressionMetrics, residualHistogram, type RegressionMetrics } from "./regression";
import { binarySlices, regressionSlices, type BinarySlice, type RegressionSlice, type SliceReport, type SliceSpec } from "./slices";
import { areProbabilities, checkFinite, checkSameLength, type ConfusionMatrix, type CurveResult, type HistogramBin } from "./types";

export const REPORT_SCHEMA_VERSION = 1;

/** Per-row errors, all of them or a seeded uniform sample; the same seed and row count give the same rows. */
export interface RowErrorSample {
  kind: "absolute_error" | "log_loss" | "zero_one";
  totalRows: number;
  sampled: boolean;
  seed: number;
  /** Ascending row indices into the evaluated dataset. */
  indices: number[];
  values: number[];
}

export interface RegressionReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  task: "regression";
  rowCount: number;
  metrics: RegressionMetrics;
  residualHistogram: HistogramBin[];
  slices: SliceReport<RegressionSlice> | null;
  fairness: RegressionFairness | null;
  rowErrors: RowErrorSample;
}

export interface BinaryReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  task: "binary";
  rowCount: number;
  positives: number;
  negatives: number;
  /** Rows with score ≥ threshold are predicted positive. */
  threshold: number;
  scoresAreProbabilities: boolean;
  metrics: BinaryMetrics;
  confusionMatrix: ConfusionMatrix;
  rocCurve: CurveResult<RocPoint>;
  prCurve: CurveResult<PrPoint>;
  calibration: CurveResult<CalibrationBin>;
  slices: SliceReport<BinarySlice> | null;
  fairness: DecisionFairness | null;
  rowErrors: RowErrorSample;
}

export type EvaluationReport = RegressionReport | BinaryReport;

export interface ReportOptions {
  slice?: SliceSpec;
  sensitive?: SensitiveColumn;
  /** How fairness treats groups whose TPR or FPR is undefined; see UndefinedRates. */
  undefinedRates?: UndefinedRates;
  /** Row error sample size (default 10,000) and seed (default 1). */
  rowErrors?: { max?: number; seed?: number };
  histogramBins?: number;
  curvePoints?: number;
  calibrationBins?: number;
}

export interface RegressionInput extends ReportOptions {
  task: "regression";
  yTrue: ArrayLike<number>;
  yPred: ArrayLike<number>;
  /** Turns predictions into decisions (y_pred ≥ threshold, outcome y_true ≥ threshold) for decision fairness. */
  decisionThreshold?: number;
}

export interface BinaryInput extends ReportOptions {
  task: "binary";
  yTrue: ArrayLike<number>;
  /** Positive-class probabilities, or any scores where higher means more likely positive. */
  scores: ArrayLike<number>;
  /** Default 0.5 for probabilities and 0 for other scores (a decision function's boundary). */
  threshold?: number;
}

export type EvaluationInput = RegressionInput | BinaryInput;

const DEFAULT_SAMPLE = 10_000;
const DEFAULT_SEED = 1;

/** All per-row errors when they fit, else a seeded uniform sample of `max` rows in row order. */
export function sampleRowErrors(kind: RowErrorSample["kind"], errors: ArrayLike<number>, max = DEFAULT_SAMPLE, seed = DEFAULT_SEED): RowErrorSample {
  if (!(Number.isInteger(max) && max >= 0)) throw new RangeError(`sampleRowErrors: max must be a non-negative integer, got ${max}`);
  const n = errors.length;
  const indices = sampleIndices(n, Math.min(max, n), new Rng(seed));
  return { kind, totalRows: n, sampled: max < n, seed, indices, values: indices.map((i) => errors[i]!) };
}

/** Up to `max` (actual, predicted) pairs, all when they fit, else a seeded uniform sample in row order: the predicted-vs-actual chart. */
export function predictionPairs(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, max = 2000, seed = DEFAULT_SEED): { points: [number, number][]; sampled: boolean; rows: number } {
  checkSameLength(yTrue, yPred, "predictionPairs");
  const n = yTrue.length;
  const indices = sampleIndices(n, Math.min(max, n), new Rng(seed));
  return { points: indices.map((i) => [yTrue[i]!, yPred[i]!]), sampled: max < n, rows: n };
}

function regressionReport(input: RegressionInput): RegressionReport {
  const { yTrue, yPred } = input;
  checkSameLength(yTrue, yPred, "report");
  checkFinite(yTrue, "report y_true");
  checkFinite(yPred, "report y_pred");
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    task: "regression",
    rowCount: yTrue.length,
    metrics: regressionMetrics(yTrue, yPred),
    residualHistogram: residualHistogram(yTrue, yPred, input.histogramBins ?? 30),
    slices: input.slice ? regressionSlices(yTrue, yPred, input.slice) : null,
    fairness: input.sensitive ? regressionFairness(yTrue, yPred, input.sensitive, input.decisionThreshold, input.undefinedRates) : null,
    rowErrors: sampleRowErrors("absolute_error", absoluteErrors(yTrue, yPred), input.rowErrors?.max, input.rowErrors?.seed),
  };
}

function binaryReport(input: BinaryInput): BinaryReport {
  const { yTrue, scores } = input;
  const positives = checkBinaryInput(yTrue, scores, "report");
  const probabilities = areProbabilities(scores);
  const threshold = input.threshold ?? (probabilities ? 0.5 : 0);
  const counts = thresholdCounts(yTrue, scores);
  const cm = confusionMatrix(yTrue, scores, threshold);
  const points = input.curvePoints ?? MAX_CURVE_POINTS;
  let rowErrors: RowErrorSample;
  if (probabilities) rowErrors = sampleRowErrors("log_loss", rowLogLoss(yTrue, scores), input.rowErrors?.max, input.rowErrors?.seed);
  else {
    // Without probabilities the only per-row loss is the 0/1 loss at the threshold (for McNemar-type tests).
    const wrong = Float64Array.from({ length: yTrue.length }, (_, i) => ((scores[i]! >= threshold ? 1 : 0) === yTrue[i] ? 0 : 1));
    rowErrors = sampleRowErrors("zero_one", wrong, input.rowErrors?.max, input.rowErrors?.seed);
  }
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    task: "binary",
    rowCount: yTrue.length,
    positives,
    negatives: yTrue.length - positives,
    threshold,
    scoresAreProbabilities: probabilities,
    metrics: binaryMetrics(yTrue, scores, threshold),
    confusionMatrix: cm,
    rocCurve: rocCurve(yTrue, scores, points, counts),
    prCurve: prCurve(yTrue, scores, points, counts),
    calibration: calibrationCurve(yTrue, scores, input.calibrationBins ?? 10),
    slices: input.slice ? binarySlices(yTrue, scores, threshold, input.slice) : null,
    fairness: input.sensitive ? classificationFairness(yTrue, scores, threshold, input.sensitive, input.undefinedRates) : null,
    rowErrors,
  };
}

/** Builds the evaluation report of a regression or binary classification model on one dataset. */
export function buildEvaluationReport(input: RegressionInput): RegressionReport;
export function buildEvaluationReport(input: BinaryInput): BinaryReport;
export function buildEvaluationReport(input: EvaluationInput): EvaluationReport;
export function buildEvaluationReport(input: EvaluationInput): EvaluationReport {
  if (input.yTrue.length === 0) throw new RangeError("buildEvaluationReport: no rows to evaluate");
  return input.task === "regression" ? regressionReport(input) : binaryReport(input);
}
