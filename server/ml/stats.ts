/**
 * Numerically careful basics for profiling and drift: moments, quantiles, histograms and sorting over
 * typed arrays. The special functions, random sampling and sketches live in sibling modules and are
 * re-exported here so callers have one import.
 */

export { chiSquareSf, logGamma, regularizedGammaP, regularizedGammaQ } from "./special-functions";
export { kolmogorovSf, kolmogorovTwoSidedSf, smirnovSf } from "./kolmogorov";
export { Reservoir, Rng, sampleIndices } from "./random";
export { HyperLogLog, hash64 } from "./hyperloglog";
export { sortCountDistinct, sortFloat64 } from "./sort";

export interface NumericHistogram {
  edges: number[];
  counts: number[];
}

/** Streaming mean and sample variance (Welford); merge() combines partial results (Chan et al.). */
export class RunningMoments {
  count = 0;
  mean = 0;
  private m2 = 0;

  /** Starts from a summary, e.g. the exact moments of values seen before switching to streaming. */
  static from(count: number, mean: number, variance: number): RunningMoments {
    const m = new RunningMoments();
    m.count = count;
    m.mean = count > 0 ? mean : 0;
    m.m2 = count > 1 ? variance * (count - 1) : 0;
    return m;
  }

  push(x: number): void {
    const n = ++this.count;
    const delta = x - this.mean;
    this.mean += delta / n;
    this.m2 += delta * (x - this.mean);
  }

  merge(other: RunningMoments): void {
    if (other.count === 0) return;
    if (this.count === 0) {
      this.count = other.count;
      this.mean = other.mean;
      this.m2 = other.m2;
      return;
    }
    const n = this.count + other.count;
    const delta = other.mean - this.mean;
    this.mean += (delta * other.count) / n;
    this.m2 += other.m2 + (delta * delta * this.count * other.count) / n;
    this.count = n;
  }

  /** Sample variance with ddof = 1, as pandas; NaN below two values. */
  get variance(): number {
    return this.count > 1 ? this.m2 / (this.count - 1) : NaN;
  }

  get std(): number {
    return Math.sqrt(this.variance);
  }
}

// Plain sums over short blocks combined with Neumaier compensation: the error stays near that of
// pairwise summation (what numpy and pandas use) at the speed of a simple loop.
const SUM_BLOCK = 128;

/** Accurate sum of the first `length` values (blocked, Neumaier-compensated across blocks). */
export function sum(values: ArrayLike<number>, length = values.length): number {
  let total = 0;
  let compensation = 0;
  for (let start = 0; start < length; start += SUM_BLOCK) {
    const end = Math.min(length, start + SUM_BLOCK);
    let block = 0;
    for (let i = start; i < end; i++) block += values[i]!;
    const t = total + block;
    compensation += Math.abs(total) >= Math.abs(block) ? total - t + block : block - t + total;
    total = t;
  }
  return total + compensation;
}

/** Exact two-pass mean and sample variance (ddof = 1) of the first `length` values. */
export function meanVariance(values: ArrayLike<number>, length = values.length): { count: number; mean: number; variance: number } {
  if (length === 0) return { count: 0, mean: NaN, variance: NaN };
  const mean = sum(values, length) / length;
  if (length === 1) return { count: 1, mean, variance: NaN };
  // Corrected two-pass algorithm: Σd removes the rounding error left in the mean.
  let squares = 0;
  let squaresC = 0;
  let deviations = 0;
  for (let start = 0; start < length; start += SUM_BLOCK) {
    const end = Math.min(length, start + SUM_BLOCK);
    let block = 0;
    for (let i = start; i < end; i++) {
      const d = values[i]! - mean;
      deviations += d;
      block += d * d;
    }
    const t = squares + block;
    squaresC += squares >= block ? squares - t + block : block - t + squares;
    squares = t;
  }
  const variance = (squares + squaresC - (deviations * deviations) / length) / (length - 1);
  return { count: length, mean, variance: Math.max(0, variance) };
}

/** Quantile of ascending values with linear interpolation, bit-for-bit numpy's default method. */
export function quantile(sorted: ArrayLike<number>, q: number, length = sorted.length): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must lie in [0, 1], got ${q}`);
  if (length === 0) return NaN;
  const virtual = (length - 1) * q;
  if (virtual >= length - 1) return sorted[length - 1]!;
  const previous = Math.floor(virtual);
  const gamma = virtual - previous;
  const a = sorted[previous]!;
  const b = sorted[previous + 1]!;
  const diff = b - a;
  // numpy interpolates from the nearer end so the result stays monotone in q.
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

/** Number of distinct values among the first `length` ascending values. */
export function countDistinctSorted(sorted: ArrayLike<number>, length = sorted.length): number {
  if (length === 0) return 0;
  let distinct = 1;
  let previous = sorted[0]!;
  for (let i = 1; i < length; i++) {
    const x = sorted[i]!;
    if (x !== previous) {
      distinct++;
      previous = x;
    }
  }
  return distinct;
}

/** Bin edges as numpy.linspace(start, stop, bins + 1) computes them. */
export function linspaceEdges(start: number, stop: number, bins: number): Float64Array {
  const edges = new Float64Array(bins + 1);
  const delta = stop - start;
  const step = delta / bins;
  for (let i = 0; i <= bins; i++) edges[i] = (step === 0 ? (i / bins) * delta : i * step) + start;
  edges[bins] = stop;
  return edges;
}

function outerEdges(values: ArrayLike<number>, length: number, range: readonly [number, number] | undefined): [number, number] {
  let first: number;
  let last: number;
  if (range) {
    [first, last] = range;
    if (!(Number.isFinite(first) && Number.isFinite(last))) throw new RangeError(`histogram: range [${first}, ${last}] is not finite`);
    if (first > last) throw new RangeError("histogram: range minimum exceeds maximum");
  } else {
    first = Infinity;
    last = -Infinity;
    for (let i = 0; i < length; i++) {
      const x = values[i]!;
      if (x - x === 0) {
        if (x < first) first = x;
        if (x > last) last = x;
      }
    }
    // numpy uses [0, 1] when there is nothing to bin.
    if (first > last) {
      first = 0;
      last = 1;
    }
  }
  return first === last ? [first - 0.5, last + 0.5] : [first, last];
}

// numpy's bin index for x in [first, last]: scaled offset, then a one-step correction against the
// materialised edges. It is non-decreasing in x, which histogramSorted relies on.
function binIndex(x: number, first: number, norm: number, edges: Float64Array, bins: number): number {
  let index = Math.trunc((x - first) * norm);
  if (index === bins) index--;
  if (x < edges[index]!) index--;
  else if (index !== bins - 1 && x >= edges[index + 1]!) index++;
  return index;
}

function checkBins(bins: number): void {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`histogram: bins must be a positive integer, got ${bins}`);
}

// Like numpy, each bin is [left, right) except the last, which also takes its right edge; values
// outside the range and NaN are ignored. Without a range the finite min and max are used.
/** numpy.histogram with `bins` equal-width bins over `range`, edges and counts bit for bit. */
export function histogram(values: ArrayLike<number>, bins: number, range?: readonly [number, number], length = values.length): NumericHistogram {
  checkBins(bins);
  const [first, last] = outerEdges(values, length, range);
  const edges = linspaceEdges(first, last, bins);
  const counts = new Float64Array(bins);
  const norm = bins / (last - first);
  for (let i = 0; i < length; i++) {
    const x = values[i]!;
    if (x >= first && x <= last) counts[binIndex(x, first, norm, edges, bins)]!++;
  }
  return { edges: Array.from(edges), counts: Array.from(counts) };
}

/** histogram() of ascending values without NaN, in O(bins · log n) by searching for the bin boundaries. */
export function histogramSorted(sorted: ArrayLike<number>, bins: number, range?: readonly [number, number], length = sorted.length): NumericHistogram {
  checkBins(bins);
  const [first, last] = outerEdges(sorted, length, range ?? (length > 0 ? [sorted[0]!, sorted[length - 1]!] : undefined));
  const edges = linspaceEdges(first, last, bins);
  const norm = bins / (last - first);
  // First index whose value passes `test`, searching [lo, hi).
  const search = (lo: number, hi: number, test: (x: number) => boolean): number => {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (test(sorted[mid]!)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const begin = search(0, length, (x) => x >= first);
  const end = search(begin, length, (x) => x > last);
  const counts = new Array<number>(bins).fill(0);
  let previous = begin;
  for (let b = 1; b <= bins; b++) {
    const boundary = b === bins ? end : search(previous, end, (x) => binIndex(x, first, norm, edges, bins) >= b);
    counts[b - 1] = boundary - previous;
    previous = boundary;
  }
  return { edges: Array.from(edges), counts };
}
