/**
 * Fast bootstrap windows for calibrated drift thresholds: n rows drawn with replacement from the
 * reference, B times, reduced to what each statistic needs.
 *
 * - Histogram statistics (PSI, Jensen–Shannon, chi-square) depend on a window only through its counts
 *   on the reference's fixed bins. A row drawn uniformly from the reference lands in bin i with
 *   probability c_i / N, independently of the other rows, so a window's bin counts are exactly
 *   Multinomial(n; c / N): drawing n bin indices from that distribution (Walker's alias method, O(1)
 *   per row) gives the same distribution of the statistic as drawing the rows and binning them.
 * - KS and Wasserstein need the window's values, which are reference values: a window is a multiset of
 *   indices into the reference's distinct sorted values, so the statistics against the reference come
 *   from prefix counts (KS) and prefix integrals of the reference's CDF (Wasserstein) in
 *   O(distinct window values · log M) instead of merging the whole reference per window.
 */
import type { Rng } from "./random";

/** Walker/Vose alias table over K weights: a draw costs one 32-bit random number. */
export class AliasTable {
  private readonly probability: Float64Array;
  private readonly alias: Uint32Array;
  readonly size: number;

  constructor(weights: ArrayLike<number>) {
    const k = weights.length;
    let total = 0;
    for (let i = 0; i < k; i++) {
      if (!(weights[i]! >= 0 && Number.isFinite(weights[i]!))) throw new RangeError("alias: weights must be finite and non-negative");
      total += weights[i]!;
    }
    if (!(total > 0)) throw new RangeError("alias: weights need positive mass");
    this.size = k;
    this.probability = new Float64Array(k);
    this.alias = new Uint32Array(k);
    const scaled = Float64Array.from(weights, (w) => (w * k) / total);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large[large.length - 1]!;
      this.probability[s] = scaled[s]!;
      this.alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      if (scaled[l]! < 1) small.push(large.pop()!);
    }
    for (const i of [...small, ...large]) {
      this.probability[i] = 1;
      this.alias[i] = i;
    }
  }

  /**
   * Adds n draws to `counts` (length K). Each draw splits one uniform 32-bit integer into a column
   * (its high part) and a fraction compared with the column's probability; the 2^-32 granularity
   * of that fraction is the only departure from the exact multinomial.
   */
  addDraws(counts: Float64Array, n: number, rng: Rng, buffer: Uint32Array): void {
    const k = this.size;
    const probability = this.probability;
    const alias = this.alias;
    for (let done = 0; done < n; done += buffer.length) {
      const batch = Math.min(buffer.length, n - done);
      const view = batch === buffer.length ? buffer : buffer.subarray(0, batch);
      rng.fillBelow(view, 4294967295);
      for (let i = 0; i < batch; i++) {
        // view[i] < 2^32 − 1, so x < k and column ≤ k − 1.
        const x = (view[i]! / 4294967296) * k;
        const column = Math.floor(x);
        counts[x - column < probability[column]! ? column : alias[column]!]!++;
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
