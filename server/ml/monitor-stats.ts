/**
 * What a drift monitor computes per feature (and on the prediction column) between a reference
 * (training data) and a current window, built from the one definition of each statistic: PSI and its
 * bins (psi.ts), KS, Wasserstein and Jensen–Shannon (drift.ts), pooled chi-square and the skipping of
 * identifier-like columns (categorical-drift.ts). Nothing here is computed a second way.
 */
import { pooledChiSquare, skipReason, type SkipReason } from "./categorical-drift";
import type { ColumnData } from "./column-data";
import { psiCurrent, psiReferenceOf } from "./column-drift";
import { jensenShannon, ks2samp, wasserstein1 } from "./drift";
import { psi } from "./psi";
import { meanVariance, sortFloat64 } from "./stats";

/**
 * Evidently divides by max(np.std(reference), 0.001) (evidently/legacy/calculations/stattests/
 * wasserstein_distance_norm.py), so a constant reference gives distance / 0.001 instead of ∞.
 */
export const WASSERSTEIN_STD_FLOOR = 0.001;
/** Jensen–Shannon in natural-log units, as Evidently calls scipy's jensenshannon (base=None). */
export const JS_BASE = Math.E;

/** Population standard deviation (numpy's np.std, ddof = 0) of finite values. */
export function populationStd(values: ArrayLike<number>): number {
  const { count, variance } = meanVariance(values);
  if (count === 0) return NaN;
  return count === 1 ? 0 : Math.sqrt((variance * (count - 1)) / count);
}

/**
 * Wasserstein-1 distance (scipy.stats.wasserstein_distance) and Evidently's normed form: the distance
 * over the reference's population standard deviation (floored at 0.001), so it reads in units of the
 * reference's spread whatever the feature's scale. Non-finite values are left out, as Evidently does.
 */
export function wassersteinNormed(reference: ArrayLike<number>, current: ArrayLike<number>): { distance: number; normed: number; referenceStd: number } {
  const ref = finiteOnly(reference);
  const cur = finiteOnly(current);
  const distance = wasserstein1(ref, cur);
  const referenceStd = populationStd(ref);
  return { distance, normed: distance / Math.max(referenceStd, WASSERSTEIN_STD_FLOOR), referenceStd };
}

function finiteOnly(values: ArrayLike<number>): ArrayLike<number> {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) return Float64Array.from(values as ArrayLike<number>).filter(Number.isFinite);
  }
  return values;
}

/** A numeric column's data from raw values (NaN = missing), sorted as ColumnData keeps them. */
export function numericColumnData(values: ArrayLike<number>, type: "numeric" | "integer" = "numeric"): ColumnData {
  const present = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (x === x) present[n++] = x;
  }
  return { kind: "numeric", type, values: sortFloat64(present.subarray(0, n)), missing: values.length - n, sampled: false, scale: 1 };
}

/** A categorical column's data from raw values (null = missing). */
export function categoricalColumnData(values: Iterable<string | null>): ColumnData {
  const counts = new Map<string, number>();
  let missing = 0;
  for (const v of values) {
    if (v === null) missing++;
    else counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return { kind: "categorical", type: "categorical", counts, missing, distinct: counts.size, approx: false };
}

/** Rows of a column, missing included (numeric counts scaled back when the values are a sample). */
export function rowCount(c: ColumnData): number {
  if (c.kind === "numeric") return c.values.length * c.scale + c.missing;
  let n = c.missing;
  for (const v of c.counts.values()) n += v;
  return n;
}

export interface MonitorColumnStats {
  skipped: SkipReason | null;
  kind: "numeric" | "categorical";
  /** Rows on each side, missing included. */
  nRef: number;
  nCur: number;
  psi: number;
  /** Jensen–Shannon distance (base e) on the PSI's bins: reference bins, missing bin, unseen bin. */
  jensenShannon: number;
  missingShare: { reference: number; current: number };
  /** Share of current rows whose category the reference never had (0 for numeric columns). */
  unseenShare: number;
  ks: { statistic: number; pValue: number; method: "exact" | "asymp" } | null;
  wasserstein: { distance: number; normed: number; referenceStd: number } | null;
  chiSquare: { statistic: number; pValue: number; dof: number; pooled: number } | null;
  /** Why chi-square was not run on a categorical column (expected counts too small …). */
  chiSquareNote: string | null;
}

/**
 * Every monitor statistic of one column. `name` decides identifier-like skipping (see skipReason);
 * the prediction column goes through predictionDrift, which never skips.
 */
export function monitorColumnStats(name: string, reference: ColumnData, current: ColumnData, skip = true): MonitorColumnStats {
  if (reference.kind !== current.kind) throw new RangeError(`monitor: column ${name} is ${reference.kind} in the reference but ${current.kind} now`);
  const nRef = rowCount(reference);
  const nCur = rowCount(current);
  if (!(nRef > 0 && nCur > 0)) throw new RangeError(`monitor: column ${name} needs rows on both sides`);
  const skipped = skip ? columnSkip(name, reference) : null;
  const binned = psi(psiReferenceOf(reference), psiCurrent(current));
  const refTotal = binned.reference.reduce((s, x) => s + x, 0);
  const curTotal = binned.current.reduce((s, x) => s + x, 0);
  const out: MonitorColumnStats = {
    skipped,
    kind: reference.kind,
    nRef,
    nCur,
    psi: binned.psi,
    jensenShannon: jensenShannon(binned.reference, binned.current, JS_BASE),
    missingShare: { reference: binned.reference[0]! / refTotal, current: binned.current[0]! / curTotal },
    unseenShare: reference.kind === "categorical" ? binned.current.at(-1)! / curTotal : 0,
    ks: null,
    wasserstein: null,
    chiSquare: null,
    chiSquareNote: null,
  };
  if (reference.kind === "numeric" && current.kind === "numeric") {
    if (reference.values.length > 0 && current.values.length > 0) {
      const { statistic, pValue, method } = ks2samp(reference.values, current.values);
      out.ks = { statistic, pValue, method };
      if (finiteCount(reference.values) > 0 && finiteCount(current.values) > 0) out.wasserstein = wassersteinNormed(reference.values, current.values);
    }
  } else if (reference.kind === "categorical" && current.kind === "categorical") {
    const chi = pooledChiSquare(reference.counts, current.counts, reference.missing, current.missing);
    if (chi.valid) out.chiSquare = { statistic: chi.statistic, pValue: chi.pValue, dof: chi.dof, pooled: chi.pooled.length };
    else out.chiSquareNote = chi.reason;
  }
  return out;
}

function finiteCount(values: Float64Array): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) n++;
  return n;
}

function columnSkip(name: string, c: ColumnData): SkipReason | null {
  if (c.kind === "numeric") return skipReason(name, { kind: "numeric", type: c.type });
  let nonMissing = 0;
  for (const v of c.counts.values()) nonMissing += v;
  return skipReason(name, { kind: "categorical", type: c.type, distinct: c.distinct, nonMissing });
}

/** Prediction drift: the same statistics on the model's output column (never skipped as an identifier). */
export function predictionDrift(reference: ColumnData, current: ColumnData): MonitorColumnStats {
  return monitorColumnStats("prediction", reference, current, false);
}

/** Dataset-level drift: the share of tested columns that drifted, against a share threshold (Evidently: 0.5). */
export function datasetDriftShare(verdicts: readonly { drifted: boolean }[], threshold = 0.5): { columns: number; drifted: number; share: number; datasetDrift: boolean } {
  const drifted = verdicts.filter((v) => v.drifted).length;
  const share = verdicts.length > 0 ? drifted / verdicts.length : 0;
  // evidently/legacy/calculations/data_drift.py get_dataset_drift: share_drifted_columns >= drift_share.
  return { columns: verdicts.length, drifted, share, datasetDrift: verdicts.length > 0 && share >= threshold };
}
