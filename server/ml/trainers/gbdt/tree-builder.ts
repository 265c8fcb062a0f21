/**
 * Grows one tree on binned data: histograms of gradients, the best split per node, rows partitioned in
 * place, and histogram subtraction (only the smaller child is built; the sibling is parent − child).
 */
import { BIN_SLOTS, MISSING_BIN, thresholdOf } from "./binning";
import { accumulate, accumulateCounts, histogramLength, HistogramPool, subtract } from "./histogram";
import { findBestSplit, type Split, type SplitParams } from "./split";
import type { Tree } from "./tree";

/** Split limits plus the depth limit and the shrinkage applied to leaves. */
export interface TreeParams extends SplitParams {
  maxDepth: number;
  learningRate: number;
}

/** Binned training data shared by every round. */
export interface BinnedData {
  /** Row-major bin codes, n × features. */
  bins: Uint8Array;
  /** The same codes per feature, for partitioning rows on one feature. */
  featureBins: readonly Uint8Array[];
  features: number;
  /** Value bins per feature (the missing bin comes on top). */
  binsPerFeature: Int32Array;
  cuts: readonly Float64Array[];
}

/** Grows trees round after round, reusing its buffers. */
export class TreeBuilder {
  private readonly pool: HistogramPool;
  private readonly countPool: HistogramPool | null;
  private readonly scratch: Uint32Array;
  private readonly split: Split = { gain: 0, feature: 0, bin: 0, defaultLeft: false, gradLeft: 0, hessLeft: 0 };
  private readonly total = { grad: 0, hess: 0, count: 0 };
  // Per-tree node arrays, allocated once at the size of a full tree.
  private readonly feature: Int32Array;
  private readonly splitBin: Int32Array;
  private readonly threshold: Float64Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly defaultLeft: Uint8Array;
  private readonly value: Float64Array;
  private readonly gain: Float64Array;
  private nodes = 0;
  private rows: Uint32Array = new Uint32Array(0);
  private gh: Float64Array = new Float64Array(0);
  private prediction: Float64Array = new Float64Array(0);

  constructor(
    private readonly data: BinnedData,
    private readonly params: TreeParams,
    maxRows: number,
  ) {
    this.pool = new HistogramPool(histogramLength(data.features));
    this.countPool = params.minLeaf > 1 ? new HistogramPool(histogramLength(data.features) / 2) : null;
    this.scratch = new Uint32Array(maxRows);
    const maxNodes = Math.min(2 ** (params.maxDepth + 1) - 1, 2 * maxRows - 1);
    this.feature = new Int32Array(maxNodes);
    this.splitBin = new Int32Array(maxNodes);
    this.gain = new Float64Array(maxNodes);
    this.threshold = new Float64Array(maxNodes);
    this.left = new Int32Array(maxNodes);
    this.right = new Int32Array(maxNodes);
    this.defaultLeft = new Uint8Array(maxNodes);
    this.value = new Float64Array(maxNodes);
  }

  /**
   * Grows a tree on rows[0 … count) with interleaved gradients/hessians `gh`, and adds each leaf's
   * value to `prediction` for those rows. `rows` is reordered.
   */
  grow(rows: Uint32Array, count: number, gh: Float64Array, prediction: Float64Array): Tree {
    this.rows = rows;
    this.gh = gh;
    this.prediction = prediction;
    this.nodes = 1;
    const hist = this.pool.take();
    accumulate(hist, this.data.bins, this.data.features, rows, 0, count, gh);
    // Every row lands in one bin of feature 0, so its histogram sums to the node's totals.
    let grad = 0;
    let hess = 0;
    for (let k = 0; k < 2 * BIN_SLOTS; k += 2) {
      grad += hist[k]!;
      hess += hist[k + 1]!;
    }
    const counts = this.countPool?.take() ?? null;
    if (counts) accumulateCounts(counts, this.data.bins, this.data.features, rows, 0, count);
    // With a depth limit alone the tree does not depend on the order nodes are expanded in; going
    // depth-first keeps one histogram per level alive instead of one per node of the widest level.
    this.expand(0, 0, count, 0, hist, counts, grad, hess);
    this.pool.give(hist);
    if (counts) this.countPool!.give(counts);
    const n = this.nodes;
    return {
      feature: this.feature.slice(0, n),
      splitBin: this.splitBin.slice(0, n),
      threshold: this.threshold.slice(0, n),
      left: this.left.slice(0, n),
      right: this.right.slice(0, n),
      defaultLeft: this.defaultLeft.slice(0, n),
      value: this.value.slice(0, n),
      gain: this.gain.slice(0, n),
    };
  }

  private expand(node: number, start: number, end: number, depth: number, hist: Float64Array, counts: Float64Array | null, grad: number, hess: number): void {
    const params = this.params;
    const total = this.total;
    total.grad = grad;
    total.hess = hess;
    total.count = end - start;
    if (depth >= params.maxDepth || !findBestSplit(hist, counts, this.data.binsPerFeature, total, params, this.split)) {
      const value = this.makeLeaf(node, grad, hess);
      const rows = this.rows;
      const prediction = this.prediction;
      for (let i = start; i < end; i++) prediction[rows[i]!]! += value;
      return;
    }
    const { feature, bin, defaultLeft, gradLeft, hessLeft, gain } = this.split;
    const left = this.nodes++;
    const right = this.nodes++;
    this.feature[node] = feature;
    this.splitBin[node] = bin;
    this.gain[node] = gain;
    this.threshold[node] = thresholdOf(this.data.cuts[feature]!, bin);
    this.defaultLeft[node] = defaultLeft ? 1 : 0;
    this.left[node] = left;
    this.right[node] = right;

    if (depth + 1 >= params.maxDepth) {
      // Children at the depth limit are leaves: their rows need a prediction update, not a partition.
      const leftValue = this.makeLeaf(left, gradLeft, hessLeft);
      const rightValue = this.makeLeaf(right, grad - gradLeft, hess - hessLeft);
      this.addSplitValues(start, end, feature, bin, defaultLeft, leftValue, rightValue);
      return;
    }
    const mid = this.partition(start, end, feature, bin, defaultLeft);
    const smallIsLeft = mid - start <= end - mid;
    const [smallStart, smallEnd] = smallIsLeft ? [start, mid] : [mid, end];
    const small = this.pool.take();
    accumulate(small, this.data.bins, this.data.features, this.rows, smallStart, smallEnd, this.gh);
    subtract(hist, small);
    let smallCounts: Float64Array | null = null;
    if (counts) {
      smallCounts = this.countPool!.take();
      accumulateCounts(smallCounts, this.data.bins, this.data.features, this.rows, smallStart, smallEnd);
      subtract(counts, smallCounts);
    }
    const [leftHist, rightHist] = smallIsLeft ? [small, hist] : [hist, small];
    const [leftCounts, rightCounts] = smallIsLeft ? [smallCounts, counts] : [counts, smallCounts];
    this.expand(left, start, mid, depth + 1, leftHist, leftCounts, gradLeft, hessLeft);
    this.expand(right, mid, end, depth + 1, rightHist, rightCounts, grad - gradLeft, hess - hessLeft);
    this.pool.give(small);
    if (smallCounts) this.countPool!.give(smallCounts);
  }

  /** Turns a node into a leaf and returns its value. */
  private makeLeaf(node: number, grad: number, hess: number): number {
    // Float32 leaf values are what ONNX stores, so training predictions use exactly those.
    const value = Math.fround((-grad / (hess + this.params.lambda)) * this.params.learningRate);
    this.feature[node] = -1;
    this.splitBin[node] = -1;
    this.threshold[node] = 0;
    this.left[node] = -1;
    this.right[node] = -1;
    this.defaultLeft[node] = 0;
    this.value[node] = value;
    return value;
  }

  /** Adds the left or right leaf value to the prediction of each of rows[start … end). */
  private addSplitValues(start: number, end: number, feature: number, bin: number, defaultLeft: boolean, leftValue: number, rightValue: number): void {
    const rows = this.rows;
    const bins = this.data.featureBins[feature]!;
    const prediction = this.prediction;
    const shift = defaultLeft ? 1 : 0;
    const limit = bin + shift;
    for (let i = start; i < end; i++) {
      const row = rows[i]!;
      prediction[row]! += ((bins[row]! + shift) & MISSING_BIN) <= limit ? leftValue : rightValue;
    }
  }

  /** Stable in-place partition of rows[start … end): left rows first; returns where the right ones begin. */
  private partition(start: number, end: number, feature: number, bin: number, defaultLeft: boolean): number {
    const rows = this.rows;
    const bins = this.data.featureBins[feature]!;
    const scratch = this.scratch;
    // Shifting codes by one (mod 256) when missing goes left turns MISSING_BIN into 0, so one
    // comparison decides every row, and the row is written to both sides without a branch to mispredict.
    const shift = defaultLeft ? 1 : 0;
    const limit = bin + shift;
    let l = start;
    let r = 0;
    for (let i = start; i < end; i++) {
      const row = rows[i]!;
      const left = ((bins[row]! + shift) & MISSING_BIN) <= limit ? 1 : 0;
      rows[l] = row;
      scratch[r] = row;
      l += left;
      r += 1 - left;
    }
    rows.set(scratch.subarray(0, r), l);
    return l;
  }
}
