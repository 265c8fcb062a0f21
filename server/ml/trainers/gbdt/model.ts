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
