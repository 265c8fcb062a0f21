/**
 * A data-drift report from reference and current column data: every statistic of server/ml/monitor-stats
 * per feature, the verdict in the monitor's mode (calibrated thresholds, cached in ThresholdCache, or
 * Evidently's defaults), the test Evidently would pick beside it, the dataset drift share and
 * prediction drift. The statistics themselves are server/ml's; this file only chooses and records.
 */
import { db } from "../db";
import { calibratedVerdict, calibrateThreshold, calibrationKey, referenceFingerprint, RESAMPLE_BELOW_RATIO, type CalibratedStatistic, type CalibratedThreshold } from "../ml/calibrated";
import type { ColumnData } from "../ml/column-data";
import { formatter, psiCurrent, psiReferenceOf } from "../ml/column-drift";
import { evidentlyVerdict, type EvidentlyVerdict } from "../ml/evidently";
import { datasetDriftShare, monitorColumnStats, predictionDrift, rowCount, type MonitorColumnStats } from "../ml/monitor-stats";
import { binAgainst } from "../ml/psi";
import type { FeatureResult } from "./schemas";

export interface DriftSettings {
  mode: "calibrated" | "evidently";
  alpha: number;
  effectFloors: Partial<Record<CalibratedStatistic, number>>;
  driftShare: number;
}

/** The calibrated statistic of a column kind: normed Wasserstein reads in reference standard deviations, Jensen–Shannon in bins. */
export const CALIBRATED_STATISTIC: Record<"numeric" | "categorical", CalibratedStatistic> = { numeric: "wasserstein", categorical: "jensenshannon" };

/** Bins shown per histogram: categorical references may have thousands of categories. */
const MAX_HISTOGRAM_BINS = 40;

/**
 * The window size a threshold is calibrated for: n rounded down to two significant digits (1,234 →
 * 1,200), so hourly windows of varying size share cached thresholds. Rounding down is the safe side: a
 * smaller window's threshold is larger, so the false-alarm rate stays at or under α.
 */
export function calibrationRows(n: number): number {
  if (n < 100) return n;
  const step = 10 ** (Math.floor(Math.log10(n)) - 1);
  return Math.floor(n / step) * step;
}

/** A threshold from the cache, or calibrated now and stored (a concurrent writer's equal row wins silently). */
export async function cachedThreshold(statistic: CalibratedStatistic, reference: ColumnData, n: number, alpha: number): Promise<CalibratedThreshold> {
  const key = calibrationKey(referenceFingerprint(reference), statistic, n, { alpha });
  const hit = await db().thresholdCache.findUnique({ where: { key } });
  // The key holds reference mode "auto": the reference was redrawn exactly when it is under 20 windows.
  if (hit) return { statistic, threshold: hit.threshold, alpha: hit.alpha, bootstraps: hit.bootstraps, n: hit.n, nRef: rowCount(reference), referenceResampled: rowCount(reference) < RESAMPLE_BELOW_RATIO * n };
  const fresh = calibrateThreshold(statistic, reference, n, { alpha });
  await db().thresholdCache.createMany({ data: [{ key, threshold: fresh.threshold, statistic, n, alpha, bootstraps: fresh.bootstraps }], skipDuplicates: true });
  return fresh;
}

function evidentlyOf(reference: ColumnData, current: ColumnData): EvidentlyVerdict | null {
  try {
    return evidentlyVerdict(reference, current);
  } catch {
    return null; // an empty side (all missing): Evidently would raise; the report says "not tested" instead
  }
}

/** One column's result in the monitor's mode; `skip` = false for the prediction column (never an identifier). */
export async function columnResult(name: string, reference: ColumnData, current: ColumnData, settings: DriftSettings, skip = true): Promise<FeatureResult> {
  const nRef = rowCount(reference);
  const nCur = rowCount(current);
  const base = { feature: name, kind: reference.kind, nRef, nCur };
  if (!(nRef > 0 && nCur > 0)) return { ...base, ...empty, statistic: "none", skipped: "no rows on one side" };
  const stats: MonitorColumnStats = skip ? monitorColumnStats(name, reference, current) : predictionDrift(reference, current);
  const evidently = evidentlyOf(reference, current);
  const figures = {
    psi: stats.psi,
    jensenShannon: stats.jensenShannon,
    ks: stats.ks?.statistic ?? null,
    wasserstein: stats.wasserstein?.normed ?? null,
    chiSquareP: stats.chiSquare?.pValue ?? null,
    missingShare: stats.missingShare,
    unseenShare: stats.unseenShare,
    evidently: evidently ? { test: evidently.test, statistic: evidently.statistic, threshold: evidently.threshold, drifted: evidently.drifted } : null,
  };
  if (stats.skipped) return { ...base, ...figures, statistic: "none", value: null, threshold: null, effect: null, floor: null, drifted: false, skipped: stats.skipped };
  if (settings.mode === "evidently") {
    if (!evidently) return { ...base, ...figures, statistic: "none", value: null, threshold: null, effect: null, floor: null, drifted: false, skipped: "no finite values on one side" };
    return { ...base, ...figures, statistic: evidently.test, value: evidently.statistic, threshold: evidently.threshold, effect: null, floor: null, drifted: evidently.drifted, skipped: null };
  }
  const statistic = CALIBRATED_STATISTIC[reference.kind];
  const threshold = await cachedThreshold(statistic, reference, calibrationRows(Math.round(nCur)), settings.alpha);
  const verdict = calibratedVerdict(stats, threshold, settings.effectFloors);
  if (!verdict) return { ...base, ...figures, statistic, value: null, threshold: threshold.threshold, effect: null, floor: null, drifted: false, skipped: "statistic not computable (no finite values)" };
  return { ...base, ...figures, statistic, value: verdict.value, threshold: verdict.threshold, effect: verdict.effect, floor: verdict.floor, drifted: verdict.drifted, skipped: null };
}

const empty = { value: null, threshold: null, effect: null, floor: null, drifted: false, evidently: null, psi: null, jensenShannon: null, ks: null, wasserstein: null, chiSquareP: null, missingShare: null, unseenShare: null };

/** Reference and current shares per PSI bin of one column (the report page's histogram). */
export function histogram(name: string, reference: ColumnData, current: ColumnData): { feature: string; bins: { label: string; reference: number; current: number }[] } {
  const binned = binAgainst(psiReferenceOf(reference), psiCurrent(current), formatter("numeric"));
  const refTotal = binned.reference.reduce((s, x) => s + x, 0) || 1;
  const curTotal = binned.current.reduce((s, x) => s + x, 0) || 1;
  const bins = binned.labels.map((label, i) => ({ label, reference: binned.reference[i]! / refTotal, current: binned.current[i]! / curTotal }));
  if (bins.length <= MAX_HISTOGRAM_BINS) return { feature: name, bins };
  // Too many to draw: the biggest bins of either side, in their order.
  const cutoff = bins.map((b) => Math.max(b.reference, b.current)).sort((a, b) => b - a)[MAX_HISTOGRAM_BINS - 1]!;
  const shown = bins.filter((b) => Math.max(b.reference, b.current) >= cutoff);
  return { feature: name, bins: shown.slice(0, MAX_HISTOGRAM_BINS) };
}

export interface DataDriftResult {
  features: FeatureResult[];
  share: ReturnType<typeof datasetDriftShare>;
  prediction: FeatureResult | null;
  histograms: ReturnType<typeof histogram>[];
}

/** Every watched feature and the prediction column: results, dataset drift share (tested columns only) and histograms. */
export async function dataDrift(reference: Map<string, ColumnData>, current: Map<string, ColumnData>, predictions: { reference: ColumnData; current: ColumnData } | null, settings: DriftSettings): Promise<DataDriftResult> {
  const features: FeatureResult[] = [];
  const histograms: ReturnType<typeof histogram>[] = [];
  for (const [name, ref] of reference) {
    const cur = current.get(name);
    if (!cur) continue;
    features.push(await columnResult(name, ref, cur, settings));
    if (rowCount(ref) > 0 && rowCount(cur) > 0) histograms.push(histogram(name, ref, cur));
  }
  const tested = features.filter((f) => f.skipped === null);
  const share = datasetDriftShare(tested, settings.driftShare);
  let prediction: FeatureResult | null = null;
  if (predictions && rowCount(predictions.reference) > 0 && rowCount(predictions.current) > 0) {
    prediction = await columnResult("prediction", predictions.reference, predictions.current, settings, false);
    histograms.push(histogram("prediction", predictions.reference, predictions.current));
  }
  return { features, share, prediction, histograms };
}
