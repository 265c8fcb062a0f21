"use client";

import { BarChart, LineChart } from "@tremor/react";
import type { HealthSeriesDto } from "@/server/deployments/schemas";
import { formatStat } from "../../../../../_lib/format";
import { healthRows, type ChartRow } from "./health-rows";

const VERSION_COLORS = ["blue", "amber", "gray"] as const;
const LATENCY_COLORS = ["blue", "sky", "amber", "orange", "gray", "slate"] as const;

/** Buckets with a value below which a line would be a few invisible dots; bars show them instead. */
const MIN_LINE_BUCKETS = 3;

function Chart({ title, unit, rows, names, colors, note }: { title: string; unit: string; rows: ChartRow[]; names: string[]; colors: readonly string[]; note?: string }) {
  const filled = rows.filter((r) => names.some((n) => typeof r[n] === "number")).length;
  const common = { className: "mt-3 h-48", index: "time", categories: names, colors: [...colors], valueFormatter: (v: number) => formatStat(v), yAxisWidth: 56, showAnimation: false };
  return (
    <figure className="min-w-0 rounded-lg border border-gray-200 bg-white p-4" data-health-chart={title}>
      <figcaption className="text-sm font-medium text-gray-900">
        {title} <span className="font-normal text-gray-400">({unit})</span>
        {note ? <span className="block text-xs font-normal text-emerald-700">{note}</span> : null}
      </figcaption>
      {filled < MIN_LINE_BUCKETS ? (
        <BarChart {...common} data={rows.filter((r) => names.some((n) => typeof r[n] === "number"))} />
      ) : (
        <LineChart {...common} data={rows} connectNulls curveType="linear" />
      )}
    </figure>
  );
}

/** Request rate, error rate and latency per version over the window, from the serving processes' health samples. */
export function HealthCharts({ series, minutes }: { series: HealthSeriesDto; minutes: number }) {
  const rows = healthRows(series);
  if (rows.total === 0) {
    return (
      <p className="rounded-md bg-gray-50 px-4 py-8 text-center text-sm text-gray-500" data-health-empty>
        No requests recorded for this deployment in the last {minutes >= 60 ? `${minutes / 60} h` : `${minutes} minutes`}. The serving processes write request counts, errors and latency per version every few
        seconds; send a request with the curl example below and the charts fill in.
      </p>
    );
  }
  return (
    <div className="grid gap-4 lg:grid-cols-3" data-health-charts data-health-total={rows.total}>
      <Chart title="Requests" unit="per second" rows={rows.rate} names={rows.names} colors={VERSION_COLORS} />
      <Chart title="Latency p50 / p95" unit="ms" rows={rows.latency} names={rows.latencyNames} colors={LATENCY_COLORS} />
      <Chart
        title="Errors"
        unit="% of requests"
        rows={rows.errors}
        names={rows.names}
        colors={VERSION_COLORS}
        note={series.points.every((p) => p.errors === 0) ? "No errors in this window" : undefined}
      />
    </div>
  );
}
