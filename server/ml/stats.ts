/**
 * Numerically careful basics for profiling and drift: moments, quantiles, histograms and sorting over
 * typed arrays. The special functions, random sampling and sketches live in sibling modules and are
 * re-exported here so callers have one import.
 */

export { chiSquareSf, logGamma, regularizedGammaP, regularizedGammaQ } from "./special-functions";
export { kolmogorovSf, kolmogorovTwoSidedSf, smirnovSf } from "./kolmogorov";
export { Reservoir, Rng, sampleIndices } from "./random";
export { HyperLogLog, hash64 } from "./hyperloglog";

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

/** Compensated (Neumaier) sum of the first `length` values. */
export function sum(values: ArrayLike<number>, length = values.length): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < length; i++) {
    const x = values[i]!;
    const t = s + x;
    c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    s = t;
  }
  return s + c;
}

/** Exact two-pass mean and sample variance (ddof = 1) of the first `length` values. */
export function meanVariance(values: ArrayLike<number>, length = values.length): { count: number; mean: number; variance: number } {
  if (length === 0) return { count: 0, mean: NaN, variance: NaN };
  const mean = sum(values, length) / length;
  if (length === 1) return { count: 1, mean, variance: NaN };
  // Corrected two-pass algorithm: the second sum removes the rounding error left in the mean.
  let squares = 0;
  let squaresC = 0;
  let deviations = 0;
  for (let i = 0; i < length; i++) {
    const d = values[i]! - mean;
    deviations += d;
    const sq = d * d;
    const t = squares + sq;
    squaresC += squares >= sq ? squares - t + sq : sq - t + squares;
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

/**
 * numpy.histogram with equal-width bins: each bin is [left, right) except the last, which also takes
 * its right edge; values outside the range and NaN are ignored. Without a range, the finite min and max.
 */
export function histogram(values: ArrayLike<number>, bins: number, range?: readonly [number, number], length = values.length): NumericHistogram {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`histogram: bins must be a positive integer, got ${bins}`);
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
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const edges = linspaceEdges(first, last, bins);
  const counts = new Float64Array(bins);
  const norm = bins / (last - first);
  for (let i = 0; i < length; i++) {
    const x = values[i]!;
    if (!(x >= first && x <= last)) continue;
    // numpy's index arithmetic, then a one-step correction against the materialised edges.
    let index = Math.trunc((x - first) * norm);
    if (index === bins) index--;
    if (x < edges[index]!) index--;
    else if (index !== bins - 1 && x >= edges[index + 1]!) index++;
    counts[index]!++;
  }
  return { edges: Array.from(edges), counts: Array.from(counts) };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
// Below this size the engine's comparison sort beats the radix passes.
const RADIX_MIN_LENGTH = 2048;

/**
 * Sorts finite or infinite doubles ascending in place and returns the same array. An LSD radix sort on
 * the IEEE bit patterns (11-bit digits, constant digits skipped) is several times faster than
 * TypedArray.prototype.sort for the million-value columns the profiler sorts. NaN must not be present.
 */
export function sortFloat64(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < RADIX_MIN_LENGTH || !LITTLE_ENDIAN) return values.sort();
  const RADIX = 2048;
  const MASK = RADIX - 1;
  const counts = new Uint32Array(RADIX * 6);
  let words: Uint32Array = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  for (let i = 0; i < n; i++) {
    const lo = words[2 * i]!;
    const hi = words[2 * i + 1]!;
    counts[lo & MASK]!++;
    counts[RADIX + ((lo >>> 11) & MASK)]!++;
    counts[2 * RADIX + (((lo >>> 22) | (hi << 10)) & MASK)]!++;
    counts[3 * RADIX + ((hi >>> 1) & MASK)]!++;
    counts[4 * RADIX + ((hi >>> 12) & MASK)]!++;
    counts[5 * RADIX + (hi >>> 23)]!++;
  }
  let negatives = 0;
  for (let d = 256; d < 512; d++) negatives += counts[5 * RADIX + d]!;

  let source: Float64Array = values;
  let target: Float64Array = new Float64Array(n);
  let targetWords: Uint32Array = new Uint32Array(target.buffer);
  for (let pass = 0; pass < 6; pass++) {
    const offset = pass * RADIX;
    let constant = false;
    for (let d = 0; d < RADIX; d++) {
      const c = counts[offset + d]!;
      if (c !== 0) {
        constant = c === n;
        break;
      }
    }
    if (constant) continue;
    let total = 0;
    for (let d = 0; d < RADIX; d++) {
      const c = counts[offset + d]!;
      counts[offset + d] = total;
      total += c;
    }
    for (let i = 0; i < n; i++) {
      const lo = words[2 * i]!;
      const hi = words[2 * i + 1]!;
      let digit: number;
      if (pass === 0) digit = lo & MASK;
      else if (pass === 1) digit = (lo >>> 11) & MASK;
      else if (pass === 2) digit = ((lo >>> 22) | (hi << 10)) & MASK;
      else if (pass === 3) digit = (hi >>> 1) & MASK;
      else if (pass === 4) digit = (hi >>> 12) & MASK;
      else digit = hi >>> 23;
      target[counts[offset + digit]!++] = source[i]!;
    }
    const swap = source;
    source = target;
    target = swap;
    const swapWords = words;
    words = targetWords;
    targetWords = swapWords;
  }
  // Unsigned bit order puts positives first ascending, then negatives by growing magnitude.
  if (negatives > 0) {
    for (let i = 0; i < negatives; i++) target[i] = source[n - 1 - i]!;
    target.set(source.subarray(0, n - negatives), negatives);
    source = target;
  }
  if (source !== values) values.set(source);
  return values;
}
