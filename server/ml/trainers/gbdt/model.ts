/** The trained tree ensemble: prediction on raw columns and ONNX export. */
import { treeEnsembleToOnnx } from "../../onnx/tree-ensemble";
import { sigmoid } from "../metrics";
import { rowCount, type FeatureColumns, type FeatureSpec, type Task, type TrainedModel } from "../types";
import { numericColumns, rowMajor, type CategoryCodes } from "./features";
import { addTree, type Tree } from "./tree";

/** A trained tree ensemble: predictions on raw columns and ONNX export. */
export class GbdtModel implements TrainedModel {
  readonly trainer = "gbdt";

  constructor(
    readonly task: Task,
    readonly features: readonly FeatureSpec[],
    readonly params: Readonly<Record<string, number | string | boolean | null>>,
    /** Per feature: category → rank for categorical features (unseen → missing), null for numeric ones. */
    readonly categoryCodes: CategoryCodes,
    readonly trees: readonly Tree[],
    /** Starting score: the training mean (regression) or its log-odds (binary), float32-exact. */
    readonly baseScore: number,
  ) {}

  /** Sum of base score and leaf values per row (log-odds for binary models). */
  margin(columns: FeatureColumns): Float64Array {
    const n = rowCount(this.features, columns);
    const matrix = rowMajor(numericColumns(this.features, columns, this.categoryCodes, n), n);
    const out = new Float64Array(n).fill(this.baseScore);
    for (const tree of this.trees) addTree(tree, matrix, this.features.length, 0, n, out);
    return out;
  }

  predict(columns: FeatureColumns): Float64Array {
    const margin = this.margin(columns);
    return this.task === "binary" ? margin.map(sigmoid) : margin;
  }

  /**
   * Total gain per feature (XGBoost's "total_gain"): the loss reduction of every split on it, summed
   * over the trees, with its share of the whole; features no split used get 0. Most important first.
   */
  gainImportance(): { feature: string; gain: number; share: number }[] {
    const totals = new Float64Array(this.features.length);
    for (const tree of this.trees) for (let k = 0; k < tree.feature.length; k++) if (tree.feature[k]! >= 0) totals[tree.feature[k]!]! += tree.gain[k]!;
    const sum = totals.reduce((a, b) => a + b, 0);
    return this.features
      .map((f, j) => ({ feature: f.name, gain: totals[j]!, share: sum > 0 ? totals[j]! / sum : 0 }))
      .sort((a, b) => b.gain - a.gain || a.feature.localeCompare(b.feature));
  }

  toOnnx(metadata?: Readonly<Record<string, string>>): Uint8Array {
    return treeEnsembleToOnnx({
      task: this.task,
      trainer: this.trainer,
      features: this.features,
      params: this.params,
      metadata,
      trees: this.trees,
      baseScore: this.baseScore,
      categoryCodes: this.categoryCodes,
    });
  }
}
