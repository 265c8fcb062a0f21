/**
 * Turning feature columns into the numbers the trees split on: numeric values rounded to float32 (what
 * the ONNX inputs carry) and categories replaced by their rank by mean target on the training rows.
 */
import { categoryOf, columnSlots, type FeatureColumns, type FeatureSpec } from "../types";

/** Rank of each training category by mean target (ties by name); unseen and missing map to NaN. */
export function rankCategories(column: readonly (string | null)[], y: Float64Array): Map<string, number> {
  const stats = new Map<string, { sum: number; count: number }>();
  for (let i = 0; i < column.length; i++) {
    const c = categoryOf(column[i]);
    if (c === null) continue;
    const s = stats.get(c);
    if (s) {
      s.sum += y[i]!;
      s.count++;
    } else {
      stats.set(c, { sum: y[i]!, count: 1 });
    }
  }
  const ordered = [...stats].map(([name, s]) => ({ name, mean: s.sum / s.count })).sort((a, b) => a.mean - b.mean || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return new Map(ordered.map((c, rank) => [c.name, rank]));
}

/** Per feature: the category → rank map of categorical features, null for numeric ones. */
export type CategoryCodes = (ReadonlyMap<string, number> | null)[];

/** Category ranks learned from training data, aligned with `features`. */
export function learnCategoryCodes(features: readonly FeatureSpec[], columns: FeatureColumns, y: Float64Array): CategoryCodes {
  const slots = columnSlots(features);
  return features.map((f, j) => (f.kind === "categorical" ? rankCategories(columns.cat[slots[j]!]!, y) : null));
}

/** One float32 column per feature, in feature order: numbers rounded, categories as ranks (NaN = missing). */
export function numericColumns(features: readonly FeatureSpec[], columns: FeatureColumns, codes: CategoryCodes, n: number): Float32Array[] {
  const slots = columnSlots(features);
  return features.map((f, j) => {
    if (f.kind === "numeric") return Float32Array.from(columns.X[slots[j]!]!.subarray(0, n));
    const map = codes[j]!;
    const text = columns.cat[slots[j]!]!;
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const c = categoryOf(text[i]);
      out[i] = c === null ? NaN : (map.get(c) ?? NaN);
    }
    return out;
  });
}

/** The same values row-major (row i, feature f at i·F + f), the layout tree traversal reads. */
export function rowMajor(columns: readonly Float32Array[], n: number): Float32Array {
  const f = columns.length;
  const out = new Float32Array(n * f);
  for (let j = 0; j < f; j++) {
    const c = columns[j]!;
    for (let i = 0; i < n; i++) out[i * f + j] = c[i]!;
  }
  return out;
}
