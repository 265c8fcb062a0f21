/**
 * The linear models' design: numeric features centred (missing → the training mean), categoricals
 * one-hot over the categories seen in training (unseen or missing → all zeros), every column then
 * standardised as scikit-learn's StandardScaler does. Rows are kept sparse in "u-space" (intercept 1,
 * centred numbers, 0/1 indicators); z = T·u is the standardised row, and the solvers work on Gram
 * matrices Σ w·u·uᵀ mapped through T, so no dense one-hot matrix is ever built.
 */
import { categoryOf, columnSlots, type FeatureColumns, type FeatureSpec } from "./types";

/** Encoded rows: centred numeric columns and, per categorical, the u-space column of each row's category (−1 = none). */
export interface EncodedRows {
  n: number;
  numeric: Float64Array[];
  indicator: Int32Array[];
}

/** The fitted encoding, enough to encode new rows and to export the model. */
export interface DesignState {
  /** Training mean of each numeric feature (of its float32 values). */
  numericMean: number[];
  /** Categories seen in training, per categorical feature, in indicator column order. */
  categories: string[][];
}

/** The fitted one-hot, standardised design of a linear model, with the Gram algebra its solvers need. */
export class LinearDesign {
  /** Columns of u: intercept, numeric features, then each categorical's indicators. */
  readonly d: number;
  /** Mean of each u column (0 for the intercept and the already-centred numbers). */
  readonly mean: Float64Array;
  /** Population standard deviation of each u column (1 for the intercept and for constant columns). */
  readonly scale: Float64Array;
  private readonly offsets: number[];
  private readonly lookup: Map<string, number>[];

  constructor(
    readonly features: readonly FeatureSpec[],
    readonly state: DesignState,
  ) {
    const p = state.numericMean.length;
    this.offsets = [];
    let next = 1 + p;
    for (const c of state.categories) {
      this.offsets.push(next);
      next += c.length;
    }
    this.d = next;
    this.lookup = state.categories.map((c, k) => new Map(c.map((value, i) => [value, this.offsets[k]! + i])));
    this.mean = new Float64Array(this.d);
    this.scale = new Float64Array(this.d).fill(1);
  }

  /** Learns means and categories from training columns, then the standardisation of u. */
  static fit(features: readonly FeatureSpec[], columns: FeatureColumns): { design: LinearDesign; rows: EncodedRows } {
    const numericMean = columns.X.map((x) => {
      let s = 0;
      let count = 0;
      for (let i = 0; i < x.length; i++) {
        const v = Math.fround(x[i]!);
        if (!Number.isNaN(v)) {
          s += v;
          count++;
        }
      }
      return count > 0 ? s / count : 0;
    });
    const categories = columns.cat.map((c) => [...new Set(c.map(categoryOf).filter((v): v is string => v !== null))].sort());
    const design = new LinearDesign(features, { numericMean, categories });
    const rows = design.encode(columns);
    design.standardise(rows);
    return { design, rows };
  }

  /** Encodes rows with the training means and categories; numbers are rounded to float32 as in ONNX. */
  encode(columns: FeatureColumns): EncodedRows {
    const n = columns.X[0]?.length ?? columns.cat[0]?.length ?? 0;
    const numeric = columns.X.map((x, j) => {
      const mu = this.state.numericMean[j]!;
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = Math.fround(x[i]!);
        out[i] = Number.isNaN(v) ? 0 : v - mu;
      }
      return out;
    });
    const indicator = columns.cat.map((c, k) => {
      const lookup = this.lookup[k]!;
      return Int32Array.from(c, (v) => {
        const value = categoryOf(v);
        return value === null ? -1 : (lookup.get(value) ?? -1);
      });
    });
    return { n, numeric, indicator };
  }

  /** u·v for every row. */
  scores(rows: EncodedRows, v: Float64Array): Float64Array {
    const out = new Float64Array(rows.n).fill(v[0]!);
    rows.numeric.forEach((x, j) => {
      const w = v[1 + j]!;
      for (let i = 0; i < rows.n; i++) out[i]! += w * x[i]!;
    });
    for (const ind of rows.indicator) for (let i = 0; i < rows.n; i++) if (ind[i]! >= 0) out[i]! += v[ind[i]!]!;
    return out;
  }

  /** Σ wᵢ·uᵢ·uᵢᵀ (w = 1 when omitted), symmetric d × d. */
  gram(rows: EncodedRows, w?: Float64Array): Float64Array {
    const d = this.d;
    const m = new Float64Array(d * d);
    const active = new Int32Array(d);
    const value = new Float64Array(d);
    const p = rows.numeric.length;
    for (let i = 0; i < rows.n; i++) {
      const wi = w ? w[i]! : 1;
      let count = 0;
      active[count] = 0;
      value[count++] = 1;
      for (let j = 0; j < p; j++) {
        active[count] = 1 + j;
        value[count++] = rows.numeric[j]![i]!;
      }
      for (const ind of rows.indicator) {
        if (ind[i]! >= 0) {
          active[count] = ind[i]!;
          value[count++] = 1;
        }
      }
      for (let a = 0; a < count; a++) {
        const row = active[a]! * d;
        const wa = wi * value[a]!;
        for (let b = a; b < count; b++) m[row + active[b]!]! += wa * value[b]!;
      }
    }
    for (let a = 0; a < d; a++) for (let b = a + 1; b < d; b++) m[b * d + a] = m[a * d + b]!;
    return m;
  }

  /** Σ rᵢ·uᵢ. */
  cross(rows: EncodedRows, r: ArrayLike<number>): Float64Array {
    const out = new Float64Array(this.d);
    for (let i = 0; i < rows.n; i++) out[0]! += r[i]!;
    rows.numeric.forEach((x, j) => {
      let s = 0;
      for (let i = 0; i < rows.n; i++) s += r[i]! * x[i]!;
      out[1 + j] = s;
    });
    for (const ind of rows.indicator) for (let i = 0; i < rows.n; i++) if (ind[i]! >= 0) out[ind[i]!]! += r[i]!;
    return out;
  }

  /** T·M·Tᵀ: a u-space Gram matrix in standardised coordinates. */
  gramToStandard(m: Float64Array): Float64Array {
    const d = this.d;
    const mu = this.mean;
    const out = new Float64Array(d * d);
    const m00 = m[0]!;
    for (let j = 0; j < d; j++) {
      for (let k = 0; k < d; k++) {
        const centred = m[j * d + k]! - mu[j]! * m[k]! - m[j * d]! * mu[k]! + mu[j]! * mu[k]! * m00;
        out[j * d + k] = centred / (this.scale[j]! * this.scale[k]!);
      }
    }
    return out;
  }

  /** T·g: a u-space vector (Σ rᵢ·uᵢ) in standardised coordinates. */
  vectorToStandard(g: Float64Array): Float64Array {
    return g.map((x, j) => (x - this.mean[j]! * g[0]!) / this.scale[j]!);
  }

  /** Tᵀ·β: standardised coefficients as u-space weights, so that score = u·v. */
  weightsFromStandard(beta: Float64Array): Float64Array {
    const v = beta.map((b, j) => b / this.scale[j]!);
    for (let j = 1; j < this.d; j++) v[0]! -= v[j]! * this.mean[j]!;
    return v;
  }

  /** Feature index → its slot in X or cat, and the u-space offset of each categorical's indicators. */
  layout(): { slots: number[]; offsets: readonly number[] } {
    return { slots: columnSlots(this.features), offsets: this.offsets };
  }

  private standardise(rows: EncodedRows): void {
    const n = rows.n;
    rows.numeric.forEach((x, j) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += x[i]! * x[i]!;
      const sd = Math.sqrt(s / n);
      this.scale[1 + j] = sd > 0 ? sd : 1;
    });
    const counts = new Float64Array(this.d);
    for (const ind of rows.indicator) for (let i = 0; i < n; i++) if (ind[i]! >= 0) counts[ind[i]!]!++;
    const p = rows.numeric.length;
    for (let j = 1 + p; j < this.d; j++) {
      const share = counts[j]! / n;
      this.mean[j] = share;
      const sd = Math.sqrt(share * (1 - share));
      this.scale[j] = sd > 0 ? sd : 1;
    }
  }
}
