/** A regression tree in flat typed arrays, and the two ways of walking it: on raw values and on bins. */
import type { OnnxTree } from "../../onnx/tree-ensemble";
import { MISSING_BIN } from "./binning";

/** Node 0 is the root; leaves have feature −1. Thresholds and values are float32-exact. */
export interface Tree extends OnnxTree {
  /** The bin a split was found at (training rows are routed by bin: bin ≤ splitBin goes left). */
  splitBin: Int32Array;
  /** Loss reduction of each split (XGBoost's gain); 0 at leaves. */
  gain: Float64Array;
}

/** Adds the tree's leaf value to out[i] for rows start … end of a row-major float32 matrix (NaN = missing). */
export function addTree(tree: OnnxTree, matrix: Float32Array, features: number, start: number, end: number, out: Float64Array): void {
  const { feature, threshold, left, right, defaultLeft, value } = tree;
  for (let i = start; i < end; i++) {
    const base = i * features;
    let k = 0;
    let f = feature[0]!;
    while (f >= 0) {
      const x = matrix[base + f]!;
      // NaN fails every comparison, so it takes the learned default direction.
      k = x <= threshold[k]! || (x !== x && defaultLeft[k] === 1) ? left[k]! : right[k]!;
      f = feature[k]!;
    }
    out[i]! += value[k]!;
  }
}

/** Adds the tree's leaf value to out[r] for the listed rows of a row-major bin matrix. */
export function addTreeBinned(tree: Tree, bins: Uint8Array, features: number, rows: Uint32Array, count: number, out: Float64Array): void {
  const { feature, splitBin, left, right, defaultLeft, value } = tree;
  for (let i = 0; i < count; i++) {
    const r = rows[i]!;
    const base = r * features;
    let k = 0;
    let f = feature[0]!;
    while (f >= 0) {
      const b = bins[base + f]!;
      k = (b === MISSING_BIN ? defaultLeft[k] === 1 : b <= splitBin[k]!) ? left[k]! : right[k]!;
      f = feature[k]!;
    }
    out[r]! += value[k]!;
  }
}
