/**
 * Sorting the profiler's numeric columns. An LSD radix sort on the high 32 bits of the IEEE patterns
 * (sign, exponent and 20 mantissa bits; constant digits skipped) orders values to about 6 significant
 * digits; one more pass finishes the runs that share those bits and counts distinct values on the way.
 * For million-value columns this is several times faster than TypedArray.prototype.sort, which is
 * still used for small arrays.
 */
import { countDistinctSorted } from "./stats";

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
// Below this size the engine's comparison sort beats the radix passes.
const RADIX_MIN_LENGTH = 2048;
const INSERTION_MAX = 24;

/** Sorts finite or infinite doubles ascending in place and returns the same array; NaN must not be present. */
export function sortFloat64(values: Float64Array): Float64Array {
  sortCountDistinct(values);
  return values;
}

/** Sorts doubles (no NaN) ascending in place and returns how many distinct values there are. */
export function sortCountDistinct(values: Float64Array): number {
  const n = values.length;
  if (n < RADIX_MIN_LENGTH || !LITTLE_ENDIAN) return countDistinctSorted(values.sort());
  const RADIX = 2048;
  const MASK = RADIX - 1;
  const counts = new Uint32Array(RADIX * 3);
  let words: Uint32Array = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  for (let i = 1; i < 2 * n; i += 2) {
    const hi = words[i]!;
    counts[hi & MASK]!++;
    counts[RADIX + ((hi >>> 11) & MASK)]!++;
    counts[2 * RADIX + (hi >>> 22)]!++;
  }
  let negatives = 0;
  for (let d = 512; d < 1024; d++) negatives += counts[2 * RADIX + d]!;

  let source: Float64Array = values;
  let target: Float64Array = new Float64Array(n);
  let targetWords: Uint32Array = new Uint32Array(target.buffer);
  for (let pass = 0; pass < 3; pass++) {
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
    const shift = pass * 11;
    for (let i = 0; i < n; i++) {
      const digit = (words[2 * i + 1]! >>> shift) & MASK;
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
  return finishRuns(values);
}

// Values are ordered by their high 32 bits; sort within each run of equal high bits (insertion sort
// while short, the engine's sort for long runs) and count distinct values. Equal values share their
// bits except 0 and −0, so neighbouring runs are compared by value too.
function finishRuns(values: Float64Array): number {
  const n = values.length;
  const words = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  let distinct = 1;
  let runStart = 0;
  let runHi = words[1]!;
  let engineSort = false;
  for (let i = 1; i <= n; i++) {
    const hi = i < n ? words[2 * i + 1]! : ~runHi >>> 0;
    if (hi !== runHi) {
      if (engineSort) values.subarray(runStart, i).sort();
      if (i - runStart > 1) {
        for (let k = runStart + 1; k < i; k++) if (values[k] !== values[k - 1]) distinct++;
      }
      if (i < n && values[i] !== values[i - 1]) distinct++;
      runStart = i;
      runHi = hi;
      engineSort = false;
      continue;
    }
    const x = values[i]!;
    if (engineSort || !(x < values[i - 1]!)) continue;
    if (i - runStart > INSERTION_MAX) {
      engineSort = true;
      continue;
    }
    let j = i - 1;
    while (j >= runStart && values[j]! > x) {
      values[j + 1] = values[j]!;
      j--;
    }
    values[j + 1] = x;
  }
  return distinct;
}
