import type { HistogramBin, MetricResult, RobustnessRow, StoredEvaluationReport } from "@/server/evaluation/schemas";
import { formatStat } from "../../../../../../_lib/format";

/** A DONE report as the router sends it, already checked against its stored schema on the server. */
export type StoredReport = StoredEvaluationReport;

export const METRIC_LABELS: Record<string, string> = {
  rmse: "RMSE",
  mae: "MAE",
  mape: "MAPE",
  r2: "R²",
  accuracy: "Accuracy",
  precision: "Precision",
  recall: "Recall",
  f1: "F1",
  rocAuc: "ROC AUC",
  prAuc: "PR AUC",
  logLoss: "Log loss",
};

/** The metric a chart of slices or robustness levels shows for each task. */
export const MAIN_METRIC = { regression: "rmse", binary: "rocAuc" } as const;

export const metricLabel = (key: string) => METRIC_LABELS[key] ?? key;

export const formatMetric = (m: MetricResult | null | undefined) => (m && m.value !== null ? formatStat(m.value) : "—");

/** Rows for a bar chart of a histogram, each bin named by its range. */
export function histogramRows(bins: HistogramBin[], key = "rows"): Record<string, string | number>[] {
  return bins.map((b) => ({ bin: `${formatStat(b.lower)} to ${formatStat(b.upper)}`, [key]: b.count }));
}

/** A row of a curve chart: `x` names the row, `at` is its exact position in [0, 1]. */
export type CurveRow = Record<string, string | number | null> & { x: string; at: number };

/**
 * A curve of (x, y) points on an even x grid from 0 to 1, linearly interpolated: Tremor's LineChart
 * spaces rows evenly whatever their x, so uneven points would bend the curve. The reference line
 * (y = x for ROC, the positive rate for PR) is drawn beside it.
 */
export function curveRows(points: { x: number; y: number }[], series: string, reference: { name: string; y: (x: number) => number }, steps = 50): CurveRow[] {
  const sorted = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  const rows: CurveRow[] = [];
  for (let i = 0; i <= steps; i++) {
    const x = i / steps;
    rows.push({ x: x.toFixed(3), at: x, [series]: interpolate(sorted, x), [reference.name]: reference.y(x) });
  }
  return rows;
}

function interpolate(sorted: { x: number; y: number }[], x: number): number | null {
  if (sorted.length === 0) return null;
  const first = sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  if (x < first.x - 1e-12 || x > last.x + 1e-12) return null;
  // The last point at or below x and the first above it; vertical runs (equal x) take the higher y.
  let lo = 0;
  while (lo + 1 < sorted.length && sorted[lo + 1]!.x <= x) lo++;
  const a = sorted[lo]!;
  const b = sorted[lo + 1];
  if (!b || b.x === a.x) return round(a.y);
  return round(a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x));
}

const round = (v: number) => Math.round(v * 1e4) / 1e4;

export interface RobustnessSeries {
  perturbation: RobustnessRow["perturbation"];
  /** One chart row per level (0 is the unperturbed baseline), one column per feature or "all features". */
  rows: Record<string, string | number | null>[];
  /** Drawn lines, largest effect first. */
  lines: string[];
  /** Lines with an effect, left out of the chart for legibility (in the table). */
  hidden: string[];
  /** Lines whose perturbation never changed the metric. */
  flat: string[];
}

export const PERTURBATION_LABELS: Record<string, { title: string; level: string }> = {
  gaussian_noise: { title: "Gaussian noise", level: "noise scale (σ = k × the feature's std)" },
  missing: { title: "Missing values", level: "share of rows set to missing" },
};

/** Robustness rows regrouped per perturbation, as metric-vs-level lines starting from the baseline. */
export function robustnessSeries(rows: RobustnessRow[]): RobustnessSeries[] {
  const out: RobustnessSeries[] = [];
  for (const perturbation of [...new Set(rows.map((r) => r.perturbation))]) {
    const mine = rows.filter((r) => r.perturbation === perturbation);
    const lineOf = (r: RobustnessRow) => r.feature ?? "all features";
    const lines = [...new Set(mine.map(lineOf))];
    const levels = [...new Set(mine.map((r) => r.level))].sort((a, b) => a - b);
    const baseline = mine[0]?.baseline ?? null;
    const chart: Record<string, string | number | null>[] = [{ level: "0", ...Object.fromEntries(lines.map((l) => [l, baseline])) }];
    for (const level of levels) {
      const row: Record<string, string | number | null> = { level: String(level) };
      for (const r of mine) if (r.level === level) row[lineOf(r)] = r.value;
      chart.push(row);
    }
    // Lines that never move lie on top of each other at the baseline: they are named, not drawn, and
    // the rest are drawn biggest effect first (a few at most; the table below has every probe).
    const effect = (line: string) => Math.max(0, ...mine.filter((r) => lineOf(r) === line).map((r) => Math.abs(r.delta ?? 0)));
    const moving = lines.filter((l) => effect(l) > 1e-12).sort((a, b) => effect(b) - effect(a));
    const flat = lines.filter((l) => effect(l) <= 1e-12);
    out.push({ perturbation, rows: chart, lines: moving.slice(0, MAX_LINES), hidden: moving.slice(MAX_LINES), flat });
  }
  return out;
}

/** Lines per robustness chart: beyond this they are too many to tell apart. */
const MAX_LINES = 6;
