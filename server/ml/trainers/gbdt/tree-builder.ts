/**
 * Grows one tree on binned data: histograms of gradients, the best split per node, rows partitioned in
 * place, and histogram subtraction (only the smaller child is built; the sibling is parent − child).
 */
import { MISSING_BIN, thresholdOf } from "./binning";
import { accumulate, accumulateCounts, histogramLength, HistogramPool, subtract } from "./histogram";
import { findBestSplit, type Split, type SplitParams } from "./split";
import type { Tree } from "./tree";

export interface TreeParams extends SplitParams {
  maxDepth: number;
  learningRate: number;
}

/** Binned training data shared by every round. */
export interface BinnedData {
  /** Row-major bin codes, n × features. */
  bins: Uint8Array;
  features: number;
  /** Value bins per feature (the missing bin comes on top). */
  binsPerFeature: Int32Array;
  cuts: readonly Float64Array[];
}

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
    let grad = 0;
    let hess = 0;
    for (let i = 0; i < count; i++) {
      const r = rows[i]!;
      grad += gh[2 * r]!;
      hess += gh[2 * r + 1]!;
    }
    const hist = this.pool.take();
    accumulate(hist, this.data.bins, this.data.features, rows, 0, count, gh);
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
    };
  }

  private expand(node: number, start: number, end: number, depth: number, hist: Float64Array, counts: Float64Array | null, grad: number, hess: number): void {
    const params = this.params;
    const total = this.total;
    total.grad = grad;
    total.hess = hess;
    total.count = end - start;
    if (depth >= params.maxDepth || !findBestSplit(hist, counts, this.data.binsPerFeature, total, params, this.split)) {
      this.makeLeaf(node, start, end, grad, hess);
      return;
    }
    const { feature, bin, defaultLeft, gradLeft, hessLeft } = this.split;
    const mid = this.partition(start, end, feature, bin, defaultLeft);
    const left = this.nodes++;
    const right = this.nodes++;
    this.feature[node] = feature;
    this.splitBin[node] = bin;
    this.threshold[node] = thresholdOf(this.data.cuts[feature]!, bin);
    this.defaultLeft[node] = defaultLeft ? 1 : 0;
    this.left[node] = left;
    this.right[node] = right;

    if (depth + 1 >= params.maxDepth) {
      this.makeLeaf(left, start, mid, gradLeft, hessLeft);
      this.makeLeaf(right, mid, end, grad - gradLeft, hess - hessLeft);
      return;
    }
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

  private makeLeaf(node: number, start: number, end: number, grad: number, hess: number): void {
    // Float32 leaf values are what ONNX stores, so training predictions use exactly those.
    const value = Math.fround((-grad / (hess + this.params.lambda)) * this.params.learningRate);
    this.feature[node] = -1;
    this.splitBin[node] = -1;
    this.threshold[node] = 0;
    this.left[node] = -1;
    this.right[node] = -1;
    this.defaultLeft[node] = 0;
    this.value[node] = value;
    const rows = this.rows;
    const prediction = this.prediction;
    for (let i = start; i < end; i++) prediction[rows[i]!]! += value;
  }

  /** Stable in-place partition of rows[start … end): left rows first; returns where the right ones begin. */
  private partition(start: number, end: number, feature: number, bin: number, defaultLeft: boolean): number {
    const rows = this.rows;
    const bins = this.data.bins;
    const features = this.data.features;
    const scratch = this.scratch;
    let l = start;
    let r = 0;
    for (let i = start; i < end; i++) {
      const row = rows[i]!;
      const b = bins[row * features + feature]!;
      if (b === MISSING_BIN ? defaultLeft : b <= bin) rows[l++] = row;
      else scratch[r++] = row;
    }
    rows.set(scratch.subarray(0, r), l);
    return l;
  }
}
