/**
 * Streaming dataset profiler: one pass over rows produces, per column, the inferred type, missing
 * share, distinct count, moments, quantiles, a histogram (the drift reference) and a numeric sample
 * for later two-sample tests. Pure computation; callers parse CSV/JSONL/Parquet and push rows.
 */
import {
  BOOLEAN,
  ColumnAccumulator,
  DATE,
  NUMBER,
  STRING,
  stringColumnType,
  type RawValue,
} from "./profile-column";
import { ValueScanner } from "./parse-value";
import { numericColumnValues } from "./column-data";
import { categoricalReference, numericReference, type PsiReference } from "./psi";
import { Rng, sampleIndices } from "./random";
import { histogramSorted, meanVariance, quantile, sortCountDistinct } from "./stats";
import type { ValueCount } from "./string-counter";

export type { RawValue } from "./profile-column";
export type ColumnType = "numeric" | "integer" | "boolean" | "categorical" | "datetime" | "text";

export interface ProfilerOptions {
  /** Bins of the numeric histogram; 20. */
  histogramBins?: number;
  /** Values listed in categorical histograms; 20. */
  topK?: number;
  /** Size of the per-column numeric sample; 5000. */
  sampleSize?: number;
  /** Values per column kept for exact quantiles before switching to a reservoir; 2,000,000. */
  exactValueCap?: number;
  /** Distinct strings per column counted exactly before switching to a sketch; 10,000. */
  distinctStringCap?: number;
  /** Seed of the sampling streams; the same seed and rows give the same profile. */
  seed?: number;
}

export interface Quantiles {
  p1: number;
  p5: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
  p99: number;
}

export type ColumnHistogram =
  | { kind: "numeric"; edges: number[]; counts: number[] }
  | { kind: "categorical"; top: ValueCount[]; otherCount: number };

export interface ColumnProfile {
  name: string;
  type: ColumnType;
  nullable: boolean;
  count: number;
  missing: number;
  missingShare: number;
  distinct: number;
  distinctApprox: boolean;
  min: number | null;
  max: number | null;
  mean: number | null;
  std: number | null;
  minText?: string | null;
  maxText?: string | null;
  quantiles: Quantiles | null;
  histogram: ColumnHistogram | null;
  /** The column's bins as a PSI reference (psi.ts); null for free text and columns without values, absent in profiles written before it existed. */
  psiReference?: PsiReference | null;
  sample: number[];
  quantilesApprox: boolean;
}

export interface DatasetProfile {
  rowCount: number;
  columns: ColumnProfile[];
}

const QUANTILES: Readonly<Quantiles> = { p1: 0.01, p5: 0.05, p25: 0.25, p50: 0.5, p75: 0.75, p95: 0.95, p99: 0.99 };

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`DatasetProfiler: ${name} must be a positive integer, got ${v}`);
  return v;
}

/** Single-pass profiler: push rows aligned with `columns`, then call finish() once. */
export class DatasetProfiler {
  private readonly accumulators: ColumnAccumulator[];
  private readonly bins: number;
  private readonly topK: number;
  private readonly sampleSize: number;
  private rows = 0;
  private finished = false;

  constructor(columns: string[], options: ProfilerOptions = {}) {
    this.bins = positiveInteger(options.histogramBins, 20, "histogramBins");
    this.topK = positiveInteger(options.topK, 20, "topK");
    this.sampleSize = positiveInteger(options.sampleSize, 5000, "sampleSize");
    const limits = {
      exactValueCap: positiveInteger(options.exactValueCap, 2_000_000, "exactValueCap"),
      distinctStringCap: positiveInteger(options.distinctStringCap, 10_000, "distinctStringCap"),
    };
    const seed = options.seed ?? 0x5eed;
    const scanner = new ValueScanner();
    // One stream per column, so a column's sample does not depend on its neighbours.
    this.accumulators = columns.map((name, i) => new ColumnAccumulator(name, scanner, new Rng((seed ^ Math.imul(i + 1, 0x9e3779b1)) | 0), limits));
  }

  /** Adds one row; missing trailing cells count as missing, extra cells are an error. */
  pushRow(values: readonly RawValue[]): void {
    const columns = this.accumulators;
    const n = columns.length;
    if (values.length > n) throw new RangeError(`DatasetProfiler: row has ${values.length} values for ${n} columns`);
    if (this.finished) throw new Error("DatasetProfiler: finish() was already called");
    this.rows++;
    for (let i = 0; i < n; i++) columns[i]!.push(values[i]);
  }

  /** Completes the profile; the profiler cannot take rows afterwards. */
  finish(): DatasetProfile {
    this.finished = true;
    return { rowCount: this.rows, columns: this.accumulators.map((c) => this.profileColumn(c)) };
  }

  private profileColumn(c: ColumnAccumulator): ColumnProfile {
    const rows = this.rows;
    const base = {
      name: c.name,
      nullable: c.missing > 0,
      count: rows - c.missing,
      missing: c.missing,
      missingShare: rows === 0 ? 0 : c.missing / rows,
    };
    if (c.mode === STRING) return { ...base, ...this.stringSummary(c, base.count) };
    if (c.mode === BOOLEAN) return { ...base, ...this.booleanSummary(c) };
    const summary = this.numberSummary(c);
    if (c.mode === DATE) {
      const text = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
      return { ...base, type: "datetime", ...summary, minText: text(summary.min), maxText: text(summary.max) };
    }
    // A column without any value is reported as numeric, as pandas types an all-NaN column float64.
    return { ...base, type: c.mode === NUMBER && c.integral ? "integer" : "numeric", ...summary };
  }

  private numberSummary(c: ColumnAccumulator) {
    const infinities = (c.positiveInfinities > 0 ? 1 : 0) + (c.negativeInfinities > 0 ? 1 : 0);
    const values = c.storedValues();
    const n = values.length;
    const approx = c.overflow > 0;
    const empty = {
      distinct: infinities,
      distinctApprox: false,
      min: null,
      max: null,
      mean: null,
      std: null,
      quantiles: null,
      histogram: null,
      psiReference: null,
      sample: [],
      quantilesApprox: false,
    };
    if (n === 0) return empty;
    const exactDistinct = sortCountDistinct(values);
    const sorted = values;
    const min = approx ? c.overflowMin : sorted[0]!;
    const max = approx ? c.overflowMax : sorted[n - 1]!;
    const moments = approx ? { count: c.moments!.count, mean: c.moments!.mean, variance: c.moments!.variance } : meanVariance(sorted);
    const at = (q: number) => quantile(sorted, q);
    const quantiles: Quantiles = { p1: at(QUANTILES.p1), p5: at(QUANTILES.p5), p25: at(QUANTILES.p25), p50: at(QUANTILES.p50), p75: at(QUANTILES.p75), p95: at(QUANTILES.p95), p99: at(QUANTILES.p99) };
    const { edges, counts } = histogramSorted(sorted, this.bins, [min, max]);
    const sample = sampleIndices(n, this.sampleSize, c.rng).map((i) => sorted[i]!);
    return {
      distinct: (approx ? Math.round(c.numberSketch!.estimate()) : exactDistinct) + infinities,
      distinctApprox: approx,
      min,
      max,
      mean: moments.mean,
      std: moments.count > 1 ? Math.sqrt(moments.variance) : null,
      quantiles,
      histogram: { kind: "numeric" as const, edges, counts },
      psiReference: numericPsiReference(c),
      sample,
      quantilesApprox: approx,
    };
  }

  private booleanSummary(c: ColumnAccumulator) {
    const n = c.trues + c.falses;
    const mean = n > 0 ? c.trues / n : null;
    const top = [
      { value: "true", count: c.trues },
      { value: "false", count: c.falses },
    ]
      .filter((v) => v.count > 0)
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1))
      .slice(0, this.topK);
    const shown = top.reduce((s, v) => s + v.count, 0);
    return {
      type: "boolean" as const,
      distinct: top.length,
      distinctApprox: false,
      min: n > 0 ? (c.falses > 0 ? 0 : 1) : null,
      max: n > 0 ? (c.trues > 0 ? 1 : 0) : null,
      mean,
      // Σ(x − mean)² over 0/1 values is trues·falses/n.
      std: n > 1 ? Math.sqrt((c.trues * c.falses) / n / (n - 1)) : null,
      quantiles: null,
      histogram: { kind: "categorical" as const, top, otherCount: n - shown },
      psiReference: categoricalReference(top.map((t) => [t.value, t.count] as const), c.missing),
      sample: [],
      quantilesApprox: false,
    };
  }

  private stringSummary(c: ColumnAccumulator, count: number) {
    const strings = c.strings!;
    const distinct = strings.distinct;
    const type = stringColumnType(distinct, count, strings.overflowed);
    const top = strings.top(this.topK);
    return {
      type,
      distinct,
      distinctApprox: strings.overflowed,
      min: null,
      max: null,
      mean: null,
      std: null,
      quantiles: null,
      histogram: { kind: "categorical" as const, top, otherCount: count - top.reduce((s, v) => s + v.count, 0) },
      // Free text and identifiers have no drift reference; a categorical column has at most 1000 values.
      psiReference: type === "categorical" ? categoricalReference(strings.top(distinct).map((t) => [t.value, t.count] as const), c.missing) : null,
      sample: [],
      quantilesApprox: false,
    };
  }
}

function numericPsiReference(c: ColumnAccumulator): PsiReference {
  const { values, scale } = numericColumnValues(c, true);
  return numericReference(values, c.missing, scale);
}
