/**
 * Quantile binning for the histogram algorithm. Every cut is a training value rounded to float32, and
 * a value falls in the first bin whose cut is ≥ it, so "bin ≤ b" and "x ≤ cut[b]" agree exactly: a split
 * found on bins becomes an ONNX threshold with no rounding in between.
 */

/** Bin code of a missing value; value bins are 0 … 254. */
export const MISSING_BIN = 255;
/** Histogram slots per feature (value bins and the missing bin). */
export const BIN_SLOTS = 256;

/**
 * Ascending cuts and bin codes for float32 feature columns, both row-major (row i, feature f at
 * i·F + f: histograms read a row's codes together) and per feature (partitioning reads one feature).
 */
export function binColumns(columns: readonly Float32Array[], n: number, maxValueBins: number): { bins: Uint8Array; featureBins: Uint8Array[]; cuts: Float64Array[] } {
  const features = columns.length;
  const bins = new Uint8Array(n * features);
  const featureBins: Uint8Array[] = [];
  const sorter = new RadixSorter(n);
  const cuts = columns.map((column, f) => {
    const { values, rows, m } = sorter.sort(column, n);
    const c = cutsOfSorted(values, m, maxValueBins);
    const own = new Uint8Array(n).fill(MISSING_BIN);
    // Walking the sorted values assigns bins without a search per value.
    let b = 0;
    for (let i = 0; i < m; i++) {
      while (values[i]! > c[b]!) b++;
      own[rows[i]!] = b;
    }
    for (let i = 0; i < n; i++) bins[i * features + f] = own[i]!;
    featureBins.push(own);
    return c;
  });
  return { bins, featureBins, cuts };
}

/** Up to `maxValueBins` ascending cuts for m ascending values; the last cut is the maximum. */
export function cutsOfSorted(sorted: Float32Array, m: number, maxValueBins: number): Float64Array {
  if (m === 0) return new Float64Array(0);
  let distinct = 1;
  for (let i = 1; i < m && distinct <= maxValueBins; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
  if (distinct <= maxValueBins) {
    const cuts = new Float64Array(distinct);
    let k = 0;
    cuts[k++] = sorted[0]!;
    for (let i = 1; i < m; i++) if (sorted[i] !== sorted[i - 1]) cuts[k++] = sorted[i]!;
    return cuts;
  }
  // Equal-count cuts, re-planned after every cut: a long run of one value takes a single bin and the
  // bins it would have spanned go to the values after it.
  const cuts: number[] = [];
  let position = 0;
  for (let remaining = maxValueBins; remaining > 1 && position < m; remaining--) {
    let end = position + Math.ceil((m - position) / remaining) - 1;
    const v = sorted[end]!;
    while (end + 1 < m && sorted[end + 1] === v) end++;
    cuts.push(v);
    position = end + 1;
  }
  if (position < m) cuts.push(sorted[m - 1]!);
  return Float64Array.from(cuts);
}

/**
 * LSD radix sort of float32 values with their row numbers (three 11-bit passes over order-preserving
 * integer keys): linear time, where a comparison sort of every column dominated training setup.
 */
class RadixSorter {
  private readonly keys: Uint32Array;
  private readonly rows: Uint32Array;
  private readonly keys2: Uint32Array;
  private readonly rows2: Uint32Array;
  private readonly counts = new Uint32Array(2048);
  private readonly floatView = new Float32Array(1);
  private readonly bitsView = new Uint32Array(this.floatView.buffer);

  constructor(n: number) {
    this.keys = new Uint32Array(n);
    this.rows = new Uint32Array(n);
    this.keys2 = new Uint32Array(n);
    this.rows2 = new Uint32Array(n);
  }

  /** Finite values ascending with their rows in rows[0 … m); the rows of NaNs follow. */
  sort(column: Float32Array, n: number): { values: Float32Array; rows: Uint32Array; m: number } {
    let keys = this.keys;
    let rows = this.rows;
    let m = 0;
    let missing = n;
    for (let i = 0; i < n; i++) {
      const v = column[i]!;
      if (v !== v) {
        rows[--missing] = i;
        continue;
      }
      // −0 becomes +0 so that equal values share a key.
      this.floatView[0] = v === 0 ? 0 : v;
      const bits = this.bitsView[0]!;
      keys[m] = (bits & 0x80000000 ? ~bits : bits | 0x80000000) >>> 0;
      rows[m++] = i;
    }
    let otherKeys = this.keys2;
    let otherRows = this.rows2;
    const counts = this.counts;
    for (let shift = 0; shift < 32; shift += 11) {
      counts.fill(0);
      for (let i = 0; i < m; i++) counts[(keys[i]! >>> shift) & 2047]!++;
      let position = 0;
      for (let d = 0; d < 2048; d++) {
        const c = counts[d]!;
        counts[d] = position;
        position += c;
      }
      for (let i = 0; i < m; i++) {
        const key = keys[i]!;
        const at = counts[(key >>> shift) & 2047]!++;
        otherKeys[at] = key;
        otherRows[at] = rows[i]!;
      }
      [keys, otherKeys] = [otherKeys, keys];
      [rows, otherRows] = [otherRows, rows];
    }
    // Three passes leave the sorted data in the second buffers; the NaN rows are still in the first.
    rows.set(this.rows.subarray(m, n), m);
    for (let i = 0; i < m; i++) {
      const key = keys[i]!;
      keys[i] = key & 0x80000000 ? key ^ 0x80000000 : ~key;
    }
    return { values: new Float32Array(keys.buffer, 0, m), rows, m };
  }
}

/** Bin of one value: the first cut ≥ x, MISSING_BIN for NaN; values above the last cut share its bin. */
export function binOf(x: number, cuts: Float64Array): number {
  if (x !== x) return MISSING_BIN;
  let lo = 0;
  let hi = cuts.length - 1;
  if (hi < 0) return MISSING_BIN;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= cuts[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The float32 threshold a split after bin b stands for; the last bin's split sends every value left. */
export function thresholdOf(cuts: Float64Array, b: number): number {
  return b >= cuts.length - 1 ? Infinity : cuts[b]!;
}
