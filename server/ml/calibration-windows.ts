/**
 * Fast bootstrap windows for calibrated drift thresholds: n rows drawn with replacement from the
 * reference, B times, reduced to what each statistic needs.
 *
 * - Histogram statistics (PSI, Jensen–Shannon, chi-square) depend on a window only through its counts
 *   on the reference's fixed bins. A row drawn uniformly from the reference lands in bin i with
 *   probability c_i / N, independently of the other rows, so a window's bin counts are exactly
 *   Multinomial(n; c / N): drawing n bin indices from that distribution (BinSampler, O(1) per row)
 *   gives the same distribution of the statistic as drawing the rows and binning them.
 * - KS and Wasserstein need the window's values, which are reference values: a window is a multiset of
 *   indices into the reference's distinct sorted values, so the statistics against the reference come
 *   from prefix counts (KS) and prefix integrals of the reference's CDF (Wasserstein) in
 *   O(distinct window values · log M) instead of merging the whole reference per window.
 */
import type { Rng } from "./random";

/**
 * Draws bin indices with given weights from uniform 32-bit integers: bin i takes the integers below
 * upper[i] = ⌊2^32 · (w_0 + … + w_i) / Σw⌋ not taken by an earlier bin, so each probability is exact
 * to 2^-32. A guide table on the top 16 bits answers almost every draw with one lookup; only the few
 * slices that straddle a bin boundary continue with a short scan.
 */
export class BinSampler {
  private readonly upper: Float64Array;
  private readonly guide: Uint32Array;
  private readonly straddles: Uint8Array;
  readonly size: number;

  constructor(weights: ArrayLike<number>) {
    const k = weights.length;
    let total = 0;
    for (let i = 0; i < k; i++) {
      if (!(weights[i]! >= 0 && Number.isFinite(weights[i]!))) throw new RangeError("sampler: weights must be finite and non-negative");
      total += weights[i]!;
    }
    if (!(total > 0)) throw new RangeError("sampler: weights need positive mass");
    this.size = k;
    this.upper = new Float64Array(k);
    let cumulative = 0;
    for (let i = 0; i < k; i++) {
      cumulative += weights[i]!;
      this.upper[i] = Math.min(4294967296, Math.floor((cumulative / total) * 4294967296));
    }
    // The last non-empty bin takes the rest, so rounding never leaves an integer without a bin.
    for (let i = k - 1; i >= 0; i--) {
      this.upper[i] = 4294967296;
      if (weights[i]! > 0) break;
    }
    this.guide = new Uint32Array(65536);
    this.straddles = new Uint8Array(65536);
    let bin = 0;
    for (let slice = 0; slice < 65536; slice++) {
      const first = slice * 65536;
      while (first >= this.upper[bin]!) bin++;
      this.guide[slice] = bin;
      this.straddles[slice] = first + 65535 >= this.upper[bin]! ? 1 : 0;
    }
  }

  /** Adds n draws to `counts` (length K). */
  addDraws(counts: Float64Array, n: number, rng: Rng, buffer: Uint32Array): void {
    const { upper, guide, straddles } = this;
    for (let done = 0; done < n; done += buffer.length) {
      const batch = Math.min(buffer.length, n - done);
      const view = batch === buffer.length ? buffer : buffer.subarray(0, batch);
      rng.fillUint32(view);
      for (let i = 0; i < batch; i++) {
        const r = view[i]!;
        const slice = r >>> 16;
        let bin = guide[slice]!;
        if (straddles[slice] === 1) while (r >= upper[bin]!) bin++;
        counts[bin]!++;
      }
    }
  }
}

/** The reference's distinct ascending values with their cumulative counts and CDF prefix integrals. */
export class SortedReference {
  /** Distinct values, ascending. */
  readonly distinct: Float64Array;
  /** cum[m] = reference values ≤ distinct[m]. */
  readonly cum: Float64Array;
  /** prefix[m] = ∫ from distinct[0] to distinct[m] of the reference's CDF (finite values only). */
  readonly prefix: Float64Array;
  /** Distinct index of each reference value. */
  readonly distinctOf: Uint32Array;
  readonly n: number;

  constructor(sorted: Float64Array) {
    const n = sorted.length;
    if (n === 0) throw new RangeError("calibration: the reference has no values");
    this.n = n;
    this.distinctOf = new Uint32Array(n);
    const distinct: number[] = [];
    const cum: number[] = [];
    for (let i = 0; i < n; i++) {
      if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
      else cum.pop();
      this.distinctOf[i] = distinct.length - 1;
      cum.push(i + 1);
    }
    this.distinct = Float64Array.from(distinct);
    this.cum = Float64Array.from(cum);
    this.prefix = new Float64Array(distinct.length);
    for (let m = 1; m < distinct.length; m++) this.prefix[m] = this.prefix[m - 1]! + (this.cum[m - 1]! / n) * (distinct[m]! - distinct[m - 1]!);
  }

  /** First m in [lo, hi) with cum[m] · n ≥ k · N (the reference CDF reaching k / n), else hi. */
  private crossing(lo: number, hi: number, k: number, windowSize: number): number {
    const target = k * this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cum[mid]! * windowSize >= target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  // ∫ |F_R − k/n| over [distinct[s], distinct[e]), split where F_R crosses k/n.
  private segment(s: number, e: number, k: number, windowSize: number): number {
    if (e <= s) return 0;
    const c = k / windowSize;
    const t = this.crossing(s, e, k, windowSize);
    const u = this.distinct;
    const p = this.prefix;
    return c * (u[t]! - u[s]!) - (p[t]! - p[s]!) + (p[e]! - p[t]!) - c * (u[e]! - u[t]!);
  }

  /**
   * KS statistic and 1-Wasserstein distance between the reference and a window given as ascending
   * distinct indices `ms` with their counts, n values in all. The KS statistic is the largest gap
   * between the two CDFs at the pooled values, as ks2samp evaluates it; Wasserstein integrates the gap.
   */
  compare(ms: Uint32Array, counts: Uint32Array, groups: number, windowSize: number, wantWasserstein: boolean): { ks: number; wasserstein: number } {
    const N = this.n;
    let d = 0;
    let below = 0;
    let w = 0;
    let previous = 0;
    for (let j = 0; j < groups; j++) {
      const m = ms[j]!;
      const lower = m > 0 ? this.cum[m - 1]! : 0;
      const before = Math.abs(lower / N - below / windowSize);
      if (before > d) d = before;
      if (wantWasserstein) w += this.segment(previous, m, below, windowSize);
      below += counts[j]!;
      const at = Math.abs(this.cum[m]! / N - below / windowSize);
      if (at > d) d = at;
      previous = m;
    }
    if (wantWasserstein) w += this.segment(previous, this.distinct.length - 1, below, windowSize);
    return { ks: d, wasserstein: w };
  }
}

/**
 * Draws a window of n rows from the reference's values plus `missingRows` missing rows (left out of
 * the statistics, as missing values are) and groups the present values by distinct value, ascending:
 * sorting the indices while the window is small against the reference, counting otherwise.
 */
export function drawGroupedWindow(
  reference: SortedReference,
  n: number,
  missingRows: number,
  rng: Rng,
  scratch: { draws: Uint32Array; tally: Uint32Array; ms: Uint32Array; counts: Uint32Array },
): { groups: number; present: number } {
  const all = scratch.draws.subarray(0, n);
  rng.fillBelow(all, reference.n + missingRows);
  let present = 0;
  for (let i = 0; i < n; i++) if (all[i]! < reference.n) all[present++] = reference.distinctOf[all[i]!]!;
  const draws = all.subarray(0, present);
  const M = reference.distinct.length;
  let groups = 0;
  if (present * 4 < M) {
    draws.sort();
    for (let i = 0; i < present; i++) {
      if (i === 0 || draws[i] !== draws[i - 1]) {
        scratch.ms[groups] = draws[i]!;
        scratch.counts[groups++] = 0;
      }
      scratch.counts[groups - 1]!++;
    }
    return { groups, present };
  }
  const tally = scratch.tally;
  tally.fill(0);
  for (let i = 0; i < present; i++) tally[draws[i]!]!++;
  for (let m = 0; m < M; m++) {
    if (tally[m]! > 0) {
      scratch.ms[groups] = m;
      scratch.counts[groups++] = tally[m]!;
    }
  }
  return { groups, present };
}

/**
 * Tallies `count` rows drawn from the reference (plus `missingRows` missing ones, not tallied) per
 * distinct value into `tally` (length M, overwritten); returns how many were present.
 */
export function drawTally(reference: SortedReference, count: number, missingRows: number, rng: Rng, draws: Uint32Array, tally: Uint32Array): number {
  tally.fill(0);
  let present = 0;
  for (let done = 0; done < count; done += draws.length) {
    const batch = draws.subarray(0, Math.min(draws.length, count - done));
    rng.fillBelow(batch, reference.n + missingRows);
    for (let i = 0; i < batch.length; i++) {
      const r = batch[i]!;
      if (r < reference.n) {
        tally[reference.distinctOf[r]!]!++;
        present++;
      }
    }
  }
  return present;
}

/**
 * KS statistic and 1-Wasserstein distance between two samples tallied on the reference's distinct
 * values (a resampled reference and a window): one pass over the support, where every pooled value
 * lies, so both equal ks2samp's and wasserstein_distance's on the samples themselves.
 */
export function compareTallies(reference: SortedReference, a: Uint32Array, na: number, b: Uint32Array, nb: number, wantWasserstein: boolean): { ks: number; wasserstein: number } {
  const u = reference.distinct;
  const M = u.length;
  let ca = 0;
  let cb = 0;
  let d = 0;
  let w = 0;
  for (let m = 0; m < M; m++) {
    ca += a[m]!;
    cb += b[m]!;
    const gap = Math.abs(ca / na - cb / nb);
    if (gap > d) d = gap;
    if (wantWasserstein && m < M - 1) w += gap * (u[m + 1]! - u[m]!);
  }
  return { ks: d, wasserstein: w };
}
