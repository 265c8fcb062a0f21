/**
 * Drift of one column between a base (reference) and a target version, on the full data of both:
 * PSI on the base's bins (psi.ts) for every numeric, datetime, boolean and categorical column, KS
 * exactly as scipy.stats.ks_2samp for numeric ones, pooled chi-square for categorical ones, new and
 * vanished categories, and chart-ready shares on the same bins the PSI used.
 */
import { pooledChiSquare, skipReason, type SkipReason } from "./categorical-drift";
import type { ColumnData } from "./column-data";
import { ks2samp } from "./drift";
import { categoricalReference, numericReference, psi, PSI_DRIFT_LIMIT, type PsiCurrent, type PsiReference } from "./psi";

/** Categories listed by name in the comparison (the rest are counted). */
const LISTED_CATEGORIES = 10;
/** Bars of a categorical chart before the smallest reference categories are summed. */
const CHART_CATEGORIES = 20;

export interface CategoryCount {
  value: string;
  count: number;
}

export interface ColumnDrift {
  skipped: SkipReason | null;
  psi: number | null;
  ks: { statistic: number; pValue: number; method: "exact" | "asymp"; n1: number; n2: number; sampled: boolean } | null;
  chiSquare: { statistic: number; pValue: number; dof: number; n1: number; n2: number; pooled: number } | null;
  /** Why the chi-square test was not run on a categorical column (expected counts too small …). */
  chiSquareNote: string | null;
  /** Target categories absent from the base: the largest ones, their total count and share of target rows. */
  newCategories: { top: CategoryCount[]; count: number; rows: number; share: number } | null;
  /** Base categories absent from the target. */
  vanishedCategories: { top: CategoryCount[]; count: number; rows: number; share: number } | null;
  drifted: boolean;
  chart: { label: string; base: number; target: number }[];
}

const EMPTY: ColumnDrift = { skipped: null, psi: null, ks: null, chiSquare: null, chiSquareNote: null, newCategories: null, vanishedCategories: null, drifted: false, chart: [] };

/** How bin edges read in charts (dataset comparison and monitor histograms): three significant digits, dates as days. */
export function formatter(type: string): (x: number) => string {
  if (type === "datetime") return (v) => (Number.isFinite(v) ? new Date(v).toISOString().slice(0, 10) : String(v));
  return (v) => (Number.isInteger(v) || !Number.isFinite(v) ? String(v) : Math.abs(v) >= 1000 ? v.toFixed(0) : Number(v.toPrecision(3)).toString());
}

/** The PSI reference of a column's full data (the same bins its profile stores). */
export function psiReferenceOf(base: ColumnData): PsiReference {
  if (base.kind === "numeric") return numericReference(base.values, base.missing, base.scale);
  return categoricalReference(base.counts, base.missing, base.approx);
}

/** A column's full data as the current side of a PSI. */
export function psiCurrent(target: ColumnData): PsiCurrent {
  return target.kind === "numeric" ? { kind: "numeric", values: target.values, missing: target.missing } : { kind: "categorical", counts: target.counts, missing: target.missing };
}

function difference(from: ReadonlyMap<string, number>, minus: ReadonlyMap<string, number>, rows: number) {
  const only = [...from].filter(([k]) => !minus.has(k)).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  if (only.length === 0) return null;
  const total = only.reduce((s, [, c]) => s + c, 0);
  return { top: only.slice(0, LISTED_CATEGORIES).map(([value, count]) => ({ value, count })), count: only.length, rows: total, share: rows > 0 ? total / rows : 0 };
}

// Shares of all rows per bin; empty bins on both sides (and the missing/unseen buckets when empty)
// are left out, and long category lists keep their largest reference categories.
function chart(labels: string[], ref: number[], cur: number[]) {
  const tr = ref.reduce((s, x) => s + x, 0) || 1;
  const tc = cur.reduce((s, x) => s + x, 0) || 1;
  const bars = labels.map((label, i) => ({ label, base: ref[i]! / tr, target: cur[i]! / tc })).filter((b, i) => i !== 0 || b.base > 0 || b.target > 0);
  const special = (l: string) => l === "(missing)" || l === "(unseen)";
  const values = bars.filter((b) => !special(b.label));
  if (values.length <= CHART_CATEGORIES + 1) return bars.filter((b) => !(b.label === "(unseen)" && b.target === 0));
  const kept = values.slice(0, CHART_CATEGORIES);
  const rest = values.slice(CHART_CATEGORIES).reduce((s, b) => ({ label: "(other)", base: s.base + b.base, target: s.target + b.target }), { label: "(other)", base: 0, target: 0 });
  return [...bars.filter((b) => b.label === "(missing)"), ...kept, rest, ...bars.filter((b) => b.label === "(unseen)" && b.target > 0)];
}

/** Drift of a column present in both versions; columns of different kinds (number vs text) get none. */
export function columnDrift(name: string, base: ColumnData, target: ColumnData): ColumnDrift {
  const skip = (c: ColumnData) =>
    skipReason(name, c.kind === "numeric" ? { kind: "numeric", type: c.type } : { kind: "categorical", type: c.type, distinct: c.distinct, nonMissing: [...c.counts.values()].reduce((s, x) => s + x, 0) });
  const skipped = skip(base) ?? skip(target);
  if (skipped) return { ...EMPTY, skipped };
  if (base.kind !== target.kind) return EMPTY;
  const out: ColumnDrift = { ...EMPTY };
  const ref = psiReferenceOf(base);
  const baseRows = base.kind === "numeric" ? base.values.length * base.scale + base.missing : base.missing + [...base.counts.values()].reduce((s, x) => s + x, 0);
  if (baseRows === 0) return out;
  const cur = psiCurrent(target);
  const targetRows = target.kind === "numeric" ? target.values.length + target.missing : target.missing + [...target.counts.values()].reduce((s, x) => s + x, 0);
  if (targetRows > 0) {
    const binned = psi(ref, cur, formatter(base.type));
    out.psi = binned.psi;
    out.drifted = binned.psi > PSI_DRIFT_LIMIT;
    out.chart = chart(binned.labels, binned.reference, binned.current);
  }
  if (base.kind === "numeric" && target.kind === "numeric") {
    if (base.values.length > 0 && target.values.length > 0) {
      const r = ks2samp(base.values, target.values);
      out.ks = { ...r, sampled: base.sampled || target.sampled };
    }
  } else if (base.kind === "categorical" && target.kind === "categorical") {
    const chi = pooledChiSquare(base.counts, target.counts, base.missing, target.missing);
    if (chi.valid) out.chiSquare = { statistic: chi.statistic, pValue: chi.pValue, dof: chi.dof, n1: chi.n1, n2: chi.n2, pooled: chi.pooled.length };
    else out.chiSquareNote = chi.reason;
    out.newCategories = difference(target.counts, base.counts, targetRows);
    out.vanishedCategories = difference(base.counts, target.counts, baseRows);
  }
  return out;
}
