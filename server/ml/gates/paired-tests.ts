/** Paired significance tests for champion/challenger gates: t-test, Wilcoxon, McNemar, Holm. Pure computation. */
import { chiSquareSf } from "../special-functions";
import { meanVariance } from "../stats";
import { binomialHalfCdf, normalCdf, normalSf, studentTSf } from "./distributions";

/** Which tail the alternative hypothesis names, as scipy's `alternative` (about x − y). */
export type Alternative = "two-sided" | "greater" | "less";

export interface TestResult {
  statistic: number;
  pValue: number;
}

function pFromSf(statistic: number, sf: (s: number) => number, cdf: (s: number) => number, alternative: Alternative): number {
  if (Number.isNaN(statistic)) return NaN;
  if (alternative === "greater") return sf(statistic);
  if (alternative === "less") return cdf(statistic);
  return Math.min(1, 2 * sf(Math.abs(statistic)));
}

function differences(x: ArrayLike<number>, y: ArrayLike<number>): Float64Array {
  if (x.length !== y.length) throw new RangeError(`paired test: ${x.length} and ${y.length} values are not paired`);
  const d = new Float64Array(x.length);
  for (let i = 0; i < d.length; i++) d[i] = x[i]! - y[i]!;
  return d;
}

/**
 * Paired t-test of mean(x − y) = 0, as scipy.stats.ttest_rel(x, y, alternative). The statistic is
 * mean(d) / (sd(d) / √n) with n − 1 degrees of freedom; NaN with fewer than two pairs or constant d ≠ 0 gives ±∞.
 */
export function pairedTTest(x: ArrayLike<number>, y: ArrayLike<number>, alternative: Alternative = "two-sided"): TestResult & { dof: number } {
  const d = differences(x, y);
  const dof = d.length - 1;
  if (d.length < 2) return { statistic: NaN, pValue: NaN, dof };
  const { mean, variance } = meanVariance(d);
  const statistic = mean / Math.sqrt(variance / d.length);
  const pValue = pFromSf(statistic, (t) => studentTSf(t, dof), (t) => studentTSf(-t, dof), alternative);
  return { statistic, pValue, dof };
}

// Average ranks (1-based) of |d| over the non-zero differences, and Σ(t³ − t) over tie groups.
function absoluteRanks(values: Float64Array): { ranks: Float64Array; tieTerm: number; hasTies: boolean } {
  const n = values.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const abs = values.map(Math.abs);
  order.sort((i, j) => abs[i]! - abs[j]!);
  const ranks = new Float64Array(n);
  let tieTerm = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && abs[order[end]!] === abs[order[start]!]) end++;
    const average = (start + end + 1) / 2;
    for (let k = start; k < end; k++) ranks[order[k]!] = average;
    const t = end - start;
    tieTerm += t * t * t - t;
    start = end;
  }
  return { ranks, tieTerm, hasTies: tieTerm > 0 };
}

// Null distribution of W+ for n untied non-zero differences: counts of subsets of {1..n} by their sum.
function signedRankCounts(n: number): Float64Array {
  const max = (n * (n + 1)) / 2;
  const counts = new Float64Array(max + 1);
  counts[0] = 1;
  for (let k = 1; k <= n; k++) for (let s = (k * (k + 1)) / 2; s >= k; s--) counts[s]! += counts[s - k]!;
  return counts;
}

export interface WilcoxonOptions {
  alternative?: Alternative;
  /** Continuity correction of the normal approximation (scipy's `correction`; scipy defaults to false). */
  correction?: boolean;
  /** "auto" as scipy: exact when n ≤ 50 with no ties and no zeros, else the normal approximation. */
  method?: "auto" | "exact" | "asymptotic";
}

/**
 * Wilcoxon signed-rank test of x − y, as scipy.stats.wilcoxon(x, y, zero_method="wilcox", ...).
 * Zero differences are dropped. The statistic is min(W+, W−) for two-sided, W+ otherwise (scipy's).
 * Normal approximation: z = (W+ − n(n+1)/4) / √((n(n+1)(2n+1) − Σ(t³−t)/2) / 24), minus sign(z)·½/se with
 * the correction. Where scipy's "auto" would run a permutation test (ties or zeros with n ≤ 13) this uses
 * the normal approximation, and `method` reports which was used.
 */
export function wilcoxonSignedRank(x: ArrayLike<number>, y: ArrayLike<number>, options: WilcoxonOptions = {}): TestResult & { method: "exact" | "asymptotic"; z: number | null } {
  const alternative = options.alternative ?? "two-sided";
  const all = differences(x, y);
  const d = all.filter((v) => v !== 0);
  const n = d.length;
  if (n === 0) return { statistic: NaN, pValue: NaN, method: "asymptotic", z: null };
  const { ranks, tieTerm, hasTies } = absoluteRanks(d);
  let rPlus = 0;
  for (let i = 0; i < n; i++) if (d[i]! > 0) rPlus += ranks[i]!;
  const rMinus = (n * (n + 1)) / 2 - rPlus;
  const statistic = alternative === "two-sided" ? Math.min(rPlus, rMinus) : rPlus;
  const requested = options.method ?? "auto";
  const exact = requested === "exact" || (requested === "auto" && all.length <= 50 && !hasTies && n === all.length);
  // 2^n overflows a double past n = 1023; the normal approximation is excellent long before.
  if (exact && n > 1000) throw new RangeError(`wilcoxonSignedRank: the exact distribution is limited to 1000 non-zero differences, got ${n}`);
  if (exact) {
    // scipy's WilcoxonDistribution: cdf(w) = P(W+ ≤ w), sf(w) = P(W+ ≥ w).
    const counts = signedRankCounts(n);
    const total = 2 ** n;
    const cdf = (w: number): number => { let s = 0; for (let k = 0; k <= Math.min(w, counts.length - 1); k++) s += counts[k]!; return s / total; };
    const sf = (w: number): number => { let s = 0; for (let k = Math.max(0, w); k < counts.length; k++) s += counts[k]!; return s / total; };
    let pValue: number;
    if (alternative === "less") pValue = cdf(Math.ceil(rPlus));
    else if (alternative === "greater") pValue = sf(Math.floor(rPlus));
    else pValue = Math.min(1, 2 * Math.min(sf(Math.floor(rPlus)), cdf(Math.ceil(rPlus))));
    return { statistic, pValue, method: "exact", z: null };
  }
  const mean = (n * (n + 1)) / 4;
  const se = Math.sqrt((n * (n + 1) * (2 * n + 1) - tieTerm / 2) / 24);
  let z = (rPlus - mean) / se;
  if (options.correction) {
    const sign = alternative === "greater" ? 1 : alternative === "less" ? -1 : Math.sign(z);
    z -= (sign * 0.5) / se;
  }
  const pValue = pFromSf(z, normalSf, normalCdf, alternative);
  return { statistic, pValue, method: "asymptotic", z: alternative === "two-sided" ? -Math.abs(z) : z };
}

export interface McNemarResult extends TestResult {
  /** Rows model A got right and B wrong, and the reverse (the discordant pairs). */
  onlyA: number;
  onlyB: number;
  method: "exact-binomial" | "chi-square-corrected";
}

/**
 * McNemar's test on paired correctness (1 = correct). With fewer than `exactBelow` discordant pairs
 * (default 25, statsmodels' advice) the exact two-sided binomial p = min(1, 2·P(X ≤ min(b, c))), X ~ Bin(b + c, ½),
 * as scipy.stats.binomtest; otherwise the chi-square statistic (|b − c| − 1)² / (b + c) with one degree of freedom.
 */
export function mcnemar(correctA: ArrayLike<number>, correctB: ArrayLike<number>, exactBelow = 25): McNemarResult {
  if (correctA.length !== correctB.length) throw new RangeError(`mcnemar: ${correctA.length} and ${correctB.length} rows are not paired`);
  let onlyA = 0;
  let onlyB = 0;
  for (let i = 0; i < correctA.length; i++) {
    const a = correctA[i] ? 1 : 0;
    const b = correctB[i] ? 1 : 0;
    if (a > b) onlyA++;
    else if (b > a) onlyB++;
  }
  return mcnemarFromCounts(onlyA, onlyB, exactBelow);
}

/** McNemar's test from the discordant counts; see {@link mcnemar}. */
export function mcnemarFromCounts(onlyA: number, onlyB: number, exactBelow = 25): McNemarResult {
  const discordant = onlyA + onlyB;
  if (discordant < exactBelow) {
    const statistic = Math.min(onlyA, onlyB);
    const pValue = discordant === 0 || onlyA === onlyB ? 1 : Math.min(1, 2 * binomialHalfCdf(statistic, discordant));
    return { statistic, pValue, onlyA, onlyB, method: "exact-binomial" };
  }
  const statistic = (Math.abs(onlyA - onlyB) - 1) ** 2 / discordant;
  return { statistic, pValue: chiSquareSf(statistic, 1), onlyA, onlyB, method: "chi-square-corrected" };
}

/**
 * Holm–Bonferroni step-down adjustment: the i-th smallest p (0-based) becomes max over j ≤ i of
 * min(1, (m − j)·p_(j)), returned in the input order; `rejected` is adjusted ≤ alpha.
 */
export function holmBonferroni(pValues: readonly number[], alpha = 0.05): { adjusted: number[]; rejected: boolean[] } {
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((i, j) => pValues[i]! - pValues[j]!);
  const adjusted = new Array<number>(m).fill(NaN);
  let running = 0;
  order.forEach((index, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * pValues[index]!));
    adjusted[index] = running;
  });
  return { adjusted, rejected: adjusted.map((p) => p <= alpha) };
}
