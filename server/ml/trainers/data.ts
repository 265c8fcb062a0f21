/** Building trainer input from table rows (parsed CSV records) and slicing it by row. */
import { isMissingString, NOT_A_NUMBER, ValueScanner } from "../parse-value";
import { type FeatureColumns, type FeatureSpec, type TrainingData } from "./types";

/** A cell as a CSV/JSON reader delivers it. */
export type Cell = string | number | boolean | null | undefined;

/** Feature columns from records keyed by column name: numbers parsed (missing markers → NaN), categoricals as text. */
export function columnsFromRecords(features: readonly FeatureSpec[], records: readonly Readonly<Record<string, Cell>>[]): FeatureColumns {
  const scanner = new ValueScanner();
  const X: Float64Array[] = [];
  const cat: (string | null)[][] = [];
  for (const f of features) {
    if (f.kind === "numeric") {
      const column = new Float64Array(records.length);
      for (let i = 0; i < records.length; i++) column[i] = toNumber(records[i]![f.name], scanner);
      X.push(column);
    } else {
      cat.push(records.map((r) => toCategory(r[f.name])));
    }
  }
  return { X, cat };
}

/** Training data from records: the target column must be numeric (0/1, true/false for binary tasks). */
export function trainingDataFromRecords(features: readonly FeatureSpec[], records: readonly Readonly<Record<string, Cell>>[], target: string): TrainingData {
  const scanner = new ValueScanner();
  const y = new Float64Array(records.length);
  for (let i = 0; i < records.length; i++) {
    const v = records[i]![target];
    y[i] = v === true || v === "true" ? 1 : v === false || v === "false" ? 0 : toNumber(v, scanner);
  }
  return { features: [...features], ...columnsFromRecords(features, records), y };
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

function toNumber(v: Cell, scanner: ValueScanner): number {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v === null || v === undefined || isMissingString(v)) return NaN;
  return scanner.number(v) === NOT_A_NUMBER ? NaN : scanner.value;
}

function toCategory(v: Cell): string | null {
  if (v === null || v === undefined) return null;
  const s = String(v);
  return isMissingString(s) ? null : s;
}
