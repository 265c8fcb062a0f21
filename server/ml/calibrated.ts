/**
 * Cairn's calibrated drift thresholds. Fixed thresholds (p < 0.05, distance ≥ 0.1) ignore the window
 * size: a statistic of a 100-row window drawn from the reference itself often exceeds 0.1, and a
 * million-row window rejects p < 0.05 on a trivial shift. Here the threshold of statistic S for
 * windows of n rows is the (1 − α) quantile of S(R, W_b) over B windows W_b of n rows drawn with
 * replacement from the reference R, so a window from the reference's distribution alarms with
 * probability at most α whatever n is; an effect-size floor keeps huge windows from alarming on
 * trivia. Verdict: S > threshold AND effect ≥ floor.
 */
import { pooledChiSquare } from "./categorical-drift";
import { BinSampler, compareTallies, drawGroupedWindow, drawTally, SortedReference } from "./calibration-windows";
import type { ColumnData } from "./column-data";
import { psiReferenceOf } from "./column-drift";
import { jensenShannon } from "./drift";
import { JS_BASE, populationStd, rowCount, WASSERSTEIN_STD_FLOOR, type MonitorColumnStats } from "./monitor-stats";
import { binAgainst, psiOfCounts } from "./psi";
import { Rng } from "./random";

export type CalibratedStatistic = "psi" | "jensenshannon" | "chisquare" | "ks" | "wasserstein";

/** Smallest effect that may alarm: PSI, JS (base e), normed Wasserstein, KS D, Cramér's V for chi-square. */
export const DEFAULT_EFFECT_FLOORS: Readonly<Record<CalibratedStatistic, number>> = { psi: 0.1, jensenshannon: 0.1, wasserstein: 0.1, ks: 0.1, chisquare: 0.1 };
export const DEFAULT_ALPHA = 0.05;
export const DEFAULT_BOOTSTRAPS = 1000;
const DEFAULT_SEED = 0x5eed;
// Floating-point noise between two ways of computing the same discrete value (KS D on a lattice,
// PSI of equal counts) must not turn a tie into an alarm.
const TIE_TOLERANCE = 1e-9;

/**
 * "fixed": S(R, W_b), windows drawn from R, as if R were the population. "resampled": S(R*_b, W_b)
 * with R*_b itself redrawn from R at its own size, so the threshold also carries R's sampling noise,
 * which matters once n is not small against n_ref (the null of "current traffic comes from the same
 * population as the reference" has variance ∝ 1/n + 1/n_ref, not 1/n). "auto" resamples when
 * n_ref < 20·n, where the fixed threshold would be too low by more than a few percent.
 */
export type ReferenceMode = "fixed" | "resampled" | "auto";
export const RESAMPLE_BELOW_RATIO = 20;

export interface CalibrationOptions {
  alpha?: number;
  bootstraps?: number;
  seed?: number;
  reference?: ReferenceMode;
}

export interface CalibratedThreshold {
  statistic: CalibratedStatistic;
  threshold: number;
  alpha: number;
  bootstraps: number;
  /** Window size (rows) the threshold holds for, and the reference rows it was drawn from. */
  n: number;
  nRef: number;
  /** Whether the reference was redrawn in each bootstrap (see ReferenceMode). */
  referenceResampled: boolean;
}

/**
 * The statistic's threshold for windows of n rows: the k-th smallest of B bootstrap values with
 * k = ⌈(1 − α)(B + 1)⌉. A window exchangeable with the bootstrap windows then exceeds it with
 * probability at most (B + 1 − k) / (B + 1) ≤ α, for any B ≥ 1/α − 1.
 */
export function calibrateThreshold(statistic: CalibratedStatistic, reference: ColumnData, n: number, options: CalibrationOptions = {}): CalibratedThreshold {
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const bootstraps = options.bootstraps ?? DEFAULT_BOOTSTRAPS;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`calibration: alpha must lie in (0, 1), got ${alpha}`);
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`calibration: the window size must be a positive integer, got ${n}`);
  const k = Math.ceil((1 - alpha) * (bootstraps + 1));
  if (!(Number.isInteger(bootstraps) && k <= bootstraps)) throw new RangeError(`calibration: ${bootstraps} bootstraps are too few for alpha ${alpha} (need at least ${Math.ceil(1 / alpha - 1)})`);
  const rng = new Rng(options.seed ?? DEFAULT_SEED);
  const nRef = rowCount(reference);
  const mode = options.reference ?? "auto";
  const resample = mode === "resampled" || (mode === "auto" && nRef < RESAMPLE_BELOW_RATIO * n);
  const values =
    statistic === "ks" || statistic === "wasserstein" ? sampleStatistics(statistic, reference, n, bootstraps, rng, resample) : histogramStatistics(statistic, reference, n, bootstraps, rng, resample);
  values.sort();
  return { statistic, threshold: values[k - 1]!, alpha, bootstraps, n, nRef, referenceResampled: resample };
}

function histogramStatistics(statistic: CalibratedStatistic, reference: ColumnData, n: number, bootstraps: number, rng: Rng, resample: boolean): Float64Array {
  const psiRef = psiReferenceOf(reference);
  const empty = reference.kind === "numeric" ? { kind: "numeric" as const, values: [], missing: 0 } : { kind: "categorical" as const, counts: new Map<string, number>(), missing: 0 };
  const binned = binAgainst(psiRef, empty);
  const expected = binned.reference;
  if (statistic === "chisquare" && reference.kind !== "categorical") throw new RangeError("calibration: chi-square is for categorical columns");
  const table = new BinSampler(expected);
  const counts = new Float64Array(expected.length);
  const redrawn = new Float64Array(expected.length);
  const refRows = Math.round(expected.reduce((a, x) => a + x, 0));
  const buffer = new Uint32Array(Math.min(Math.max(n, resample ? refRows : 0), 65536));
  // Bins are "(missing)", the reference's categories, "(unseen)" (never drawn from the reference).
  const categories = (c: Float64Array) => {
    const m = new Map<string, number>();
    for (let i = 1; i < binned.labels.length - 1; i++) if (c[i]! > 0) m.set(binned.labels[i]!, c[i]!);
    return m;
  };
  const out = new Float64Array(bootstraps);
  for (let b = 0; b < bootstraps; b++) {
    let ref: ArrayLike<number> = expected;
    if (resample) {
      redrawn.fill(0);
      table.addDraws(redrawn, refRows, rng, buffer);
      ref = redrawn;
    }
    counts.fill(0);
    table.addDraws(counts, n, rng, buffer);
    if (statistic === "psi") out[b] = psiOfCounts(ref, counts);
    else if (statistic === "jensenshannon") out[b] = jensenShannon(ref, counts, JS_BASE);
    else if (reference.kind === "categorical") {
      const chi = resample ? pooledChiSquare(categories(redrawn), categories(counts), redrawn[0], counts[0]) : pooledChiSquare(reference.counts, categories(counts), reference.missing, counts[0]);
      out[b] = chi.valid ? chi.statistic : 0;
    }
  }
  return out;
}

function sampleStatistics(statistic: "ks" | "wasserstein", reference: ColumnData, n: number, bootstraps: number, rng: Rng, resample: boolean): Float64Array {
  if (reference.kind !== "numeric") throw new RangeError(`calibration: ${statistic} is for numeric columns`);
  // Wasserstein is taken over finite values (as wassersteinNormed); KS over every non-missing value.
  const values = statistic === "wasserstein" ? reference.values.filter(Number.isFinite) : reference.values;
  const sorted = new SortedReference(values);
  const norm = statistic === "wasserstein" ? Math.max(populationStd(values), WASSERSTEIN_STD_FLOOR) : 1;
  // A window of n rows holds a random number of present values: missing rows are drawn too (their
  // count is rounded when the reference's values are a sample).
  const missingRows = Math.round(reference.missing / reference.scale) + (reference.values.length - values.length);
  const size = Math.min(n, sorted.distinct.length);
  const scratch = { draws: new Uint32Array(n), tally: new Uint32Array(sorted.distinct.length), ms: new Uint32Array(size), counts: new Uint32Array(size) };
  const out = new Float64Array(bootstraps);
  const refTally = resample ? new Uint32Array(sorted.distinct.length) : scratch.tally;
  const draws = new Uint32Array(Math.min(65536, Math.max(n, sorted.n)));
  for (let b = 0; b < bootstraps; b++) {
    let r: { ks: number; wasserstein: number };
    if (resample) {
      // The redrawn reference keeps its present values' count; the window draws missing rows too.
      drawTally(sorted, sorted.n, 0, rng, draws, refTally);
      const present = drawTally(sorted, n, missingRows, rng, draws, scratch.tally);
      if (present === 0) continue;
      r = compareTallies(sorted, refTally, sorted.n, scratch.tally, present, statistic === "wasserstein");
    } else {
      const { groups, present } = drawGroupedWindow(sorted, n, missingRows, rng, scratch);
      if (present === 0) continue;
      r = sorted.compare(scratch.ms, scratch.counts, groups, present, statistic === "wasserstein");
    }
    out[b] = statistic === "ks" ? r.ks : r.wasserstein / norm;
  }
  return out;
}

export interface CalibratedVerdict {
  statistic: CalibratedStatistic;
  value: number;
  threshold: number;
  effect: number;
  floor: number;
  drifted: boolean;
  nRef: number;
  nCur: number;
  alpha: number;
}

/** The statistic and its effect size from a column's monitor statistics; null when it was not computed. */
export function statisticOf(stats: MonitorColumnStats, statistic: CalibratedStatistic): { value: number; effect: number } | null {
  switch (statistic) {
    case "psi":
      return { value: stats.psi, effect: stats.psi };
    case "jensenshannon":
      return { value: stats.jensenShannon, effect: stats.jensenShannon };
    case "ks":
      return stats.ks ? { value: stats.ks.statistic, effect: stats.ks.statistic } : null;
    case "wasserstein":
      return stats.wasserstein ? { value: stats.wasserstein.normed, effect: stats.wasserstein.normed } : null;
    case "chisquare":
      // Cramér's V of the 2×k table: √(χ² / (n_ref + n_cur)).
      return stats.chiSquare ? { value: stats.chiSquare.statistic, effect: Math.sqrt(stats.chiSquare.statistic / (stats.nRef + stats.nCur)) } : null;
  }
}

/** Verdict of one statistic against its calibrated threshold and effect floor. */
export function calibratedVerdict(stats: MonitorColumnStats, threshold: CalibratedThreshold, floors: Partial<Record<CalibratedStatistic, number>> = {}): CalibratedVerdict | null {
  const s = statisticOf(stats, threshold.statistic);
  if (!s) return null;
  const floor = floors[threshold.statistic] ?? DEFAULT_EFFECT_FLOORS[threshold.statistic];
  return {
    statistic: threshold.statistic,
    value: s.value,
    threshold: threshold.threshold,
    effect: s.effect,
    floor,
    drifted: exceeds(s.value, threshold.threshold) && s.effect >= floor,
    nRef: stats.nRef,
    nCur: stats.nCur,
    alpha: threshold.alpha,
  };
}

/** value > threshold, with floating-point ties counted as not exceeding. */
export function exceeds(value: number, threshold: number): boolean {
  return value - threshold > TIE_TOLERANCE * Math.max(1, Math.abs(threshold));
}

/**
 * A content fingerprint of a reference column (values, missing count, sampling scale or category
 * counts): two 32-bit multiply-xorshift lanes over the bits, hex. Not cryptographic; it keys a cache.
 */
export function referenceFingerprint(c: ColumnData): string {
  let h1 = 0x9e3779b9;
  let h2 = 0x85ebca6b;
  const mix = (word: number) => {
    h1 = Math.imul(h1 ^ word, 0x01000193);
    h2 = Math.imul((h2 << 5) | (h2 >>> 27), 0x5bd1e995) ^ word;
  };
  const numbers = new Float64Array(1);
  const words = new Uint32Array(numbers.buffer);
  const addNumber = (x: number) => {
    numbers[0] = x;
    mix(words[0]!);
    mix(words[1]!);
  };
  const addString = (s: string) => {
    addNumber(s.length);
    for (let i = 0; i < s.length; i++) mix(s.charCodeAt(i));
  };
  addString(c.kind);
  addNumber(c.missing);
  if (c.kind === "numeric") {
    addNumber(c.scale);
    addNumber(c.values.length);
    const all = new Uint32Array(c.values.buffer, c.values.byteOffset, c.values.length * 2);
    for (let i = 0; i < all.length; i++) mix(all[i]!);
  } else {
    for (const [k, v] of [...c.counts].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      addString(k);
      addNumber(v);
    }
  }
  const hex = (x: number) => (x >>> 0).toString(16).padStart(8, "0");
  return hex(h1) + hex(h2);
}

/** Cache key of a calibrated threshold: the reference's fingerprint, the statistic, n, α, B, the seed and the reference mode. */
export function calibrationKey(fingerprint: string, statistic: CalibratedStatistic, n: number, options: CalibrationOptions = {}): string {
  return `${fingerprint}:${statistic}:n=${n}:alpha=${options.alpha ?? DEFAULT_ALPHA}:B=${options.bootstraps ?? DEFAULT_BOOTSTRAPS}:seed=${options.seed ?? DEFAULT_SEED}:reference=${options.reference ?? "auto"}`;
}
