import { smoothSeries } from "../../../../_lib/smooth";
import { formatDuration, formatMetric } from "./format";

export interface SeriesInput {
  label: string;
  points: { step: number; value: number; ts: number }[];
}

export interface ChartOptions {
  xAxis: "step" | "time";
  smoothing: number;
  log: boolean;
  /** Rows of the chart; about its width in pixels. */
  bins: number;
}

export type ChartRow = Record<string, string | number | null>;

export const X_KEY = "x";

/**
 * Rows for Tremor's LineChart, whose x axis places rows side by side whatever their x: every series
 * is put on one evenly spaced grid over the common x range, so distances along the axis stay true
 * when runs log at different steps. Integer steps that fit the grid keep one row per step. Values
 * that cannot be drawn (NaN, infinities, and non-positive ones on a log axis) leave gaps.
 */
export function chartRows(series: SeriesInput[], opts: ChartOptions): ChartRow[] {
  const prepared = series.map((s) => {
    const t0 = s.points[0]?.ts ?? 0;
    const xs = s.points.map((p) => (opts.xAxis === "step" ? p.step : (p.ts - t0) / 1000));
    const ys = smoothSeries(
      s.points.map((p) => p.value),
      opts.smoothing,
    ).map((v) => (!Number.isFinite(v) ? null : opts.log ? (v > 0 ? Math.log10(v) : null) : v));
    return { label: s.label, xs, ys };
  });
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of prepared) {
    for (const x of s.xs) {
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
  }
  if (lo > hi) return [];
  const exact = opts.xAxis === "step" && hi - lo + 1 <= opts.bins;
  // A round row width keeps axis labels round; all points at one x (one batch, on the time axis) make one row.
  const width = exact || hi === lo ? 1 : niceStep((hi - lo) / opts.bins);
  const start = exact || hi === lo ? lo : Math.floor(lo / width) * width;
  const rowCount = Math.floor((hi - start) / width + 1e-9) + 1;
  const rows: ChartRow[] = Array.from({ length: rowCount }, (_, i) => ({ [X_KEY]: xLabel(start + i * width, opts.xAxis) }));
  for (const s of prepared) {
    s.xs.forEach((x, i) => {
      const row = rows[Math.min(rows.length - 1, Math.round((x - start) / width))]!;
      const y = s.ys[i] ?? null;
      // The grid can put two points in one row; a drawable value wins over a gap.
      if (y !== null || !(s.label in row)) row[s.label] = y;
    });
  }
  return rows;
}

/** The smallest of 1, 2, 2.5 and 5 times a power of ten that is at least `raw`. */
export function niceStep(raw: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw * (1 - 1e-12))!;
}

function xLabel(x: number, axis: ChartOptions["xAxis"]): string {
  if (axis === "step") return String(Math.round(x));
  return x < 60 ? `${Number(x.toPrecision(6))}s` : formatDuration(x * 1000);
}

/** Axis and tooltip numbers; on a log axis the drawn value is log10 of the real one. */
export const chartValueFormatter = (log: boolean) => (v: number) => (log ? formatMetric(Number((10 ** v).toPrecision(3))) : formatMetric(v));

/** Tremor colour names, distinct enough side by side; runs beyond the list reuse them in order. */
export const RUN_COLORS = ["blue", "emerald", "violet", "amber", "rose", "cyan", "indigo", "lime", "fuchsia", "orange", "teal", "pink", "sky", "yellow", "slate"] as const;

/** Points per series asked of the server: about the width of a chart in pixels. */
export const CHART_POINTS = 800;
