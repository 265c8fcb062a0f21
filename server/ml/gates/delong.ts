/** DeLong's test for two correlated ROC AUCs on the same rows (fast midrank form, Sun & Xu 2014). Pure computation. */
import { normalSf } from "./distributions";

// Midranks (1-based, ties averaged) of values, O(n log n).
function midranks(values: Float64Array): Float64Array {
  const n = values.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((i, j) => values[i]! - values[j]!);
  const ranks = new Float64Array(n);
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && values[order[end]!] === values[order[start]!]) end++;
    const average = (start + end + 1) / 2;
    for (let k = start; k < end; k++) ranks[order[k]!] = average;
    start = end;
  }
  return ranks;
}

// Structural components of one model's AUC: V10 per positive, V01 per negative (Sun & Xu, eq. 6–8).
function components(scores: ArrayLike<number>, positives: Uint32Array, negatives: Uint32Array): { auc: number; v10: Float64Array; v01: Float64Array } {
  const m = positives.length;
  const n = negatives.length;
  const x = new Float64Array(m);
  const y = new Float64Array(n);
  const z = new Float64Array(m + n);
  for (let i = 0; i < m; i++) z[i] = x[i] = scores[positives[i]!]!;
  for (let j = 0; j < n; j++) z[m + j] = y[j] = scores[negatives[j]!]!;
  const tx = midranks(x);
  const ty = midranks(y);
  const tz = midranks(z);
  const v10 = new Float64Array(m);
  const v01 = new Float64Array(n);
  let rankSum = 0;
  for (let i = 0; i < m; i++) {
    rankSum += tz[i]!;
    v10[i] = (tz[i]! - tx[i]!) / n;
  }
  for (let j = 0; j < n; j++) v01[j] = 1 - (tz[m + j]! - ty[j]!) / m;
  return { auc: (rankSum - (m * (m + 1)) / 2) / (m * n), v10, v01 };
}

// Sample covariance (ddof = 1) of two equally long arrays.
function covariance(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let meanA = 0;
  let meanB = 0;
  for (let i = 0; i < n; i++) {
    meanA += a[i]!;
    meanB += b[i]!;
  }
  meanA /= n;
  meanB /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[i]! - meanA) * (b[i]! - meanB);
  return s / (n - 1);
}

export interface DeLongResult {
  aucA: number;
  aucB: number;
  /** aucB − aucA. */
  difference: number;
  /** DeLong variance of the difference and its z = difference / √variance. */
  variance: number;
  z: number;
  /** Two-sided normal p-value. */
  pValue: number;
}

/**
 * DeLong's test that two models' ROC AUCs on the same labelled rows are equal. `labels` are 1 (positive)
 * and 0 (negative); higher scores mean positive. Needs at least two positives and two negatives.
 */
export function delongTest(labels: ArrayLike<number>, scoresA: ArrayLike<number>, scoresB: ArrayLike<number>): DeLongResult {
  if (labels.length !== scoresA.length || labels.length !== scoresB.length) throw new RangeError("delongTest: labels and scores must have the same length");
  let m = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) m++;
  const positives = new Uint32Array(m);
  const negatives = new Uint32Array(labels.length - m);
  let p = 0;
  let q = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 1) positives[p++] = i;
    else if (labels[i] === 0) negatives[q++] = i;
    else throw new RangeError(`delongTest: label ${labels[i]} at row ${i} is neither 0 nor 1`);
  }
  if (m < 2 || negatives.length < 2) throw new RangeError("delongTest: needs at least two positive and two negative rows");
  const a = components(scoresA, positives, negatives);
  const b = components(scoresB, positives, negatives);
  const n = negatives.length;
  const variance =
    (covariance(a.v10, a.v10) + covariance(b.v10, b.v10) - 2 * covariance(a.v10, b.v10)) / m +
    (covariance(a.v01, a.v01) + covariance(b.v01, b.v01) - 2 * covariance(a.v01, b.v01)) / n;
  const difference = b.auc - a.auc;
  const z = difference / Math.sqrt(variance);
  const pValue = variance > 0 ? Math.min(1, 2 * normalSf(Math.abs(z))) : difference === 0 ? 1 : 0;
  return { aucA: a.auc, aucB: b.auc, difference, variance, z: variance > 0 ? z : NaN, pValue };
}
