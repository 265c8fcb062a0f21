"use client";

import { Legend } from "@tremor/react";
import { useDeferredValue, useMemo } from "react";
import { EmptyState, Section } from "../../../../_components/states";
import { CHART_POINTS, type ChartOptions } from "../_components/chart-data";
import { MetricChart } from "../_components/metric-chart";
import type { CompareData } from "../_components/types";
import type { LabelledRun } from "./run-labels";

/** One chart per metric key, one line per run, all sharing the legend above them. */
export function CompareCharts({ data, runs, options: live }: { data: CompareData; runs: LabelledRun[]; options: Omit<ChartOptions, "bins"> }) {
  // Redrawing every chart follows the smoothing slider at React's pace, not the pointer's.
  const options = useDeferredValue(live);
  const charts = useMemo(() => {
    const byRun = new Map(runs.map((r) => [r.run.id, r]));
    const byKey = new Map<string, { label: string; color: string; points: CompareData["series"][number]["points"]; total: number; sampled: boolean }[]>();
    for (const s of data.series) {
      const run = byRun.get(s.runId);
      if (!run) continue;
      const list = byKey.get(s.key) ?? [];
      list.push({ label: run.label, color: run.color, points: s.points, total: s.total, sampled: s.sampled });
      byKey.set(s.key, list);
    }
    const order = new Map(runs.map((r, i) => [r.label, i]));
    return [...byKey.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, series]) => ({ key, series: series.sort((a, b) => order.get(a.label)! - order.get(b.label)!) }));
  }, [data, runs]);

  return (
    <Section title="Metrics over time" description={options.smoothing > 0 ? `Smoothed with weight ${options.smoothing.toFixed(2)} (debiased EMA).` : undefined}>
      {charts.length === 0 ? (
        <EmptyState title="No metrics logged">None of these runs logged a metric series.</EmptyState>
      ) : (
        <>
          <Legend categories={runs.map((r) => r.label)} colors={runs.map((r) => r.color)} aria-label="Runs" />
          <div className="grid gap-4 xl:grid-cols-2">
            {charts.map((c) => (
              <MetricChart key={c.key} metric={c.key} series={c.series} showLegend={false} xAxis={options.xAxis} smoothing={options.smoothing} log={options.log} bins={CHART_POINTS} />
            ))}
          </div>
        </>
      )}
    </Section>
  );
}
