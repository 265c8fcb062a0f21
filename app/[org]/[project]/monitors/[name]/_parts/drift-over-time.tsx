"use client";

import { BarChart, LineChart } from "@tremor/react";
import { formatStat } from "../../../../../_lib/format";
import { driftRows, heatClass, heatGrid, type ReportPoint } from "../../_components/chart-rows";

/** The alarm line drawn as a series of its own, since every statistic is shown relative to its threshold. */
const THRESHOLD = "threshold";
/** Windows below which a line would be a few lone dots; bars show them instead. */
const MIN_LINE_WINDOWS = 3;
const COLORS = ["blue", "amber", "emerald", "violet", "cyan", "pink", "lime", "orange", "indigo", "teal"];

/** Features × windows, each cell the statistic relative to its threshold; the verdict decides red. */
function HeatMap({ reports }: { reports: readonly ReportPoint[] }) {
  const grid = heatGrid(reports);
  return (
    <div className="overflow-x-auto" data-drift-heatmap={grid.rows.length}>
      <table className="text-xs" aria-label="Drift per feature and window">
        <tbody>
          {grid.rows.map((row) => (
            <tr key={row.feature}>
              <th scope="row" className="whitespace-nowrap pr-3 text-left font-mono font-normal text-gray-700">
                {row.feature}
              </th>
              {row.cells.map((cell, i) => (
                <td key={i} className="p-px">
                  <div
                    className={`h-5 w-5 rounded-sm ${heatClass(cell)}`}
                    title={`${grid.columns[i]}: ${cell === null ? "not tested" : `${formatStat(cell.ratio)} × threshold${cell.drifted ? ", drifted" : ""}`}`}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-2 flex flex-wrap items-center gap-3 text-xs text-gray-500">
        <span className="flex items-center gap-1">
          <span className="inline-block h-3 w-3 rounded-sm bg-emerald-200" /> under ½ threshold
        </span>
        <span className="flex items-center gap-1">
          <span className="inline-block h-3 w-3 rounded-sm bg-amber-200" /> ½–1 × threshold
        </span>
        <span className="flex items-center gap-1">
          <span className="inline-block h-3 w-3 rounded-sm bg-amber-400" /> over, effect below the floor
        </span>
        <span className="flex items-center gap-1">
          <span className="inline-block h-3 w-3 rounded-sm bg-rose-400" /> drifted
        </span>
        <span className="flex items-center gap-1">
          <span className="inline-block h-3 w-3 rounded-sm bg-gray-100" /> not tested
        </span>
        <span>oldest window left</span>
      </p>
    </div>
  );
}

/** Drift per feature over time: a heat map and a line per feature of its statistic ÷ its threshold (1 = alarm line). */
export function DriftOverTime({ reports }: { reports: readonly ReportPoint[] }) {
  const { rows, features } = driftRows(reports);
  if (rows.length === 0 || features.length === 0) {
    return (
      <p className="rounded-md bg-gray-50 px-4 py-8 text-center text-sm text-gray-500" data-drift-empty>
        No data windows computed yet. The monitor computes one per window on its schedule; &ldquo;Run now&rdquo; computes the current one.
      </p>
    );
  }
  const common = {
    className: "mt-3 h-64",
    data: rows.map((r) => ({ ...r, [THRESHOLD]: 1 })),
    index: "time",
    categories: [...features, THRESHOLD],
    colors: [...features.map((_, i) => COLORS[i % COLORS.length]!), "gray"],
    valueFormatter: (v: number) => `${formatStat(v)}×`,
    showAnimation: false,
    yAxisWidth: 48,
  };
  return (
    <div className="grid gap-6 xl:grid-cols-2">
      <figure className="min-w-0" data-drift-chart={rows.length}>
        <figcaption className="text-sm font-medium text-gray-900">
          Statistic ÷ threshold <span className="font-normal text-gray-400">(above 1 = over the threshold)</span>
        </figcaption>
        {rows.length < MIN_LINE_WINDOWS ? <BarChart {...common} /> : <LineChart {...common} connectNulls />}
      </figure>
      <figure className="min-w-0">
        <figcaption className="mb-3 text-sm font-medium text-gray-900">Per feature and window</figcaption>
        <HeatMap reports={reports} />
      </figure>
    </div>
  );
}
