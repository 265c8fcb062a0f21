/**
 * The one population stability index of Cairn, used by dataset compare, data contracts and monitors.
 *
 * - Bins come from the REFERENCE only. Numeric: right-closed bins on cut points c₁ < … < c_k,
 *   (−∞, c₁], (c₁, c₂], …, (c_k, +∞), so no current value falls outside a bin. A reference with at
 *   most 20 distinct values gets one bin per value (cuts at the values themselves: integer and code
 *   columns are never smeared across fractional bins); otherwise the cuts are the inner edges of
 *   numpy's 20 equal-width bins over the reference's finite range, floored to integers when every
 *   reference value is an integer (the same bins for integer data, with integer bounds). Categorical: one bin per reference
 *   category plus one "unseen" bin for current values the reference never had.
 * - Missing values are a bin of their own, so a change in the missing share is drift too.
 * - Shares are counts over all rows; a share of 0 is floored at PSI_EPSILON (ln(a/e) stays finite
 *   and mass where the other side had none is still heavily penalised).
 * - PSI = Σ (a_i − e_i)·ln(a_i / e_i) over those bins.
 */
import { histogramSorted, sum } from "./stats";

/** Floor for a bin share of 0 on either side. */
export const PSI_EPSILON = 1e-4;
/** A reference with at most this many distinct numeric values gets one bin per value. */
export const PSI_VALUE_BINS_MAX_DISTINCT = 20;
/** Equal-width bins of a reference with more distinct values. */
export const PSI_BINS = 20;
/** Customary threshold of a significant shift. */
export const PSI_DRIFT_LIMIT = 0.2;

export type PsiReference =
  | {
      kind: "numeric";
      /** "values": one bin per reference value (the cuts are those values but the last); "ranges": equal-width. */
      binning: "values" | "ranges";
      cuts: number[];
      /** cuts.length + 1 counts of the reference's non-missing values. */
      counts: number[];
      missing: number;
      /** Every finite reference value is an integer (and the cuts of "ranges" are integers too). */
      integral: boolean;
      /** Largest reference value (labels the last bin of one-bin-per-value references); null without values. */
      max: number | null;
      /** True when the counts were scaled from a uniform sample (columns beyond the exact-value cap). */
      approx: boolean;
    }
  | {
      kind: "categorical";
      categories: string[];
      /** One count per category. */
      counts: number[];
      missing: number;
      approx: boolean;
    };

/** Index of the right-closed bin of x: how many cuts are below x. */
function binIndex(cuts: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cuts[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Counts of values in the bins (−∞, c₁], …, (c_k, +∞); NaN is skipped (missing is counted apart).
 * The reference's cuts are (nearly) evenly spaced, so a bin is guessed from the spacing and then
 * corrected by comparing with the cuts themselves: the result is exactly the binary search's, in about
 * two comparisons per value instead of log₂ k (monitors bin millions of rows per window).
 */
export function binOnCuts(values: ArrayLike<number>, cuts: ArrayLike<number>): number[] {
  const k = cuts.length;
  const counts = new Float64Array(k + 1);
  const first = k > 0 ? cuts[0]! : 0;
  const step = k > 1 ? (cuts[k - 1]! - first) / (k - 1) : 0;
  if (!(step > 0 && Number.isFinite(step))) {
    for (let i = 0; i < values.length; i++) {
      const x = values[i]!;
      if (x === x) counts[binIndex(cuts, x)]!++;
    }
    return Array.from(counts);
  }
  const inverse = 1 / step;
  const c = Float64Array.from(cuts);
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (x !== x) continue;
    // Bin b holds c[b−1] < x ≤ c[b]; guess b = ⌈(x − c₀)/step⌉, clamped, then step to the exact bin.
    const t = (x - first) * inverse;
    let b = t <= 0 ? 0 : t >= k ? k : Math.ceil(t);
    if (b > 0 && x <= c[b - 1]!) {
      b--;
      while (b > 0 && x <= c[b - 1]!) b--;
    } else while (b < k && x > c[b]!) b++;
    counts[b]!++;
  }
  return Array.from(counts);
}

/**
 * Reference bins of a numeric column from its sorted non-missing values (±∞ allowed, no NaN).
 * `scale` multiplies the counts when `sorted` is a uniform sample of a larger column.
 */
export function numericReference(sorted: Float64Array, missing: number, scale = 1): PsiReference {
  let integral = true;
  for (let i = 0; i < sorted.length && integral; i++) if (Number.isFinite(sorted[i]!) && !Number.isInteger(sorted[i]!)) integral = false;
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length && distinct.length <= PSI_VALUE_BINS_MAX_DISTINCT; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
  }
  let cuts: number[];
  let binning: "values" | "ranges";
  if (distinct.length <= PSI_VALUE_BINS_MAX_DISTINCT) {
    binning = "values";
    cuts = distinct.slice(0, -1);
  } else {
    binning = "ranges";
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi && !Number.isFinite(sorted[lo]!)) lo++;
    while (hi > lo && !Number.isFinite(sorted[hi - 1]!)) hi--;
    const finite = sorted.subarray(lo, hi);
    cuts = histogramSorted(finite, PSI_BINS).edges.slice(1, -1);
    if (integral) cuts = [...new Set(cuts.map(Math.floor))];
  }
  const counts = binOnCuts(sorted, cuts).map((c) => c * scale);
  const max = distinct.length > 0 ? sorted[sorted.length - 1]! : null;
  return { kind: "numeric", binning, cuts, counts, missing, integral, max, approx: scale !== 1 };
}

/** Reference bins of a categorical column from its exact category counts. */
export function categoricalReference(counts: Iterable<readonly [string, number]>, missing: number, approx = false): PsiReference {
  const entries = [...counts].filter(([, c]) => c > 0).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { kind: "categorical", categories: entries.map(([k]) => k), counts: entries.map(([, c]) => c), missing, approx };
}

/** The current side on the reference's bins: numeric values, or category counts. */
export type PsiCurrent = { kind: "numeric"; values: ArrayLike<number>; missing: number } | { kind: "categorical"; counts: ReadonlyMap<string, number>; missing: number };

export interface PsiBinned {
  /** Bin labels, in order: "(missing)", then the value bins, then "(unseen)" for categorical references. */
  labels: string[];
  reference: number[];
  current: number[];
}

function label(ref: Extract<PsiReference, { kind: "numeric" }>, i: number, format: (x: number) => string): string {
  const cuts = ref.cuts;
  if (ref.binning === "values") return i < cuts.length ? format(cuts[i]!) : ref.max !== null ? format(ref.max) : "all";
  if (i === 0) return `≤ ${format(cuts[0]!)}`;
  if (i === cuts.length) return ref.integral ? `≥ ${format(cuts[i - 1]! + 1)}` : `> ${format(cuts[i - 1]!)}`;
  // Integer data in (a, b] are a + 1 … b.
  if (ref.integral) return cuts[i - 1]! + 1 === cuts[i] ? format(cuts[i]!) : `${format(cuts[i - 1]! + 1)}–${format(cuts[i]!)}`;
  return `${format(cuts[i - 1]!)}–${format(cuts[i]!)}`;
}

/** Reference and current counts on the reference's bins, missing first. */
export function binAgainst(ref: PsiReference, cur: PsiCurrent, format: (x: number) => string = String): PsiBinned {
  if (ref.kind === "numeric") {
    if (cur.kind !== "numeric") throw new RangeError("psi: a numeric reference needs numeric current values");
    const labels = ref.counts.map((_, i) => label(ref, i, format));
    return { labels: ["(missing)", ...labels], reference: [ref.missing, ...ref.counts], current: [cur.missing, ...binOnCuts(cur.values, ref.cuts)] };
  }
  if (cur.kind !== "categorical") throw new RangeError("psi: a categorical reference needs category counts");
  const known = new Set(ref.categories);
  let unseen = 0;
  for (const [k, c] of cur.counts) if (!known.has(k)) unseen += c;
  return {
    labels: ["(missing)", ...ref.categories, "(unseen)"],
    reference: [ref.missing, ...ref.counts, 0],
    current: [cur.missing, ...ref.categories.map((k) => cur.counts.get(k) ?? 0), unseen],
  };
}

/**
 * A histogram to show for a numeric column whose reference bins are exact and integer-friendly: one
 * bar per value (few distinct values) or integer-aligned ranges ("27–29"), labelled as PSI labels
 * them. Null for other columns (continuous values keep the profile's equal-width histogram).
 */
export function exactHistogram(ref: PsiReference | null | undefined, format: (x: number) => string = String): { label: string; count: number }[] | null {
  if (!ref || ref.kind !== "numeric" || ref.approx || !(ref.binning === "values" || ref.integral)) return null;
  return ref.counts.map((count, i) => ({ label: label(ref, i, format), count }));
}

/** PSI of two count vectors over the same bins (shares of 0 → PSI_EPSILON). */
export function psiOfCounts(expected: ArrayLike<number>, actual: ArrayLike<number>): number {
  if (expected.length !== actual.length) throw new RangeError("psi: reference and current bins differ in number");
  const te = sum(expected);
  const ta = sum(actual);
  if (!(te > 0)) throw new RangeError("psi: reference has no observations");
  if (!(ta > 0)) throw new RangeError("psi: current has no observations");
  let total = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]! / te || PSI_EPSILON;
    const a = actual[i]! / ta || PSI_EPSILON;
    total += (a - e) * Math.log(a / e);
  }
  return total;
}

/** PSI of the current data against a reference, with the counts it was computed from. */
export function psi(ref: PsiReference, cur: PsiCurrent, format?: (x: number) => string): PsiBinned & { psi: number } {
  const binned = binAgainst(ref, cur, format);
  return { ...binned, psi: psiOfCounts(binned.reference, binned.current) };
}
