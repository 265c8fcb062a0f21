"use client";

import { ScatterChart, Select, SelectItem } from "@tremor/react";
import { useState } from "react";
import { Section } from "../../../../_components/states";
import { niceStep } from "../_components/chart-data";
import { formatMetric } from "../_components/format";
import type { CompareData } from "../_components/types";
import type { LabelledRun } from "./run-labels";
import { rankingMetricOf } from "@/server/runs/schemas";

/** A numeric param against a metric's last value, one dot per run: does the knob move the needle? */
export function ScatterView({ data, runs, primaryMetric }: { data: CompareData; runs: LabelledRun[]; primaryMetric: string | null }) {
  // A param every run shares draws a vertical line: only params that differ between the runs are offered.
  const numericParams = data.params.filter((p) => p.differs && runs.some(({ run }) => typeof p.values[run.id] === "number")).map((p) => p.key);
  const metrics = data.best.map((b) => b.key);
  const [param, setParam] = useState<string>("");
  const [metric, setMetric] = useState<string>("");
  const x = numericParams.includes(param) ? param : numericParams[0];
  const ranking = rankingMetricOf(metrics, primaryMetric);
  const y = metrics.includes(metric) ? metric : ranking && metrics.includes(ranking) ? ranking : metrics[0];

  const xValues = data.params.find((p) => p.key === x)?.values ?? {};
  const points = runs.flatMap(({ run, label, color }) => {
    const px = xValues[run.id];
    const py = y ? run.metrics.find((m) => m.key === y)?.last : undefined;
    return x && y && typeof px === "number" && typeof py === "number" && Number.isFinite(py) ? [{ run: label, [x]: px, [y]: py, color }] : [];
  });

  if (!x || !y) {
    return (
      <Section title="Param vs metric">
        <p className="text-sm text-gray-500">{metrics.length === 0 ? "These runs logged no metrics." : "No numeric param differs between these runs, so there is nothing to plot a metric against."}</p>
      </Section>
    );
  }
  return (
    <Section
      title="Param vs metric"
      description="One dot per run: the param's value against the metric's last value."
      actions={
        <div className="flex flex-wrap gap-2">
          <Select value={x} onValueChange={setParam} enableClear={false} aria-label="Scatter param" className="w-48">
            {numericParams.map((k) => (
              <SelectItem key={k} value={k}>
                {`params.${k}`}
              </SelectItem>
            ))}
          </Select>
          <Select value={y} onValueChange={setMetric} enableClear={false} aria-label="Scatter metric" className="w-48">
            {metrics.map((k) => (
              <SelectItem key={k} value={k}>
                {`metrics.${k}`}
              </SelectItem>
            ))}
          </Select>
        </div>
      }
    >
      {points.length === 0 ? (
        <p className="text-sm text-gray-500">No run has both a numeric {x} and a finite {y}.</p>
      ) : (
        <ScatterChart
          className="mb-3 h-72"
          data={points}
          x={x}
          y={y}
          category="run"
          colors={points.map((p) => p.color)}
          valueFormatter={{ x: formatMetric, y: formatMetric }}
          xAxisLabel={`params.${x}`}
          yAxisLabel={`metrics.${y}`}
          yAxisWidth={64}
          {...domains(points.map((p) => p[x] as number), points.map((p) => p[y] as number))}
          showAnimation={false}
          enableLegendSlider
          data-scatter
        />
      )}
    </Section>
  );
}

/**
 * Axis ranges with a margin, snapped to round numbers: Recharts clips dots that sit on the edge of
 * the plot, and the data's own extremes would put the best and worst runs exactly there.
 */
function niceRange(values: number[]): [number, number] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const span = hi - lo || Math.abs(hi) || 1;
  const step = niceStep(span / 5);
  const min = Math.floor((lo - span * 0.05) / step) * step;
  const max = Math.ceil((hi + span * 0.05) / step) * step;
  // A positive axis does not dip below zero just for the margin.
  return [lo > 0 && min < 0 ? 0 : Number(min.toPrecision(12)), Number(max.toPrecision(12))];
}

function domains(xs: number[], ys: number[]) {
  const [minXValue, maxXValue] = niceRange(xs);
  const [minYValue, maxYValue] = niceRange(ys);
  return { minXValue, maxXValue, minYValue, maxYValue };
}
