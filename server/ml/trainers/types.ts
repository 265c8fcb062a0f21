/**
 * The contract shared by Cairn's built-in trainers: column-wise feature data in, a model that predicts
 * and exports ONNX out, plus a per-round history to log as run metrics.
 */
import { checkFeatureNames } from "../onnx/features";

/** A model input: its column name and whether it holds numbers or categories. */
export interface FeatureSpec {
  name: string;
  kind: "numeric" | "categorical";
}

/**
 * Feature values column by column, following the order of the model's features: `X` holds the numeric
 * features (NaN = missing), `cat` the categorical ones (null or "" = missing). With features
 * [a: numeric, c: categorical, b: numeric], X = [a, b] and cat = [c].
 */
export interface FeatureColumns {
  X: Float64Array[];
  cat: (string | null)[][];
}

/** Training rows: features, their columns and the target (a value, or 0/1 for binary tasks). */
export interface TrainingData extends FeatureColumns {
  features: FeatureSpec[];
  y: Float64Array;
}

/** What a model predicts: a value, or the probability of class 1. */
export type Task = "regression" | "binary";

/** One epoch or boosting round: metric name → value, e.g. train_rmse, valid_rmse. */
export interface HistoryEntry {
  round: number;
  metrics: Record<string, number>;
}

/** What every trainer returns: the model and one history entry per epoch or round. */
export interface TrainResult<M extends TrainedModel = TrainedModel> {
  model: M;
  history: HistoryEntry[];
  /** The round whose model was kept when early stopping looked at a validation set. */
  bestRound?: number;
}

/** A trained model, whatever the algorithm. */
export interface TrainedModel {
  readonly task: Task;
  /** "ridge", "logistic" or "gbdt". */
  readonly trainer: string;
  readonly features: readonly FeatureSpec[];
  /** The options the model was trained with, after defaults (logged as run params). */
  readonly params: Readonly<Record<string, number | string | boolean | null>>;
  /** Predicted value (regression) or P(y = 1) (binary), one per row. */
  predict(columns: FeatureColumns): Float64Array;
  /** The model as ONNX bytes (with extra metadata_props, if given); see server/ml/onnx/features.ts for inputs and outputs. */
  toOnnx(metadata?: Readonly<Record<string, string>>): Uint8Array;
}

/** Number of rows, after checking that every column has it. */
export function rowCount(features: readonly FeatureSpec[], columns: FeatureColumns): number {
  const numeric = features.filter((f) => f.kind === "numeric").length;
  if (columns.X.length !== numeric) throw new RangeError(`expected ${numeric} numeric columns in X, got ${columns.X.length}`);
  if (columns.cat.length !== features.length - numeric) throw new RangeError(`expected ${features.length - numeric} categorical columns in cat, got ${columns.cat.length}`);
  const n = columns.X[0]?.length ?? columns.cat[0]?.length ?? 0;
  for (const c of [...columns.X, ...columns.cat]) if (c.length !== n) throw new RangeError("feature columns differ in length");
  return n;
}

/** Checks a training set; returns its row count. Binary targets must be 0 or 1. */
export function checkTrainingData(data: TrainingData, task: Task): number {
  if (data.features.length === 0) throw new RangeError("no features to train on");
  checkFeatureNames(data.features);
  const n = rowCount(data.features, data);
  if (n === 0) throw new RangeError("no training rows");
  if (data.y.length !== n) throw new RangeError(`y has ${data.y.length} values for ${n} rows`);
  for (let i = 0; i < n; i++) {
    const y = data.y[i]!;
    if (task === "binary" ? y !== 0 && y !== 1 : !Number.isFinite(y)) {
      throw new RangeError(`row ${i}: target ${y} is not ${task === "binary" ? "0 or 1" : "a finite number"}`);
    }
  }
  return n;
}

/** Checks that a validation set has the training features in the same order; returns its row count. */
export function checkValidationData(train: TrainingData, valid: TrainingData, task: Task): number {
  const same = valid.features.length === train.features.length && valid.features.every((f, j) => f.name === train.features[j]!.name && f.kind === train.features[j]!.kind);
  if (!same) throw new RangeError("the validation set must have the training features in the same order");
  return checkTrainingData(valid, task);
}

/** A categorical cell as the model sees it: null for missing ("" too, which is how ONNX callers pass it). */
export function categoryOf(value: string | null | undefined): string | null {
  return value === null || value === undefined || value === "" ? null : value;
}

/** Index of each feature within X (numeric) or cat (categorical). */
export function columnSlots(features: readonly FeatureSpec[]): number[] {
  let numeric = 0;
  let categorical = 0;
  return features.map((f) => (f.kind === "numeric" ? numeric++ : categorical++));
}
