"use client";

import { useQuery } from "@tanstack/react-query";
import { BarChart, LineChart } from "@tremor/react";
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
        <PerformanceCharts reports={reports.data} minLabels={minLabels} />
      )}
    </Section>
  );
}

function PerformanceCharts({ reports, minLabels }: { reports: RouterOutputs["monitor"]["reports"]; minLabels: number }) {
  const perf = performanceRows(reports);
  const waiting = reports.filter((r) => r.verdict === "insufficient").length;
  if (perf.rows.length === 0) {
    return (
      <p className="rounded-md bg-gray-50 px-4 py-8 text-center text-sm text-gray-500" data-performance-empty>
        No performance window yet. Send ground truth to the deployment&apos;s feedback endpoint with the request id of each prediction; a window is judged once enough labels arrived.
      </p>
    );
  }
  return (
    <div className="space-y-2">
      <div className="grid gap-6 xl:grid-cols-2">
        <figure className="min-w-0" data-performance-chart={perf.rows.length}>
          <figcaption className="text-sm font-medium text-gray-900">Metrics from labels</figcaption>
          {perf.series.length === 0 ? (
            <p className="mt-3 rounded-md bg-gray-50 px-4 py-8 text-center text-sm text-gray-500">No metric could be computed yet.</p>
          ) : (
            (() => {
              const common = { className: "mt-3 h-56", data: perf.rows, index: "time", categories: perf.series, colors: perf.series.map((_, i) => COLORS[i % COLORS.length]!), valueFormatter: (v: number) => formatStat(v), showAnimation: false, yAxisWidth: 56 };
              // A line through one or two windows is a few lone dots; bars show them.
              return perf.rows.length < 3 ? <BarChart {...common} /> : <LineChart {...common} />;
            })()
          )}
        </figure>
        <figure className="min-w-0" data-label-coverage>
          <figcaption className="text-sm font-medium text-gray-900">
            Label coverage <span className="font-normal text-gray-400">(labels arrived per window; {minLabels} needed)</span>
          </figcaption>
          <BarChart className="mt-3 h-56" data={perf.labels.map((r) => ({ ...r, needed: minLabels }))} index="time" categories={["labels", "needed"]} colors={["blue", "gray"]} valueFormatter={(v: number) => formatStat(v)} showAnimation={false} yAxisWidth={48} />
        </figure>
      </div>
      {waiting > 0 ? <p className="text-xs text-gray-500">{waiting} window{waiting === 1 ? "" : "s"} still waiting for labels (gaps in the metrics).</p> : null}
    </div>
  );
}
