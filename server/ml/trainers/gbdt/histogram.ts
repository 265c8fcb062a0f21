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
  let i = start;
  // Four rows per step: their updates are independent, so the CPU overlaps read-modify-writes that
  // one row at a time would serialise (measured about a fifth faster than the plain loop).
  for (; i + 3 < end; i += 4) {
    const r1 = rows[i]!;
    const r2 = rows[i + 1]!;
    const r3 = rows[i + 2]!;
    const r4 = rows[i + 3]!;
    const g1 = gh[2 * r1]!;
    const h1 = gh[2 * r1 + 1]!;
    const g2 = gh[2 * r2]!;
    const h2 = gh[2 * r2 + 1]!;
    const g3 = gh[2 * r3]!;
    const h3 = gh[2 * r3 + 1]!;
    const g4 = gh[2 * r4]!;
    const h4 = gh[2 * r4 + 1]!;
    const base1 = r1 * features;
    const base2 = r2 * features;
    const base3 = r3 * features;
    const base4 = r4 * features;
    let offset = 0;
    for (let f = 0; f < features; f++) {
      const k1 = offset + (bins[base1 + f]! << 1);
      hist[k1]! += g1;
      hist[k1 + 1]! += h1;
      const k2 = offset + (bins[base2 + f]! << 1);
      hist[k2]! += g2;
      hist[k2 + 1]! += h2;
      const k3 = offset + (bins[base3 + f]! << 1);
      hist[k3]! += g3;
      hist[k3 + 1]! += h3;
      const k4 = offset + (bins[base4 + f]! << 1);
      hist[k4]! += g4;
      hist[k4 + 1]! += h4;
      offset += stride;
    }
  }
  for (; i < end; i++) {
    const r = rows[i]!;
    const g = gh[2 * r]!;
    const h = gh[2 * r + 1]!;
    const base = r * features;
    for (let f = 0; f < features; f++) {
      const k = f * stride + (bins[base + f]! << 1);
      hist[k]! += g;
      hist[k + 1]! += h;
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
