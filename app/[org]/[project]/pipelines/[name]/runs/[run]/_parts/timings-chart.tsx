"use client";

import { BarChart } from "@tremor/react";
import type { StepRunDto } from "@/server/pipelines/schemas";
import { elapsed, formatDuration } from "../../../../_components/words";

/** Seconds each step took (a running one so far); steps that never started have no bar. */
export function TimingsChart({ steps, now }: { steps: StepRunDto[]; now: number }) {
  const rows = steps.flatMap((s) => {
    const ms = elapsed(s.startedAt, s.finishedAt, now);
    return ms === null ? [] : [{ step: s.stepId, seconds: Math.round(ms / 100) / 10 }];
  });
  if (rows.length === 0) return <p className="text-sm text-gray-500">No step has started yet.</p>;
  return (
    <BarChart
      className="h-48"
      data={rows}
      index="step"
      categories={["seconds"]}
      colors={["blue"]}
      layout="vertical"
      valueFormatter={(v: number) => formatDuration(v * 1000)}
      yAxisWidth={96}
      showLegend={false}
      showAnimation={false}
      data-timings
    />
  );
}
