"use client";

import { Legend, LineChart } from "@tremor/react";
import { memo, useMemo } from "react";
import { formatCount } from "../../../../_lib/format";
import { chartRows, chartValueFormatter, RUN_COLORS, X_KEY, type ChartOptions, type SeriesInput } from "./chart-data";

interface Props extends ChartOptions {
  metric: string;
  series: (SeriesInput & { total: number; sampled: boolean; color?: string })[];
  showLegend?: boolean;
}

/** One metric, one line per run; the server has already cut long series to about the chart's width. */
export const MetricChart = memo(function MetricChart({ metric, series, showLegend = true, xAxis, smoothing, log, bins }: Props) {
  const rows = useMemo(() => chartRows(series, { xAxis, smoothing, log, bins }), [series, xAxis, smoothing, log, bins]);
  const categories = series.map((s) => s.label);
  const colors = series.map((s, i) => s.color ?? RUN_COLORS[i % RUN_COLORS.length]!);
  const drawable = rows.some((r) => categories.some((c) => typeof r[c] === "number"));
  const total = series.reduce((n, s) => n + s.total, 0);
  const sampled = series.some((s) => s.sampled);

  return (
    <figure data-metric={metric} className="min-w-0 rounded-lg border border-gray-200 bg-white p-4">
      <figcaption className="flex flex-wrap items-baseline justify-between gap-2">
        <span className="truncate font-mono text-sm font-medium text-gray-900" title={metric}>
          {metric}
        </span>
        <span className="text-xs text-gray-400">
          {formatCount(total)} {total === 1 ? "point" : "points"}
          {sampled ? " · downsampled" : ""}
          {log ? " · log scale" : ""}
        </span>
      </figcaption>
      {showLegend ? <Legend categories={categories} colors={colors} className="mt-2" /> : null}
      {drawable ? (
        <LineChart
          className="mt-3 h-56"
          data={rows}
          index={X_KEY}
          categories={categories}
          colors={colors}
          valueFormatter={chartValueFormatter(log)}
          yAxisWidth={64}
          connectNulls
          autoMinValue
          showLegend={false}
          showAnimation={false}
          curveType="linear"
          xAxisLabel={xAxis === "step" ? "step" : "time since the run's first point"}
          yAxisLabel={log ? "log scale" : undefined}
        />
      ) : (
        <p className="mt-3 flex h-56 items-center justify-center rounded-md bg-gray-50 text-sm text-gray-500">
          {log ? "No positive values to draw on a log scale." : "No finite values to draw."}
        </p>
      )}
    </figure>
  );
});
