/**
 * Drift statistics between a reference and a current distribution: two-sample Kolmogorov–Smirnov,
 * chi-square on a 2×k table, Jensen–Shannon distance and the 1-Wasserstein distance. Each matches the
 * SciPy 1.10 function named in its comment. PSI has its own module (psi.ts).
 */
import { kolmogorovTwoSidedSf } from "./kolmogorov";
import { KS_EXACT_MAX_N, ksExactTwoSided, roundHalfEven } from "./ks-exact";
import { chiSquareSf } from "./special-functions";
import { sortFloat64, sum } from "./stats";

export type KsMethod = "auto" | "exact" | "asymp";

export interface KsResult {
  statistic: number;
  pValue: number;
  /** The method that produced the p-value ("auto" resolves to one of these two). */
  method: "exact" | "asymp";
  /** Non-missing values in each sample. */
  n1: number;
  n2: number;
}

export interface ChiSquareResult {
  statistic: number;
  pValue: number;
  dof: number;
}

// Columns arrive sorted (ColumnData, the monitors' references): a scan is cheaper than a copy and a sort.
function isSortedFloat64(values: ArrayLike<number>): values is Float64Array {
  if (!(values instanceof Float64Array)) return false;
  for (let i = 1; i < values.length; i++) if (!(values[i - 1]! <= values[i]!)) return false;
  return values.length === 0 || values[0] === values[0];
}

function sortedFinite(values: ArrayLike<number>): Float64Array {
  if (isSortedFloat64(values)) return values;
  const out = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (x === x) out[n++] = x;
  }
  return sortFloat64(out.subarray(0, n));
}

// SciPy's "asymp" p-value is kstwo.sf(D, round(n·m/(n+m))), the finite-n distribution at the
// effective sample size, not the limiting Kolmogorov distribution. "auto" is exact while the larger
// sample has at most 10,000 values, as SciPy chooses. NaN values are ignored.
/** Two-sample two-sided Kolmogorov–Smirnov test, as scipy.stats.ks_2samp(a, b, method). */
export function ks2samp(a: ArrayLike<number>, b: ArrayLike<number>, method: KsMethod = "auto"): KsResult {
  const x = sortedFinite(a);
  const y = sortedFinite(b);
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError("ks2samp: both samples need at least one value");
  let i = 0;
  let j = 0;
  let maxDiff = -Infinity;
  let minDiff = Infinity;
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && x[i]! <= y[j]!) ? x[i]! : y[j]!;
    while (i < n1 && x[i]! <= v) i++;
    while (j < n2 && y[j]! <= v) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxDiff) maxDiff = diff;
    if (diff < minDiff) minDiff = diff;
  }
  const minS = Math.min(Math.max(-minDiff, 0), 1);
  let statistic = minS > maxDiff ? minS : maxDiff;
  const wantExact = method === "exact" || (method === "auto" && Math.max(n1, n2) <= KS_EXACT_MAX_N);
  const exact = wantExact ? ksExactTwoSided(n1, n2, statistic) : null;
  if (exact?.pValue != null) return { statistic: exact.statistic, pValue: exact.pValue, method: "exact", n1, n2 };
  if (exact) statistic = exact.statistic;
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const en = (m * n) / (m + n);
  const pValue = Math.min(Math.max(kolmogorovTwoSidedSf(roundHalfEven(en), statistic), 0), 1);
  return { statistic, pValue, method: "asymp", n1, n2 };
}

// Categories with a zero total are dropped (SciPy would reject the zero expected frequency).
/** Pearson chi-square test on the 2×k table of two count maps, as chi2_contingency(correction=False). */
export function chiSquareTest(countsA: Record<string, number>, countsB: Record<string, number>): ChiSquareResult {
  const keys = new Set([...Object.keys(countsA), ...Object.keys(countsB)]);
  const rowA: number[] = [];
  const rowB: number[] = [];
  for (const key of keys) {
    const a = countsA[key] ?? 0;
    const b = countsB[key] ?? 0;
    if (a < 0 || b < 0 || !Number.isFinite(a) || !Number.isFinite(b)) throw new RangeError(`chiSquareTest: invalid count for ${key}`);
    if (a + b === 0) continue;
    rowA.push(a);
    rowB.push(b);
  }
  const totalA = sum(rowA);
  const totalB = sum(rowB);
  if (totalA === 0 || totalB === 0) throw new RangeError("chiSquareTest: both samples need observations");
  const dof = rowA.length - 1;
  if (dof === 0) return { statistic: 0, pValue: 1, dof };
  const total = totalA + totalB;
  let statistic = 0;
  for (let k = 0; k < rowA.length; k++) {
    const column = rowA[k]! + rowB[k]!;
    const expectedA = (totalA * column) / total;
    const expectedB = (totalB * column) / total;
    statistic += (rowA[k]! - expectedA) ** 2 / expectedA + (rowB[k]! - expectedB) ** 2 / expectedB;
  }
  return { statistic, pValue: chiSquareSf(statistic, dof), dof };
}

function relativeEntropy(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  return x === 0 && y >= 0 ? 0 : Infinity;
}

// The distance is the square root of the divergence; in base 2 it lies in [0, 1], in base e (what
// Evidently passes: base=None) in [0, √ln 2 ≈ 0.833].
/** Jensen–Shannon distance between two count vectors, as scipy.spatial.distance.jensenshannon(p, q, base). */
export function jensenShannon(p: ArrayLike<number>, q: ArrayLike<number>, base = 2): number {
  if (p.length !== q.length) throw new RangeError("jensenShannon: vectors differ in length");
  const sp = sum(p);
  const sq = sum(q);
  if (!(sp > 0 && sq > 0)) throw new RangeError("jensenShannon: vectors need positive mass");
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]! / sp;
    const qi = q[i]! / sq;
    const m = (pi + qi) / 2;
    left += relativeEntropy(pi, m);
    right += relativeEntropy(qi, m);
  }
  // Rounding can leave a divergence of about −1e−17 for identical inputs; the distance is then 0.
  return Math.sqrt(Math.max(0, (left + right) / Math.log(base) / 2));
}

/** First Wasserstein (earth mover's) distance between two samples, as scipy.stats.wasserstein_distance. */
export function wasserstein1(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const x = sortedFinite(a);
  const y = sortedFinite(b);
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError("wasserstein1: both samples need at least one value");
  // Integrate |F_a − F_b| between consecutive pooled values.
  let i = 0;
  let j = 0;
  let total = 0;
  let compensation = 0;
  let previous = Math.min(x[0]!, y[0]!);
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && x[i]! <= y[j]!) ? x[i]! : y[j]!;
    const term = Math.abs(i / n1 - j / n2) * (v - previous);
    const t = total + term;
    compensation += total >= term ? total - t + term : term - t + total;
    total = t;
    previous = v;
    while (i < n1 && x[i]! <= v) i++;
    while (j < n2 && y[j]! <= v) j++;
  }
  return total + compensation;
}
