/**
 * Shared shapes for model evaluation metrics. Every value that can be undefined for some input carries
 * a reason instead of NaN, so reports survive JSON.stringify and the UI can say why a cell is empty.
 */

/** A metric value, or null with the reason it is undefined; `note` flags a defined but caveated value. */
export type MetricResult = { value: number; reason: null; note?: string } | { value: null; reason: string };

/** A chart series, or null with the reason it cannot be drawn; `fullLength` counts points before downsampling. */
export type CurveResult<P> = { points: P[]; fullLength: number; reason: null } | { points: null; reason: string };

/** One equal-width histogram bin [lower, upper) (the last bin also holds its upper edge). */
export interface HistogramBin {
  lower: number;
  upper: number;
  count: number;
}

/** Values a slice or sensitive column may hold; null, undefined and NaN mean missing. */
export type GroupValue = string | number | boolean | null | undefined;

/** Binary outcome counts at a decision threshold (positive when score ≥ threshold). */
export interface ConfusionMatrix {
  tn: number;
  fp: number;
  fn: number;
  tp: number;
}

/** A defined metric value, or an undefined one when `value` is not finite. */
export function metric(value: number, reasonIfUndefined: string, note?: string): MetricResult {
  if (!Number.isFinite(value)) return { value: null, reason: reasonIfUndefined };
  return note === undefined ? { value, reason: null } : { value, reason: null, note };
}

/** A metric value known to be defined, with an optional caveat. */
export function defined(value: number, note?: string): MetricResult {
  return note === undefined ? { value, reason: null } : { value, reason: null, note };
}

/** An undefined metric with its reason. */
export function undefinedMetric(reason: string): MetricResult {
  return { value: null, reason };
}

/** Checks that two columns have one value per row. */
export function checkSameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>, what: string): void {
  if (a.length !== b.length) throw new RangeError(`${what}: lengths differ (${a.length} vs ${b.length})`);
}

/** Checks that every value is a finite number, as scikit-learn rejects NaN and infinity in inputs. */
export function checkFinite(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new RangeError(`${what}: value at row ${i} is not a finite number (${values[i]})`);
  }
}

/** Checks that binary labels are 0 or 1 and returns the number of positives. */
export function checkLabels(yTrue: ArrayLike<number>, what: string): number {
  let positives = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const y = yTrue[i];
    if (y === 1) positives++;
    else if (y !== 0) throw new RangeError(`${what}: label at row ${i} is ${y}, expected 0 or 1`);
  }
  return positives;
}

/** Whether every score lies in [0, 1], i.e. can be read as a probability of the positive class. */
export function areProbabilities(scores: ArrayLike<number>): boolean {
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (!(s >= 0 && s <= 1)) return false;
  }
  return true;
}
