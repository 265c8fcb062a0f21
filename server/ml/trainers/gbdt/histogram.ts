/**
 * Gradient histograms: per feature, BIN_SLOTS pairs (Σ gradient, Σ hessian) laid out flat so that one
 * row's update touches one cache line per feature. The hot loops read only typed arrays.
 */
import { BIN_SLOTS } from "./binning";

/** Doubles in one histogram for `features` features. */
export function histogramLength(features: number): number {
  return features * BIN_SLOTS * 2;
}

/**
 * Adds rows[start … end) into `hist` (which the caller has zeroed); `gh` holds gradient and hessian
 * interleaved per row, `bins` the row-major bin codes.
 */
export function accumulate(hist: Float64Array, bins: Uint8Array, features: number, rows: Uint32Array, start: number, end: number, gh: Float64Array): void {
  const stride = BIN_SLOTS * 2;
  for (let i = start; i < end; i++) {
    const r = rows[i]!;
    const g = gh[2 * r]!;
    const h = gh[2 * r + 1]!;
    const base = r * features;
    let offset = 0;
    for (let f = 0; f < features; f++) {
      const k = offset + (bins[base + f]! << 1);
      hist[k]! += g;
      hist[k + 1]! += h;
      offset += stride;
    }
  }
}

/** Row counts per (feature, bin), only needed when leaves must hold a minimum number of rows. */
export function accumulateCounts(counts: Float64Array, bins: Uint8Array, features: number, rows: Uint32Array, start: number, end: number): void {
  for (let i = start; i < end; i++) {
    const base = rows[i]! * features;
    for (let f = 0; f < features; f++) counts[f * BIN_SLOTS + bins[base + f]!]!++;
  }
}

/** parent −= child, turning a parent's histogram into the sibling's (histogram subtraction). */
export function subtract(parent: Float64Array, child: Float64Array): void {
  for (let k = 0; k < parent.length; k++) parent[k]! -= child[k]!;
}

/** Reuses histogram buffers across nodes and rounds, so growing a tree allocates nothing. */
export class HistogramPool {
  private readonly free: Float64Array[] = [];

  constructor(private readonly length: number) {}

  /** A zeroed buffer. */
  take(): Float64Array {
    const buffer = this.free.pop();
    if (!buffer) return new Float64Array(this.length);
    buffer.fill(0);
    return buffer;
  }

  give(buffer: Float64Array): void {
    this.free.push(buffer);
  }
}
