/**
 * encode(spec, rows): raw rows to exactly what a model takes. Trainer columns (FeatureColumns) and
 * ONNX feeds come from the same values, so a model scores the rows it was trained on the same way
 * wherever it runs. Encoding is idempotent: encoded rows (encodeRecords) encode to themselves.
 */
import type { FeatureColumns, FeatureSpec, TrainingData } from "../trainers/types";
import { CellReader, type Cell } from "./cells";
import { isFloatKind, type EncodingSpec } from "./spec";

/** A raw row: column name → cell. */
export type RawRow = Readonly<Record<string, Cell>>;

/** One ONNX input's data for N rows, shape [N, 1]: float32 numbers (NaN = missing) or text ("" = missing). */
export type OnnxFeed = { name: string; type: "float32"; data: Float32Array } | { name: string; type: "string"; data: string[] };

/** The trainer's view of the spec's features: float kinds are numeric. */
export function trainerFeatures(spec: EncodingSpec): FeatureSpec[] {
  return spec.features.map((f) => ({ name: f.name, kind: isFloatKind(f.kind) ? "numeric" : "categorical" }));
}

function vocabularies(spec: EncodingSpec): (ReadonlySet<string> | null)[] {
  return spec.features.map((f) => (f.kind === "categorical" && f.categories ? new Set(f.categories) : null));
}

/** Feature columns in the trainers' layout: float features in X (NaN = missing), categoricals in cat (null = missing or unseen). */
export function encode(spec: EncodingSpec, rows: readonly RawRow[]): FeatureColumns {
  const reader = new CellReader(spec.missingTokens);
  const vocab = vocabularies(spec);
  const X: Float64Array[] = [];
  const cat: (string | null)[][] = [];
  spec.features.forEach((f, j) => {
    if (isFloatKind(f.kind)) {
      const column = new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i++) column[i] = reader.float(rows[i]![f.name]);
      X.push(column);
    } else {
      const known = vocab[j];
      // Unseen categories read as missing: the model learned nothing about them.
      cat.push(rows.map((r) => {
        const c = reader.category(r[f.name]);
        return c !== null && known && !known.has(c) ? null : c;
      }));
    }
  });
  return { X, cat };
}

/** The target per row: a number (regression) or 1/0 by the spec's positive/negative labels (binary); NaN when missing or unknown. */
export function encodeTarget(spec: EncodingSpec, rows: readonly RawRow[]): Float64Array {
  const target = spec.target;
  if (!target) throw new RangeError("the encoding spec has no target");
  const reader = new CellReader(spec.missingTokens);
  if (target.task === "regression") return Float64Array.from(rows, (r) => reader.float(r[target.name]));
  const positive = new Set(target.positive);
  const negative = new Set(target.negative);
  return Float64Array.from(rows, (r) => {
    const key = reader.labelKey(r[target.name]);
    return key === null ? NaN : positive.has(key) ? 1 : negative.has(key) ? 0 : NaN;
  });
}

/** Trainer input: the spec's features and target, encoded. */
export function encodeTrainingData(spec: EncodingSpec, rows: readonly RawRow[]): TrainingData {
  return { features: trainerFeatures(spec), ...encode(spec, rows), y: encodeTarget(spec, rows) };
}

/** Encoded rows keyed by feature name (numbers with NaN for missing, text or null): what robustness probes perturb. */
export function encodeRecords(spec: EncodingSpec, rows: readonly RawRow[]): Record<string, number | string | null>[] {
  const { X, cat } = encode(spec, rows);
  const out = rows.map(() => ({}) as Record<string, number | string | null>);
  let numeric = 0;
  let categorical = 0;
  for (const f of spec.features) {
    if (isFloatKind(f.kind)) {
      const column = X[numeric++]!;
      out.forEach((r, i) => (r[f.name] = column[i]!));
    } else {
      const column = cat[categorical++]!;
      out.forEach((r, i) => (r[f.name] = column[i]!));
    }
  }
  return out;
}

/** One ONNX feed per feature, in feature order, from encoded columns. */
export function onnxFeeds(spec: EncodingSpec, columns: FeatureColumns): OnnxFeed[] {
  let numeric = 0;
  let categorical = 0;
  return spec.features.map((f): OnnxFeed =>
    isFloatKind(f.kind)
      ? { name: f.name, type: "float32", data: Float32Array.from(columns.X[numeric++]!) }
      : { name: f.name, type: "string", data: columns.cat[categorical++]!.map((v) => v ?? "") },
  );
}
