/** The best split of one node from its gradient histogram, XGBoost's exact gain on binned values. */
import { BIN_SLOTS, MISSING_BIN } from "./binning";

/** Regularisation and size limits that every split must satisfy. */
export interface SplitParams {
  /** L2 penalty on leaf values. */
  lambda: number;
  /** Minimum loss reduction for a split (XGBoost's gamma). */
  gamma: number;
  /** Minimum hessian sum in each child. */
  minChildWeight: number;
  /** Minimum rows in each child; counts are tracked only when this exceeds 1. */
  minLeaf: number;
}

/** The chosen split, written into a reused object. */
export interface Split {
  gain: number;
  feature: number;
  bin: number;
  defaultLeft: boolean;
  gradLeft: number;
  hessLeft: number;
}

// XGBoost's kRtEps: gains below this are rounding noise, not structure.
const MIN_GAIN = 1e-6;

/**
 * Scans every feature's bins in both missing-value directions; returns false when no split clears
 * the constraints. `counts` is null when minLeaf ≤ 1: then a child with rows is one with hessian > 0.
 */
export function findBestSplit(
  hist: Float64Array,
  counts: Float64Array | null,
  binsPerFeature: Int32Array,
  total: { grad: number; hess: number; count: number },
  params: SplitParams,
  best: Split,
): boolean {
  const { lambda, minChildWeight, minLeaf } = params;
  const G = total.grad;
  const H = total.hess;
  const C = total.count;
  const minHess = Math.max(minChildWeight, Number.MIN_VALUE);
  const parent = (G * G) / (H + lambda);
  let bestGain = Math.max(params.gamma, MIN_GAIN);
  let found = false;
  for (let f = 0; f < binsPerFeature.length; f++) {
    const nb = binsPerFeature[f]!;
    const base = f * BIN_SLOTS * 2;
    const gMissing = hist[base + 2 * MISSING_BIN]!;
    const hMissing = hist[base + 2 * MISSING_BIN + 1]!;
    const cMissing = counts ? counts[f * BIN_SLOTS + MISSING_BIN]! : 0;
    const hasMissing = hMissing > 0;
    let gl = 0;
    let hl = 0;
    let cl = 0;
    for (let b = 0; b < nb; b++) {
      gl += hist[base + 2 * b]!;
      hl += hist[base + 2 * b + 1]!;
      if (counts) cl += counts[f * BIN_SLOTS + b]!;
      // Missing values to the right.
      let hr = H - hl;
      if (hl >= minHess && hr >= minHess && (!counts || (cl >= minLeaf && C - cl >= minLeaf))) {
        const gr = G - gl;
        const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parent;
        if (gain > bestGain) {
          bestGain = gain;
          found = true;
          best.feature = f;
          best.bin = b;
          // With no missing rows here, unseen missing values follow the heavier child.
          best.defaultLeft = !hasMissing && hl >= hr;
          best.gradLeft = gl;
          best.hessLeft = hl;
        }
      }
      if (!hasMissing) continue;
      // Missing values to the left.
      const hlm = hl + hMissing;
      hr = H - hlm;
      if (hlm >= minHess && hr >= minHess && (!counts || (cl + cMissing >= minLeaf && C - cl - cMissing >= minLeaf))) {
        const glm = gl + gMissing;
        const gr = G - glm;
        const gain = (glm * glm) / (hlm + lambda) + (gr * gr) / (hr + lambda) - parent;
        if (gain > bestGain) {
          bestGain = gain;
          found = true;
          best.feature = f;
          best.bin = b;
          best.defaultLeft = true;
          best.gradLeft = glm;
          best.hessLeft = hlm;
        }
      }
    }
  }
  best.gain = bestGain;
  return found;
}
