/** Building trainer input from table rows through the feature encoder (server/ml/features), and slicing it by row. */
import { DEFAULT_MISSING_TOKENS, encode, encodeTrainingData, ENCODING_VERSION, type Cell, type EncodingSpec } from "../features";
import { type FeatureColumns, type FeatureSpec, type TrainingData } from "./types";

export type { Cell };

// Declared features with open vocabularies: every category passes as it is.
function specOf(features: readonly FeatureSpec[], target: string | null): EncodingSpec {
  return {
    version: ENCODING_VERSION,
    missingTokens: [...DEFAULT_MISSING_TOKENS],
    features: features.map((f) => (f.kind === "numeric" ? { name: f.name, kind: "numeric" } : { name: f.name, kind: "categorical", categories: null })),
    target: target === null ? null : { name: target, task: "regression" },
  };
}

/** Feature columns from records keyed by column name, read by the encoder's rules (missing markers → NaN/null). */
export function columnsFromRecords(features: readonly FeatureSpec[], records: readonly Readonly<Record<string, Cell>>[]): FeatureColumns {
  return encode(specOf(features, null), records);
}

/** Training data from records with declared features; the target is read as a number (true/false → 1/0). */
export function trainingDataFromRecords(features: readonly FeatureSpec[], records: readonly Readonly<Record<string, Cell>>[], target: string): TrainingData {
  return { ...encodeTrainingData(specOf(features, target), records), features: [...features] };
}

/** The given rows of a column set, in the given order. */
export function takeRows(columns: FeatureColumns, rows: ArrayLike<number>): FeatureColumns {
  const index = Array.from(rows);
  return {
    X: columns.X.map((c) => Float64Array.from(index, (i) => c[i]!)),
    cat: columns.cat.map((c) => index.map((i) => c[i]!)),
  };
}

/** The given rows of a training set. */
export function takeTrainingRows(data: TrainingData, rows: ArrayLike<number>): TrainingData {
  return { features: data.features, ...takeRows(data, rows), y: Float64Array.from(Array.from(rows), (i) => data.y[i]!) };
}
