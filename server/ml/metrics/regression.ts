/**
 * Regression metrics with scikit-learn 1.2 semantics: mean_squared_error (squared=False),
 * mean_absolute_error, mean_absolute_percentage_error and r2_score, plus a residual histogram.
 */
import { histogram, meanVariance, sum } from "../stats";
import { checkFinite, checkSameLength, metric, undefinedMetric, type HistogramBin, type MetricResult } from "./types";

export interface RegressionMetrics {
  rmse: MetricResult;
  mae: MetricResult;
  mape: MetricResult;
  r2: MetricResult;
}

// sklearn divides by max(|y|, machine epsilon) so that y = 0 yields a huge but finite term.
const MAPE_EPSILON = 2.220446049250313e-16;
const NO_ROWS = "no rows";

function check(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, what: string): void {
  checkSameLength(yTrue, yPred, what);
  checkFinite(yTrue, `${what} y_true`);
  checkFinite(yPred, `${what} y_pred`);
}

/** Per-row absolute errors |y_true − y_pred|. */
export function absoluteErrors(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): Float64Array {
  checkSameLength(yTrue, yPred, "absoluteErrors");
  const out = new Float64Array(yTrue.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.abs(yTrue[i]! - yPred[i]!);
  return out;
}

/** Per-row squared errors (y_true − y_pred)². */
export function squaredErrors(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): Float64Array {
  checkSameLength(yTrue, yPred, "squaredErrors");
  const squares = new Float64Array(yTrue.length);
  for (let i = 0; i < squares.length; i++) {
    const d = yTrue[i]! - yPred[i]!;
    squares[i] = d * d;
  }
  return squares;
}

function squaredErrorSum(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  return sum(squaredErrors(yTrue, yPred));
}

/** Root mean squared error (sklearn mean_squared_error with squared=False). */
export function rmse(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): MetricResult {
  check(yTrue, yPred, "rmse");
  if (yTrue.length === 0) return undefinedMetric(NO_ROWS);
  return metric(Math.sqrt(squaredErrorSum(yTrue, yPred) / yTrue.length), "squared errors overflow");
}

/** Mean absolute error (sklearn mean_absolute_error). */
export function mae(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): MetricResult {
  check(yTrue, yPred, "mae");
  if (yTrue.length === 0) return undefinedMetric(NO_ROWS);
  return metric(sum(absoluteErrors(yTrue, yPred)) / yTrue.length, "absolute errors overflow");
}

/** Mean absolute percentage error as a fraction, dividing by max(|y_true|, ε) like sklearn. */
export function mape(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): MetricResult {
  check(yTrue, yPred, "mape");
  const n = yTrue.length;
  if (n === 0) return undefinedMetric(NO_ROWS);
  const terms = new Float64Array(n);
  let zeros = 0;
  for (let i = 0; i < n; i++) {
    const scale = Math.abs(yTrue[i]!);
    if (scale < MAPE_EPSILON) zeros++;
    terms[i] = Math.abs(yPred[i]! - yTrue[i]!) / Math.max(scale, MAPE_EPSILON);
  }
  const note = zeros > 0 ? `${zeros} rows have y_true = 0; sklearn divides their error by machine epsilon, so they dominate MAPE` : undefined;
  return metric(sum(terms) / n, "percentage errors overflow", note);
}

/**
 * Coefficient of determination as sklearn r2_score (force_finite): for constant y_true it is 1 when the
 * predictions are exact and 0 otherwise; undefined below two rows.
 */
export function r2(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): MetricResult {
  check(yTrue, yPred, "r2");
  const n = yTrue.length;
  if (n === 0) return undefinedMetric(NO_ROWS);
  if (n < 2) return undefinedMetric("R² needs at least two rows");
  const numerator = squaredErrorSum(yTrue, yPred);
  // Constancy is tested exactly: a float variance of identical values can round to a tiny non-zero
  // number and turn R² into a huge negative artefact.
  let constant = true;
  for (let i = 1; i < n && constant; i++) constant = yTrue[i] === yTrue[0];
  if (constant) {
    return { value: numerator === 0 ? 1 : 0, reason: null, note: "y_true is constant; R² follows sklearn's force_finite convention" };
  }
  const denominator = meanVariance(yTrue).variance * (n - 1);
  return metric(1 - numerator / denominator, "total sum of squares overflows");
}

/** RMSE, MAE, MAPE and R² together; all undefined for an empty input. */
export function regressionMetrics(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): RegressionMetrics {
  return { rmse: rmse(yTrue, yPred), mae: mae(yTrue, yPred), mape: mape(yTrue, yPred), r2: r2(yTrue, yPred) };
}

/** Residuals y_true − y_pred (observed minus predicted, so positive means under-prediction). */
export function residuals(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): Float64Array {
  checkSameLength(yTrue, yPred, "residuals");
  const out = new Float64Array(yTrue.length);
  for (let i = 0; i < out.length; i++) out[i] = yTrue[i]! - yPred[i]!;
  return out;
}

/** Equal-width histogram of residuals y_true − y_pred with numpy.histogram's bins (30 by default). */
export function residualHistogram(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, bins = 30): HistogramBin[] {
  check(yTrue, yPred, "residualHistogram");
  if (yTrue.length === 0) return [];
  const { edges, counts } = histogram(residuals(yTrue, yPred), bins);
  return counts.map((count, i) => ({ lower: edges[i]!, upper: edges[i + 1]!, count }));
}
