/** Paired bootstrap of a metric difference between two models scored on the same rows. Pure computation. */
import { Rng } from "../random";
import { sortFloat64 } from "../sort";
import { histogram, meanVariance, quantile, type NumericHistogram } from "../stats";

/**
 * "mean": mean(b) − mean(a) of the per-row values (losses or 0/1 correctness).
 * "rmse": √mean(b) − √mean(a) of per-row squared errors, recomputed on every resample.
 */
export type PairedStatistic = "mean" | "rmse";

export interface PairedBootstrapInput {
  /** Per-row values of model A (the champion) and model B (the challenger), same rows, same order. */
  a: ArrayLike<number>;
  b: ArrayLike<number>;
  statistic: PairedStatistic;
  resamples?: number;
  seed?: number;
  /** Two-sided confidence level of the percentile interval, in (0, 1). */
  confidence?: number;
  /** Fixed resampling (resample r uses rows indices[r·n … r·n + n − 1]); replaces the seeded draws, for exact checks. */
  indices?: Uint32Array;
}

export interface BootstrapSummary {
  mean: number;
  sd: number;
  min: number;
  max: number;
  histogram: NumericHistogram;
}

export interface PairedBootstrapResult {
  /** The statistic's difference (B − A) on all rows. */
  estimate: number;
  lower: number;
  upper: number;
  confidence: number;
  resamples: number;
  distribution: BootstrapSummary;
}

export const DEFAULT_RESAMPLES = 10_000;
const TWO_32 = 4294967296;

function transform(statistic: PairedStatistic, meanValue: number): number {
  return statistic === "rmse" ? Math.sqrt(meanValue) : meanValue;
}

function gatherMean(values: Float64Array, rows: Uint32Array): number {
  let total = 0;
  for (let k = 0; k < rows.length; k++) total += values[rows[k]!]!;
  return total / rows.length;
}

// `pairs` interleaves a and b (a at 2·row, b at 2·row + 1) so each draw touches one cache line.
function gatherRmseDifference(pairs: Float64Array, rows: Uint32Array): number {
  let totalA = 0;
  let totalB = 0;
  for (let k = 0; k < rows.length; k++) {
    const at = 2 * rows[k]!;
    totalA += pairs[at]!;
    totalB += pairs[at + 1]!;
  }
  return Math.sqrt(totalB / rows.length) - Math.sqrt(totalA / rows.length);
}

/** Percentile interval and summary of a bootstrap distribution (sorted in place). */
export function summarizeDistribution(values: Float64Array, confidence: number): { lower: number; upper: number; summary: BootstrapSummary } {
  const sorted = sortFloat64(values);
  const tail = (1 - confidence) / 2;
  const { mean, variance } = meanVariance(sorted);
  return {
    lower: quantile(sorted, tail),
    upper: quantile(sorted, 1 - tail),
    summary: { mean, sd: Math.sqrt(variance), min: sorted[0]!, max: sorted[sorted.length - 1]!, histogram: histogram(sorted, 20) },
  };
}

export function validateConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must lie in (0, 1), got ${confidence}`);
}

/**
 * Paired bootstrap: each resample draws n rows with replacement (the same rows for both models, which
 * keeps their correlation) and records the statistic's difference B − A. The interval is the percentile
 * interval at `confidence` (numpy's linear quantiles). Memory is O(n + resamples): each resample's row
 * indices are drawn into one reused Uint32Array and gathered; nothing is allocated per resample.
 */
export function pairedBootstrap(input: PairedBootstrapInput): PairedBootstrapResult {
  const { a, b, statistic } = input;
  const n = a.length;
  const confidence = input.confidence ?? 0.95;
  validateConfidence(confidence);
  if (b.length !== n) throw new RangeError(`pairedBootstrap: ${n} and ${b.length} rows are not paired`);
  if (n === 0) throw new RangeError("pairedBootstrap: no rows");
  if (n >= TWO_32) throw new RangeError("pairedBootstrap: too many rows");
  const resamples = input.indices ? input.indices.length / n : (input.resamples ?? DEFAULT_RESAMPLES);
  if (!Number.isInteger(resamples) || resamples < 2) throw new RangeError(`pairedBootstrap: need an integer number ≥ 2 of resamples, got ${resamples}`);

  // "mean" needs one gather per draw (the row difference); "rmse" needs both sums, interleaved.
  const first = new Float64Array(statistic === "mean" ? n : 2 * n);
  let sumA = 0;
  let sumB = 0;
  for (let i = 0; i < n; i++) {
    const va = a[i]!;
    const vb = b[i]!;
    if (!Number.isFinite(va) || !Number.isFinite(vb)) throw new RangeError(`pairedBootstrap: row ${i} is not a finite number`);
    if (statistic === "rmse" && (va < 0 || vb < 0)) throw new RangeError(`pairedBootstrap: squared error at row ${i} is negative`);
    sumA += va;
    sumB += vb;
    if (statistic === "mean") first[i] = vb - va;
    else {
      first[2 * i] = va;
      first[2 * i + 1] = vb;
    }
  }
  if (input.indices) {
    const bad = input.indices.findIndex((row) => row >= n);
    if (bad >= 0) throw new RangeError(`pairedBootstrap: indices[${bad}] = ${input.indices[bad]} is not a row (n = ${n})`);
  }
  const estimate = transform(statistic, sumB / n) - transform(statistic, sumA / n);

  const values = new Float64Array(resamples);
  const rng = new Rng(input.seed ?? 0);
  // One index buffer reused by every resample: drawn in a tight loop, then gathered.
  const drawn = input.indices ? null : new Uint32Array(n);
  for (let r = 0; r < resamples; r++) {
    let rows: Uint32Array;
    if (drawn) {
      rng.fillBelow(drawn, n);
      rows = drawn;
    } else rows = input.indices!.subarray(r * n, r * n + n);
    values[r] = statistic === "mean" ? gatherMean(first, rows) : gatherRmseDifference(first, rows);
  }
  const { lower, upper, summary } = summarizeDistribution(values, confidence);
  return { estimate, lower, upper, confidence, resamples, distribution: summary };
}
