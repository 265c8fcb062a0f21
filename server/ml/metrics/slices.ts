/**
 * Metrics per slice of a column: one slice per categorical value, or quantile bins of a numeric column
 * as pandas.qcut(duplicates="drop") cuts them. Empty slices are kept with count 0 and undefined
 * metrics, so a chart shows that a listed value or bin had no rows rather than silently dropping it.
 */
import { linspaceEdges, quantile, sortFloat64 } from "../stats";
import { binaryMetrics, checkBinaryInput, type BinaryMetrics } from "./binary";
import { regressionMetrics, type RegressionMetrics } from "./regression";
import { checkSameLength, type GroupValue } from "./types";

export type SliceKey =
  | { kind: "value"; value: string | number | boolean }
  | { kind: "bin"; index: number; lower: number; upper: number; includesLower: boolean }
  | { kind: "missing" }
  | { kind: "other" };

/** How to cut a column into slices; `auto` bins numbers with more than 20 distinct values, else uses values. */
export interface SliceSpec {
  name: string;
  values: ArrayLike<number> | readonly GroupValue[];
  kind?: "auto" | "categorical" | "quantile";
  /** Quantile bins for numeric columns (default 5); tied edges are merged as pandas.qcut does. */
  bins?: number;
  /** Values always reported, in this order, even when no row holds them. */
  categories?: readonly (string | number | boolean)[];
  /** Most frequent values kept as their own slice (default 50); the rest are pooled into "other". */
  maxSlices?: number;
}

export interface SliceRows {
  key: SliceKey;
  label: string;
  rows: Uint32Array;
}

export interface Partition {
  column: string;
  kind: "categorical" | "quantile";
  slices: SliceRows[];
}

export interface SliceResult<M> {
  key: SliceKey;
  label: string;
  count: number;
  metrics: M;
}

export type RegressionSlice = SliceResult<RegressionMetrics>;
export type BinarySlice = SliceResult<BinaryMetrics> & { positives: number };

export interface SliceReport<S> {
  column: string;
  kind: "categorical" | "quantile";
  slices: S[];
}

const AUTO_MAX_CATEGORIES = 20;
const MISSING_LABEL = "(missing)";

const isMissing = (v: GroupValue): boolean => v === null || v === undefined || (typeof v === "number" && !Number.isFinite(v));
const formatNumber = (x: number): string => String(Number(x.toPrecision(6)));

function isNumericColumn(values: SliceSpec["values"]): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!isMissing(v) && typeof v !== "number") return false;
  }
  return true;
}

function distinctAtMost(values: SliceSpec["values"], limit: number): boolean {
  const seen = new Set<GroupValue>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (isMissing(v)) continue;
    seen.add(v);
    if (seen.size > limit) return false;
  }
  return true;
}

function categoricalSlices(spec: SliceSpec): SliceRows[] {
  const byValue = new Map<string | number | boolean, number[]>();
  const missing: number[] = [];
  for (let i = 0; i < spec.values.length; i++) {
    const v = spec.values[i];
    if (isMissing(v)) {
      missing.push(i);
      continue;
    }
    const value = v as string | number | boolean;
    const rows = byValue.get(value);
    if (rows) rows.push(i);
    else byValue.set(value, [i]);
  }
  const declared = spec.categories ?? [];
  const declaredSet = new Set(declared);
  const ranked = [...byValue.entries()].filter(([v]) => !declaredSet.has(v));
  ranked.sort((a, b) => b[1].length - a[1].length || String(a[0]).localeCompare(String(b[0])));
  const room = Math.max(0, (spec.maxSlices ?? 50) - declared.length);
  const slice = (value: string | number | boolean, rows: readonly number[]): SliceRows => ({ key: { kind: "value", value }, label: String(value), rows: Uint32Array.from(rows) });
  const out = [...declared.map((v) => slice(v, byValue.get(v) ?? [])), ...ranked.slice(0, room).map(([v, rows]) => slice(v, rows))];
  const other = ranked.slice(room).flatMap(([, rows]) => rows);
  if (other.length > 0) out.push({ key: { kind: "other" }, label: "(other)", rows: Uint32Array.from(other.sort((a, b) => a - b)) });
  if (missing.length > 0) out.push({ key: { kind: "missing" }, label: MISSING_LABEL, rows: Uint32Array.from(missing) });
  return out;
}

/** Bin edges as pandas.qcut: numpy-linear quantiles at linspace(0, 1, bins + 1), duplicates dropped. */
export function quantileEdges(values: ArrayLike<number>, bins: number): number[] {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`quantileEdges: bins must be a positive integer, got ${bins}`);
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) finite.push(values[i]!);
  if (finite.length === 0) return [];
  const sorted = sortFloat64(Float64Array.from(finite));
  const edges: number[] = [];
  for (const q of linspaceEdges(0, 1, bins)) {
    const e = quantile(sorted, q);
    if (edges.length === 0 || e !== edges[edges.length - 1]) edges.push(e);
  }
  return edges;
}

function quantileSlices(spec: SliceSpec): SliceRows[] {
  const values = spec.values as ArrayLike<number | null | undefined>;
  const numeric = Array.from({ length: values.length }, (_, i) => values[i] ?? NaN);
  const edges = quantileEdges(numeric, spec.bins ?? 5);
  // A constant column has one edge; it still forms one closed bin [v, v].
  const bounds = edges.length === 1 ? [edges[0]!, edges[0]!] : edges;
  const rows: number[][] = Array.from({ length: Math.max(0, bounds.length - 1) }, () => []);
  const missing: number[] = [];
  numeric.forEach((x, i) => {
    if (!Number.isFinite(x)) {
      missing.push(i);
      return;
    }
    // Bin b holds (e_b, e_{b+1}], the first also its lower edge (qcut's include_lowest).
    let lo = 1;
    let hi = bounds.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (bounds[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    rows[lo - 1]!.push(i);
  });
  const out: SliceRows[] = rows.map((r, b) => {
    const lower = bounds[b]!;
    const upper = bounds[b + 1]!;
    const label = `${b === 0 ? "[" : "("}${formatNumber(lower)}, ${formatNumber(upper)}]`;
    return { key: { kind: "bin", index: b, lower, upper, includesLower: b === 0 }, label, rows: Uint32Array.from(r) };
  });
  if (missing.length > 0) out.push({ key: { kind: "missing" }, label: MISSING_LABEL, rows: Uint32Array.from(missing) });
  return out;
}

/** Row indices of each slice of a column; non-finite numbers count as missing. */
export function partitionRows(spec: SliceSpec): Partition {
  const kind = spec.kind ?? "auto";
  const quantiles = kind === "quantile" || (kind === "auto" && isNumericColumn(spec.values) && !distinctAtMost(spec.values, AUTO_MAX_CATEGORIES));
  if (quantiles && !isNumericColumn(spec.values)) throw new RangeError(`slice column ${spec.name}: quantile bins need numbers`);
  return { column: spec.name, kind: quantiles ? "quantile" : "categorical", slices: quantiles ? quantileSlices(spec) : categoricalSlices(spec) };
}

/** Values of `column` at the given rows. */
export function gather(column: ArrayLike<number>, rows: Uint32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = column[rows[i]!]!;
  return out;
}

/** RMSE, MAE, MAPE and R² per slice. */
export function regressionSlices(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, spec: SliceSpec): SliceReport<RegressionSlice> {
  checkSameLength(yTrue, yPred, "regressionSlices");
  checkSameLength(yTrue, spec.values, `regressionSlices column ${spec.name}`);
  const { column, kind, slices } = partitionRows(spec);
  return {
    column,
    kind,
    slices: slices.map(({ key, label, rows }) => ({ key, label, count: rows.length, metrics: regressionMetrics(gather(yTrue, rows), gather(yPred, rows)) })),
  };
}

/** Threshold metrics, ROC AUC, average precision and log loss per slice, with positive counts. */
export function binarySlices(yTrue: ArrayLike<number>, scores: ArrayLike<number>, threshold: number, spec: SliceSpec): SliceReport<BinarySlice> {
  checkBinaryInput(yTrue, scores, "binarySlices");
  checkSameLength(yTrue, spec.values, `binarySlices column ${spec.name}`);
  const { column, kind, slices } = partitionRows(spec);
  return {
    column,
    kind,
    slices: slices.map(({ key, label, rows }) => {
      const labels = gather(yTrue, rows);
      let positives = 0;
      for (const y of labels) positives += y;
      return { key, label, count: rows.length, positives, metrics: binaryMetrics(labels, gather(scores, rows), threshold) };
    }),
  };
}
