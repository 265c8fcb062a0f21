"use client";

import { useQuery } from "@tanstack/react-query";
import { LineChart } from "@tremor/react";
import { useProject } from "../../../../../_components/org-context";
import { ErrorState, LoadingRows, Section } from "../../../../../_components/states";
import { formatStat } from "../../../../../_lib/format";
import { useTRPC, type RouterOutputs } from "../../../../../_lib/trpc";
import { performanceRows } from "../../_components/chart-rows";

const COLORS = ["blue", "amber", "emerald", "violet", "cyan", "pink"];

/** Concept drift: model metrics from feedback labels per window, judged only once enough labels arrived. */
export function PerformancePanel({ monitorName, minLabels, labelDelaySeconds, poll }: { monitorName: string; minLabels: number; labelDelaySeconds: number; poll: number | false }) {
  const trpc = useTRPC();
  const project = useProject();
  const reports = useQuery(trpc.monitor.reports.queryOptions({ projectId: project.id, name: monitorName, kind: "concept", limit: 100 }, { refetchInterval: poll }));
  const description = `Metrics from feedback labels per window; a window is judged once ${minLabels} labels arrived and ${Math.round(labelDelaySeconds / 60)} minutes passed after it ended.`;
  return (
    <Section title="Performance over time" description={description}>
      {reports.isPending ? (
        <LoadingRows rows={2} label="Loading performance" />
      ) : reports.error ? (
        <ErrorState error={reports.error} onRetry={() => void reports.refetch()} title="Could not load performance" />
      ) : (
        <PerformanceCharts reports={reports.data} />
      )}
    </Section>
  );
}

function PerformanceCharts({ reports }: { reports: RouterOutputs["monitor"]["reports"] }) {
  const perf = performanceRows(reports);
  const waiting = reports.filter((r) => r.verdict === "insufficient").length;
  if (perf.rows.length === 0 || (perf.metrics.length === 0 && perf.coverageKeys.length === 0)) {
    return (
      <p className="rounded-md bg-gray-50 px-4 py-8 text-center text-sm text-gray-500" data-performance-empty>
        No judged window yet. Send ground truth to <code className="font-mono text-xs">POST /api/v1/feedback</code> with the request id of each prediction; windows are judged once enough labels arrived.
      </p>
    );
  }
  return (
    <div className="space-y-2">
      <div className="grid gap-6 xl:grid-cols-2">
        <figure className="min-w-0" data-performance-chart={perf.rows.length}>
          <figcaption className="text-sm font-medium text-gray-900">Metrics</figcaption>
          <LineChart className="mt-3 h-56" data={perf.rows} index="time" categories={perf.metrics} colors={perf.metrics.map((_, i) => COLORS[i % COLORS.length]!)} valueFormatter={(v: number) => formatStat(v)} connectNulls={false} showAnimation={false} yAxisWidth={56} />
        </figure>
        <figure className="min-w-0">
          <figcaption className="text-sm font-medium text-gray-900">
            Label coverage <span className="font-normal text-gray-400">(% of predictions with a label)</span>
          </figcaption>
          <LineChart className="mt-3 h-56" data={perf.coverage} index="time" categories={perf.coverageKeys} colors={["gray", "slate"]} valueFormatter={(v: number) => `${formatStat(v)}%`} minValue={0} maxValue={100} showAnimation={false} yAxisWidth={48} />
        </figure>
      </div>
      {waiting > 0 ? <p className="text-xs text-gray-500">{waiting} window{waiting === 1 ? "" : "s"} still waiting for labels (left as gaps).</p> : null}
    </div>
  );
}
