/**
 * Threshold curves of a binary scorer with scikit-learn 1.2 semantics: roc_curve (drop_intermediate),
 * roc_auc_score, precision_recall_curve, average_precision_score and calibration_curve (uniform bins),
 * returned as chart-ready points downsampled for drawing.
 */
import { lttb } from "../downsample";
import { linspaceEdges, sortFloat64 } from "../stats";
import { areProbabilities, checkFinite, checkLabels, checkSameLength, defined, undefinedMetric, type CurveResult, type MetricResult } from "./types";

/** Cumulative counts at each distinct score, highest first (sklearn's _binary_clf_curve). */
export interface ThresholdCounts {
  thresholds: Float64Array;
  tps: Float64Array;
  fps: Float64Array;
  positives: number;
  negatives: number;
}

export interface RocPoint {
  fpr: number;
  tpr: number;
  /** Lowest score counted positive at this point; null for the origin, where no row is positive. */
  threshold: number | null;
}

export interface PrPoint {
  recall: number;
  precision: number;
  /** Lowest score counted positive at this point; null for the (recall 0, precision 1) anchor. */
  threshold: number | null;
}

export interface CalibrationBin {
  lower: number;
  upper: number;
  meanPredicted: number;
  fractionPositive: number;
  count: number;
}

/** Points a chart needs: a few hundred for a plot a few hundred pixels wide. */
export const MAX_CURVE_POINTS = 200;

const SINGLE_CLASS_AUC = "only one class present in y_true; ROC AUC is not defined";

/**
 * Distinct thresholds with cumulative true and false positives, from the positives' and negatives'
 * scores sorted apart and merged: no comparator sort over row indices is needed.
 */
export function thresholdCounts(yTrue: ArrayLike<number>, scores: ArrayLike<number>): ThresholdCounts {
  checkSameLength(yTrue, scores, "thresholdCounts");
  checkFinite(scores, "thresholdCounts scores");
  const positives = checkLabels(yTrue, "thresholdCounts y_true");
  const pos = new Float64Array(positives);
  const neg = new Float64Array(yTrue.length - positives);
  for (let i = 0, a = 0, b = 0; i < yTrue.length; i++) {
    if (yTrue[i] === 1) pos[a++] = scores[i]!;
    else neg[b++] = scores[i]!;
  }
  sortFloat64(pos);
  sortFloat64(neg);
  const thresholds: number[] = [];
  const tps: number[] = [];
  const fps: number[] = [];
  let i = pos.length - 1;
  let j = neg.length - 1;
  while (i >= 0 || j >= 0) {
    const t = i < 0 ? neg[j]! : j < 0 ? pos[i]! : Math.max(pos[i]!, neg[j]!);
    while (i >= 0 && pos[i] === t) i--;
    while (j >= 0 && neg[j] === t) j--;
    thresholds.push(t);
    tps.push(pos.length - 1 - i);
    fps.push(neg.length - 1 - j);
  }
  return { thresholds: Float64Array.from(thresholds), tps: Float64Array.from(tps), fps: Float64Array.from(fps), positives, negatives: neg.length };
}

/**
 * Exact ROC AUC as the Mann–Whitney statistic with ties counted one half, which equals sklearn's
 * trapezoid over roc_curve; undefined (null) unless both classes are present.
 */
export function rocAuc(yTrue: ArrayLike<number>, scores: ArrayLike<number>, counts = thresholdCounts(yTrue, scores)): MetricResult {
  const { tps, fps, positives, negatives } = counts;
  if (positives + negatives === 0) return undefinedMetric("no rows");
  if (positives === 0 || negatives === 0) return undefinedMetric(SINGLE_CLASS_AUC);
  // Twice the pair count stays an exact integer in a double for any realistic row count.
  let twice = 0;
  let tpBefore = 0;
  let fpBefore = 0;
  for (let k = 0; k < tps.length; k++) {
    const dp = tps[k]! - tpBefore;
    const dn = fps[k]! - fpBefore;
    twice += dn * (2 * tpBefore + dp);
    tpBefore = tps[k]!;
    fpBefore = fps[k]!;
  }
  return defined(twice / 2 / (positives * negatives));
}

/**
 * Average precision Σ (R_k − R_{k−1}) P_k as sklearn's average_precision_score. Without positive
 * labels sklearn returns 0 with a warning; here it is undefined, since recall has no denominator.
 */
export function averagePrecision(yTrue: ArrayLike<number>, scores: ArrayLike<number>, counts = thresholdCounts(yTrue, scores)): MetricResult {
  const { tps, fps, positives } = counts;
  if (yTrue.length === 0) return undefinedMetric("no rows");
  if (positives === 0) return undefinedMetric("no positive labels; precision-recall is not defined");
  let total = 0;
  let previousRecall = 0;
  for (let k = 0; k < tps.length; k++) {
    const recall = tps[k]! / positives;
    total += (recall - previousRecall) * (tps[k]! / (tps[k]! + fps[k]!));
    previousRecall = recall;
  }
  return defined(total);
}

/**
 * Keeps at most `maxPoints` points of a curve ordered by x with largest-triangle-three-buckets, which
 * preserves the visible shape and both ends.
 */
export function downsampleCurve<P>(points: readonly P[], x: (p: P) => number, y: (p: P) => number, maxPoints = MAX_CURVE_POINTS): P[] {
  if (points.length <= maxPoints) return points.slice();
  // lttb works on series points; the timestamp field carries the index back to the original point.
  const series = points.map((p, i) => ({ step: x(p), value: y(p), ts: i }));
  return lttb(series, maxPoints).map((s) => points[s.ts]!);
}

/** ROC curve as sklearn roc_curve(drop_intermediate=True), ordered by rising FPR and downsampled. */
export function rocCurve(yTrue: ArrayLike<number>, scores: ArrayLike<number>, maxPoints = MAX_CURVE_POINTS, counts = thresholdCounts(yTrue, scores)): CurveResult<RocPoint> {
  const { thresholds, tps, fps, positives, negatives } = counts;
  if (positives === 0 || negatives === 0) return { points: null, reason: "only one class present in y_true; the ROC curve is not defined" };
  const last = tps.length - 1;
  const points: RocPoint[] = [{ fpr: 0, tpr: 0, threshold: null }];
  for (let k = 0; k <= last; k++) {
    // sklearn drops collinear interior points: those where neither count has a second difference.
    const corner = k === 0 || k === last || fps[k + 1]! - 2 * fps[k]! + fps[k - 1]! !== 0 || tps[k + 1]! - 2 * tps[k]! + tps[k - 1]! !== 0;
    if (corner) points.push({ fpr: fps[k]! / negatives, tpr: tps[k]! / positives, threshold: thresholds[k]! });
  }
  return { points: downsampleCurve(points, (p) => p.fpr, (p) => p.tpr, maxPoints), fullLength: points.length, reason: null };
}

/**
 * Precision–recall curve as sklearn precision_recall_curve, ordered by rising recall (sklearn lists it
 * the other way), starting at its (recall 0, precision 1) anchor, downsampled.
 */
export function prCurve(yTrue: ArrayLike<number>, scores: ArrayLike<number>, maxPoints = MAX_CURVE_POINTS, counts = thresholdCounts(yTrue, scores)): CurveResult<PrPoint> {
  const { thresholds, tps, fps, positives } = counts;
  if (positives === 0) return { points: null, reason: "no positive labels; recall is not defined" };
  const points: PrPoint[] = [{ recall: 0, precision: 1, threshold: null }];
  for (let k = 0; k < tps.length; k++) {
    points.push({ recall: tps[k]! / positives, precision: tps[k]! / (tps[k]! + fps[k]!), threshold: thresholds[k]! });
  }
  return { points: downsampleCurve(points, (p) => p.recall, (p) => p.precision, maxPoints), fullLength: points.length, reason: null };
}

/**
 * Reliability diagram as sklearn calibration_curve(strategy="uniform"): bin i holds probabilities in
 * (e_i, e_{i+1}] (the first also 0); only non-empty bins are returned, with their counts.
 */
export function calibrationCurve(yTrue: ArrayLike<number>, probabilities: ArrayLike<number>, nBins = 10): CurveResult<CalibrationBin> {
  checkSameLength(yTrue, probabilities, "calibrationCurve");
  checkFinite(probabilities, "calibrationCurve probabilities");
  checkLabels(yTrue, "calibrationCurve y_true");
  if (!Number.isInteger(nBins) || nBins < 1) throw new RangeError(`calibrationCurve: nBins must be a positive integer, got ${nBins}`);
  if (yTrue.length === 0) return { points: null, reason: "no rows" };
  if (!areProbabilities(probabilities)) return { points: null, reason: "scores are not probabilities in [0, 1]" };
  const edges = linspaceEdges(0, 1, nBins);
  const predicted = new Float64Array(nBins);
  const observed = new Float64Array(nBins);
  const counts = new Float64Array(nBins);
  for (let i = 0; i < yTrue.length; i++) {
    const p = probabilities[i]!;
    // numpy.searchsorted(edges[1:-1], p, side="left"): the number of inner edges below p.
    let lo = 0;
    let hi = nBins - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (edges[mid + 1]! < p) lo = mid + 1;
      else hi = mid;
    }
    predicted[lo]! += p;
    observed[lo]! += yTrue[i]!;
    counts[lo]!++;
  }
  const bins: CalibrationBin[] = [];
  for (let b = 0; b < nBins; b++) {
    const count = counts[b]!;
    if (count === 0) continue;
    bins.push({ lower: edges[b]!, upper: edges[b + 1]!, meanPredicted: predicted[b]! / count, fractionPositive: observed[b]! / count, count });
  }
  return { points: bins, fullLength: bins.length, reason: null };
}
