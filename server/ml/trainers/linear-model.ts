/** The model ridge and logistic regression produce: weights over the one-hot design, and its ONNX form. */
import { linearToOnnx } from "../onnx/linear";
import { LinearDesign, type EncodedRows } from "./design";
import { sigmoid } from "./metrics";
import { rowCount, type FeatureColumns, type FeatureSpec, type Task, type TrainedModel } from "./types";

// Beyond this many design columns the d × d normal equations stop being cheap (memory grows as d²).
const MAX_DESIGN_COLUMNS = 4096;

/** Fits the design on training columns, refusing designs too wide for dense normal equations. */
export function fitDesign(features: readonly FeatureSpec[], columns: FeatureColumns): { design: LinearDesign; rows: EncodedRows } {
  const fitted = LinearDesign.fit(features, columns);
  if (fitted.design.d > MAX_DESIGN_COLUMNS) {
    throw new RangeError(`the one-hot design has ${fitted.design.d} columns (limit ${MAX_DESIGN_COLUMNS}); use gbdt for high-cardinality categoricals`);
  }
  return fitted;
}

/** A fitted linear model (ridge or logistic): predictions, coefficients and ONNX export. */
export class LinearModel implements TrainedModel {
  /** u-space weights: score = weights·u (intercept, centred numbers, indicators). */
  private readonly weights: Float64Array;

  constructor(
    readonly task: Task,
    readonly trainer: string,
    readonly params: Readonly<Record<string, number | string | boolean | null>>,
    private readonly design: LinearDesign,
    /** Coefficients on the standardised design: [intercept, numeric…, indicators…] (what scikit-learn reports after StandardScaler). */
    readonly standardised: Float64Array,
  ) {
    this.weights = design.weightsFromStandard(standardised);
  }

  get features(): readonly FeatureSpec[] {
    return this.design.features;
  }

  /** Linear score (log-odds for binary models) per row. */
  decision(columns: FeatureColumns): Float64Array {
    rowCount(this.features, columns);
    return this.design.scores(this.design.encode(columns), this.weights);
  }

  predict(columns: FeatureColumns): Float64Array {
    const scores = this.decision(columns);
    return this.task === "binary" ? scores.map(sigmoid) : scores;
  }

  /** Coefficients per raw unit: score = intercept + Σ numeric[name]·x + categories[name][value] (absent → 0; missing x → its training mean). */
  coefficients(): { intercept: number; numeric: Record<string, number>; categories: Record<string, Record<string, number>> } {
    const { numericMean, categories } = this.design.state;
    const { offsets } = this.design.layout();
    const names = this.features.filter((f) => f.kind === "numeric").map((f) => f.name);
    const categoricalNames = this.features.filter((f) => f.kind === "categorical").map((f) => f.name);
    let intercept = this.weights[0]!;
    const numeric: Record<string, number> = {};
    names.forEach((name, j) => {
      numeric[name] = this.weights[1 + j]!;
      intercept -= this.weights[1 + j]! * numericMean[j]!;
    });
    const byCategory: Record<string, Record<string, number>> = {};
    categoricalNames.forEach((name, k) => {
      byCategory[name] = Object.fromEntries(categories[k]!.map((c, i) => [c, this.weights[offsets[k]! + i]!]));
    });
    return { intercept, numeric, categories: byCategory };
  }

  toOnnx(metadata?: Readonly<Record<string, string>>): Uint8Array {
    const { numericMean, categories } = this.design.state;
    const { offsets } = this.design.layout();
    return linearToOnnx({
      task: this.task,
      trainer: this.trainer,
      features: this.features,
      params: this.params,
      metadata,
      intercept: this.weights[0]!,
      numeric: numericMean.map((mean, j) => ({ mean, weight: this.weights[1 + j]! })),
      categorical: categories.map((c, k) => ({ categories: c, weights: this.weights.subarray(offsets[k]!, offsets[k]! + c.length) })),
    });
  }
}
