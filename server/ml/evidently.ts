/**
 * Evidently's default data-drift verdict per column, reproduced so users can compare Cairn's
 * calibrated verdicts with what Evidently would have said on the same data. Sources (Evidently's
 * legacy engine, which its presets still use):
 * - test choice: evidently/legacy/calculations/stattests/registry.py `_get_default_stattest`, and
 *   https://docs.evidentlyai.com/reference/data-drift-algorithm: with at most 1000 reference rows,
 *   numeric columns with more than 5 distinct values (reference and current together) → KS, otherwise
 *   chi-square, or the Z-test when at most 2 distinct values; categorical → chi-square, or Z with at
 *   most 2. With more than 1000 reference rows: numeric with more than 5 distinct → normed
 *   Wasserstein, otherwise Jensen–Shannon; categorical → Jensen–Shannon.
 * - thresholds: p-value tests 0.05 (KS drifts at p ≤ 0.05, chi-square and Z at p < 0.05), distances
 *   0.1 (drift at ≥ 0.1) (StatTest.default_threshold and each test's file).
 * - rows: NaN and ±∞ are dropped from both sides before anything (data_drift.py get_one_column_drift),
 *   so "reference rows" means non-missing finite values.
 * - dataset drift: share of drifted columns ≥ 0.5 (data_drift.py get_dataset_drift) — datasetDriftShare.
 * Evidently's text-column test (a domain classifier) is not reproduced: monitors skip free text.
 */
import type { ColumnData } from "./column-data";
import { jensenShannon, ks2samp } from "./drift";
import { JS_BASE, wassersteinNormed } from "./monitor-stats";
import { chiSquareSf, regularizedGammaQ } from "./special-functions";

export const EVIDENTLY_SMALL_REFERENCE = 1000;
export const EVIDENTLY_FEW_VALUES = 5;
export const EVIDENTLY_P_THRESHOLD = 0.05;
export const EVIDENTLY_DISTANCE_THRESHOLD = 0.1;

export type EvidentlyTest = "ks" | "chisquare" | "z" | "wasserstein" | "jensenshannon";

export interface EvidentlyVerdict {
  test: EvidentlyTest;
  /** p-value for ks/chisquare/z, distance for wasserstein (normed) and jensenshannon. */
  statistic: number;
  threshold: number;
  drifted: boolean;
  /** Non-missing finite values on each side, and distinct values of both together. */
  nRef: number;
  nCur: number;
  nUnique: number;
}

/** Value counts of a column without missing and non-finite values, keyed as strings. */
function valueCounts(c: ColumnData): Map<string, number> {
  if (c.kind === "categorical") return c.counts;
  const counts = new Map<string, number>();
  for (const x of c.values) if (Number.isFinite(x)) counts.set(String(x), (counts.get(String(x)) ?? 0) + 1);
  return counts;
}

function sumOf(counts: ReadonlyMap<string, number>): number {
  let n = 0;
  for (const c of counts.values()) n += c;
  return n;
}

function finiteValues(c: Extract<ColumnData, { kind: "numeric" }>): Float64Array {
  let lo = 0;
  let hi = c.values.length;
  while (lo < hi && c.values[lo] === -Infinity) lo++;
  while (hi > lo && c.values[hi - 1] === Infinity) hi--;
  return c.values.subarray(lo, hi);
}

// Distinct values of two ascending arrays together (pd.concat([ref, cur]).nunique()), stopping early.
function distinctUpTo(a: Float64Array, b: Float64Array, cap: number): number {
  const seen = new Set<number>();
  for (const xs of [a, b]) {
    for (let i = 0; i < xs.length && seen.size <= cap; i++) if (i === 0 || xs[i] !== xs[i - 1]) seen.add(xs[i]! === 0 ? 0 : xs[i]!);
  }
  return seen.size;
}

/** Standard normal CDF as scipy's ndtr computes it for x ≥ 0: 1 − erfc(x/√2)/2, with erfc(y) = Q(½, y²). */
function normalCdfPositive(x: number): number {
  return 1 - 0.5 * regularizedGammaQ(0.5, (x * x) / 2);
}

/**
 * Evidently's Z-test for two categories (z_stattest.py): the share of values different from the
 * smallest key on each side, a pooled-proportion z and p = 2·(1 − Φ(|z|)); p = 1 when both sides hold
 * the same single value.
 */
export function evidentlyZTest(ref: ReadonlyMap<string, number>, cur: ReadonlyMap<string, number>, numericKeys: boolean): number {
  const refKeys = [...ref].filter(([, c]) => c > 0).map(([k]) => k);
  const curKeys = [...cur].filter(([, c]) => c > 0).map(([k]) => k);
  if (refKeys.length === 1 && curKeys.length === 1 && refKeys[0] === curKeys[0]) return 1;
  // Python's sorted(): numbers by value, strings by code point (JavaScript's < compares UTF-16 units,
  // which differs only between astral-plane characters).
  const keys = [...new Set([...refKeys, ...curKeys])].sort(numericKeys ? (x, y) => Number(x) - Number(y) : (x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const first = keys[0]!;
  const share = (m: ReadonlyMap<string, number>) => {
    let n = 0;
    let others = 0;
    for (const [k, c] of m) {
      n += c;
      if (k !== first) others += c;
    }
    return { n, p: others / n };
  };
  const a = share(ref);
  const b = share(cur);
  const pooled = (a.p * a.n + b.p * b.n) / (a.n + b.n);
  const z = (a.p - b.p) / Math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n));
  return 2 * (1 - normalCdfPositive(Math.abs(z)));
}

/**
 * Evidently's chi-square (chisquare_stattest.py): scipy.stats.chisquare goodness of fit of the current
 * counts against the reference shares scaled to the current size, over the keys of both sides. A key
 * the reference never had has an expected count of 0: the statistic is ∞ and p = 0, as in scipy.
 * (Cairn's own chi-square is the pooled contingency test of categorical-drift.ts; this one exists only
 * to reproduce Evidently.)
 */
export function evidentlyChiSquare(ref: ReadonlyMap<string, number>, cur: ReadonlyMap<string, number>): { statistic: number; pValue: number; dof: number } {
  const keys = new Set([...ref.keys(), ...cur.keys()]);
  let nRef = 0;
  let nCur = 0;
  for (const c of ref.values()) nRef += c;
  for (const c of cur.values()) nCur += c;
  const scale = nCur / nRef;
  let statistic = 0;
  for (const k of keys) {
    const expected = (ref.get(k) ?? 0) * scale;
    const observed = cur.get(k) ?? 0;
    statistic += (observed - expected) ** 2 / expected;
  }
  const dof = keys.size - 1;
  return { statistic, pValue: chiSquareSf(statistic, dof), dof };
}

/** Evidently's default drift test of one column, with its statistic, threshold and verdict. */
export function evidentlyVerdict(reference: ColumnData, current: ColumnData): EvidentlyVerdict {
  if (reference.kind !== current.kind) throw new RangeError("evidently: reference and current differ in kind");
  const numeric = reference.kind === "numeric" && current.kind === "numeric";
  // Numeric columns are counted by value only on the few-values branches (≤ 5 distinct values).
  const size = (c: ColumnData) => (c.kind === "numeric" ? finiteValues(c).length : sumOf(c.counts));
  const nRef = size(reference);
  const nCur = size(current);
  // Evidently raises on an empty column; a monitor reports it instead of a verdict.
  if (nRef === 0 || nCur === 0) throw new RangeError("evidently: an empty column (no finite, non-missing values) cannot be tested");
  const nUnique =
    reference.kind === "numeric" && current.kind === "numeric"
      ? distinctUpTo(finiteValues(reference), finiteValues(current), EVIDENTLY_FEW_VALUES)
      : new Set([...valueCounts(reference).keys(), ...valueCounts(current).keys()]).size;
  const base = { nRef, nCur, nUnique };
  const byP = (test: EvidentlyTest, p: number, inclusive: boolean): EvidentlyVerdict => ({
    test,
    statistic: p,
    threshold: EVIDENTLY_P_THRESHOLD,
    drifted: inclusive ? p <= EVIDENTLY_P_THRESHOLD : p < EVIDENTLY_P_THRESHOLD,
    ...base,
  });
  const byDistance = (test: EvidentlyTest, d: number): EvidentlyVerdict => ({ test, statistic: d, threshold: EVIDENTLY_DISTANCE_THRESHOLD, drifted: d >= EVIDENTLY_DISTANCE_THRESHOLD, ...base });
  const fewValues = !numeric || nUnique <= EVIDENTLY_FEW_VALUES;
  if (nRef <= EVIDENTLY_SMALL_REFERENCE) {
    if (!fewValues && numeric) return byP("ks", ks2samp(finiteValues(reference), finiteValues(current)).pValue, true);
    if (nUnique <= 2) return byP("z", evidentlyZTest(valueCounts(reference), valueCounts(current), numeric), false);
    return byP("chisquare", evidentlyChiSquare(valueCounts(reference), valueCounts(current)).pValue, false);
  }
  if (!fewValues && numeric) return byDistance("wasserstein", wassersteinNormed(finiteValues(reference), finiteValues(current)).normed);
  // get_binned_data(feel_zeroes=False) on the keys of both sides; ≤ 5 values never reach its histogram branch.
  const refCounts = valueCounts(reference);
  const curCounts = valueCounts(current);
  const keys = [...new Set([...refCounts.keys(), ...curCounts.keys()])];
  return byDistance(
    "jensenshannon",
    jensenShannon(
      keys.map((k) => refCounts.get(k) ?? 0),
      keys.map((k) => curCounts.get(k) ?? 0),
      JS_BASE,
    ),
  );
}
