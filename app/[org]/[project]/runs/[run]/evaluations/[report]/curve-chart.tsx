"use client";

import { LineChart, type Color, type CustomTooltipProps } from "@tremor/react";
import { formatStat } from "../../../../../../_lib/format";
import type { CurveRow } from "./report-data";

const TICKS = [0, 0.2, 0.4, 0.6, 0.8, 1];
const Y_AXIS_WIDTH = 48;
// Where Tremor's LineChart puts its plot when it has a y-axis label: chart margin 20 px left and
// 5 px right (recharts), plus Tremor's 20 px axis padding on each side.
const PLOT_LEFT = 20 + Y_AXIS_WIDTH + 20;
const PLOT_RIGHT = 5 + 20;

/** Most grid rows would have no axis label, so the tooltip names the exact x itself. */
function curveTooltip(xName: string) {
  return function CurveTooltip({ active, payload }: CustomTooltipProps) {
    if (!active || !payload?.length) return null;
    const row = payload[0]!.payload as CurveRow;
    return (
      <div className="rounded-md border border-gray-200 bg-white px-3 py-2 text-xs shadow-tremor-dropdown">
        <p className="font-medium text-gray-900">
          {xName} {formatStat(row.at)}
        </p>
        {payload.map((p) => (
          <p key={String(p.name)} className="text-gray-600">
            {p.name}: {typeof p.value === "number" ? formatStat(p.value) : "—"}
          </p>
        ))}
      </div>
    );
  };
}

const TOOLTIPS = { "false positive rate": curveTooltip("false positive rate"), recall: curveTooltip("recall") } as const;

interface Props {
  data: CurveRow[];
  categories: string[];
  colors: Color[];
  xLabel: keyof typeof TOOLTIPS;
  yLabel: string;
}

/**
 * A curve over x in [0, 1] (ROC, precision–recall). The rows sit on an even grid, which Tremor
 * labels by picking every n-th row (0.22, 0.44, …); the chart's own x axis is hidden and round
 * ticks are drawn under the plot instead.
 */
export function CurveChart({ data, categories, colors, xLabel, yLabel }: Props) {
  return (
    <div className="mt-3">
      <LineChart
        className="h-56"
        data={data}
        index="x"
        categories={categories}
        colors={colors}
        valueFormatter={formatStat}
        minValue={0}
        maxValue={1}
        showAnimation={false}
        curveType="linear"
        yAxisWidth={Y_AXIS_WIDTH}
        yAxisLabel={yLabel}
        showXAxis={false}
        customTooltip={TOOLTIPS[xLabel]}
      />
      <div className="text-xs" style={{ paddingLeft: PLOT_LEFT, paddingRight: PLOT_RIGHT }} aria-hidden>
        <div className="relative h-4 text-gray-500">
          {TICKS.map((t) => (
            <span key={t} className="absolute -translate-x-1/2" style={{ left: `${t * 100}%` }}>
              {t}
            </span>
          ))}
        </div>
        <p className="mt-1 text-center font-medium text-gray-700">{xLabel}</p>
      </div>
    </div>
  );
}
