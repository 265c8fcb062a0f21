/**
 * Binary classification metrics from scores and 0/1 labels with scikit-learn 1.2 semantics: confusion
 * matrix, accuracy, precision, recall and F1 at a threshold (zero_division=0), log loss, ROC AUC and
 * average precision. A row is predicted positive when its score is at least the threshold, the same
 * rule roc_curve uses, so a confusion matrix matches the ROC point at that threshold.
 */
import { sum } from "../stats";
import { averagePrecision, rocAuc, thresholdCounts } from "./curves";
import {
  areProbabilities,
  checkFinite,
  checkLabels,
  checkSameLength,
  defined,
  undefinedMetric,
  type ConfusionMatrix,
  type MetricResult,
} from "./types";

export interface ThresholdMetrics {
  accuracy: MetricResult;
  precision: MetricResult;
  recall: MetricResult;
  f1: MetricResult;
}

export interface BinaryMetrics extends ThresholdMetrics {
  rocAuc: MetricResult;
  prAuc: MetricResult;
  logLoss: MetricResult;
}

// sklearn 1.2 log_loss(eps="auto") clips to the float64 machine epsilon.
const LOG_LOSS_EPSILON = 2.220446049250313e-16;
const NOT_PROBABILITIES = "scores are not probabilities in [0, 1]";

/** Validates labels and scores for binary metrics and returns the number of positive labels. */
export function checkBinaryInput(yTrue: ArrayLike<number>, scores: ArrayLike<number>, what: string): number {
  checkSameLength(yTrue, scores, what);
  checkFinite(scores, `${what} scores`);
  return checkLabels(yTrue, `${what} y_true`);
}

function checkThreshold(threshold: number): void {
  if (Number.isNaN(threshold)) throw new RangeError("threshold must be a number");
}

/** The class a score predicts: positive when score ≥ threshold (the rule of every threshold metric here). */
export const predictsPositive = (score: number, threshold: number): boolean => score >= threshold;

/** Per-row correctness (1 when the predicted class is the label, else 0): accuracy's terms. */
export function rowCorrect(yTrue: ArrayLike<number>, scores: ArrayLike<number>, threshold: number): Float64Array {
  checkBinaryInput(yTrue, scores, "rowCorrect");
  checkThreshold(threshold);
  const out = new Float64Array(yTrue.length);
  for (let i = 0; i < out.length; i++) out[i] = predictsPositive(scores[i]!, threshold) === (yTrue[i] === 1) ? 1 : 0;
  return out;
}

/** Confusion matrix counts with rows predicted positive when score ≥ threshold. */
export function confusionMatrix(yTrue: ArrayLike<number>, scores: ArrayLike<number>, threshold: number): ConfusionMatrix {
  checkBinaryInput(yTrue, scores, "confusionMatrix");
  checkThreshold(threshold);
  const cm: ConfusionMatrix = { tn: 0, fp: 0, fn: 0, tp: 0 };
  for (let i = 0; i < yTrue.length; i++) {
    const predicted = predictsPositive(scores[i]!, threshold);
    if (yTrue[i] === 1) {
      if (predicted) cm.tp++;
      else cm.fn++;
    } else if (predicted) cm.fp++;
    else cm.tn++;
  }
  return cm;
}

/** Accuracy, precision, recall and F1 from a confusion matrix, as sklearn with zero_division=0. */
export function thresholdMetrics(cm: ConfusionMatrix): ThresholdMetrics {
  const n = cm.tn + cm.fp + cm.fn + cm.tp;
  if (n === 0) {
    const none = undefinedMetric("no rows");
    return { accuracy: none, precision: none, recall: none, f1: none };
  }
  const predictedPositive = cm.tp + cm.fp;
  const actualPositive = cm.tp + cm.fn;
  const p = predictedPositive === 0 ? 0 : cm.tp / predictedPositive;
  const r = actualPositive === 0 ? 0 : cm.tp / actualPositive;
  // sklearn forms F1 from precision and recall rather than from counts; the two agree to rounding.
  const f = p + r === 0 ? 0 : (2 * p * r) / (p + r);
  return {
    accuracy: defined((cm.tp + cm.tn) / n),
    precision: defined(p, predictedPositive === 0 ? "no row predicted positive; zero_division=0" : undefined),
    recall: defined(r, actualPositive === 0 ? "no positive labels; zero_division=0" : undefined),
    f1: defined(f, p + r === 0 ? "precision and recall are both 0; zero_division=0" : undefined),
  };
}

/**
 * Per-row log loss as sklearn 1.2 computes it: probabilities clipped to [ε, 1 − ε], the pair
 * (1 − p, p) renormalised, then −log of the true class's share.
 */
export function rowLogLoss(yTrue: ArrayLike<number>, probabilities: ArrayLike<number>): Float64Array {
  checkBinaryInput(yTrue, probabilities, "rowLogLoss");
  if (!areProbabilities(probabilities)) throw new RangeError(`rowLogLoss: ${NOT_PROBABILITIES}`);
  const out = new Float64Array(yTrue.length);
  for (let i = 0; i < out.length; i++) {
    const p = Math.min(Math.max(probabilities[i]!, LOG_LOSS_EPSILON), 1 - LOG_LOSS_EPSILON);
    const q = 1 - p;
    const total = q + p;
    out[i] = -Math.log((yTrue[i] === 1 ? p : q) / total);
  }
  return out;
}

/**
 * Mean log loss (sklearn log_loss with labels=[0, 1], so a single-class input is still scored);
 * undefined when scores are not probabilities.
 */
export function logLoss(yTrue: ArrayLike<number>, probabilities: ArrayLike<number>): MetricResult {
  checkBinaryInput(yTrue, probabilities, "logLoss");
  if (yTrue.length === 0) return undefinedMetric("no rows");
  if (!areProbabilities(probabilities)) return undefinedMetric(NOT_PROBABILITIES);
  return defined(sum(rowLogLoss(yTrue, probabilities)) / yTrue.length);
}

/** Threshold metrics, ROC AUC, average precision (PR AUC) and log loss together. */
export function binaryMetrics(yTrue: ArrayLike<number>, scores: ArrayLike<number>, threshold: number): BinaryMetrics {
  const counts = thresholdCounts(yTrue, scores);
  return {
    ...thresholdMetrics(confusionMatrix(yTrue, scores, threshold)),
    rocAuc: rocAuc(yTrue, scores, counts),
    prAuc: averagePrecision(yTrue, scores, counts),
    logLoss: logLoss(yTrue, scores),
  };
}
