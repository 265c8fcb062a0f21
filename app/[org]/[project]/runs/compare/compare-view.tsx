"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { Breadcrumbs } from "../../../../_components/breadcrumbs";
import { useOrg, useProject } from "../../../../_components/org-context";
import { PageHeader } from "../../../../_components/page-header";
import { EmptyState, ErrorState, LoadingRows } from "../../../../_components/states";
import { useTRPC } from "../../../../_lib/trpc";
import { CHART_POINTS, type ChartOptions } from "../_components/chart-data";
import { ChartControls } from "./chart-controls";
import { CompareCharts } from "./compare-charts";
import { DataSection } from "./data-section";
import { MetricsTable } from "./metrics-table";
import { ParallelCoordinates } from "./parallel-coordinates";
import { ParamsDiff } from "./params-diff";
import { labelRuns } from "./run-labels";
import { ScatterView } from "./scatter-view";

const MAX_RUNS = 50;

export function CompareView() {
  const trpc = useTRPC();
  const { org } = useOrg();
  const project = useProject();
  const search = useSearchParams();
  const runsHref = `/${org.slug}/${project.slug}/runs`;
  const requested = useMemo(() => [...new Set((search.get("ids") ?? "").split(",").map((s) => s.trim()).filter(Boolean))], [search]);
  const ids = requested.slice(0, MAX_RUNS);
  const [options, setOptions] = useState<Omit<ChartOptions, "bins">>({ xAxis: "step", smoothing: 0, log: false });

  const compare = useQuery(trpc.run.compare.queryOptions({ projectId: project.id, runIds: ids, points: CHART_POINTS }, { enabled: ids.length > 0 }));
  const runs = useMemo(() => labelRuns(compare.data?.runs ?? [], ids), [compare.data, ids]);
  const missing = ids.length - runs.length;

  const header = (
    <>
      <Breadcrumbs items={[{ label: "Runs", href: runsHref }, { label: "Compare" }]} />
      <PageHeader title={`Compare ${ids.length} ${ids.length === 1 ? "run" : "runs"}`} description="Metric curves overlaid, params side by side, and the best run per metric." />
    </>
  );

  if (ids.length === 0) {
    return (
      <div>
        {header}
        <EmptyState title="No runs to compare" action={<Link href={runsHref} className="text-sm font-medium text-blue-700 hover:underline">Pick runs on the runs page</Link>}>
          Select 2 to 50 runs in the runs table, then press Compare.
        </EmptyState>
      </div>
    );
  }

  return (
    <div className="space-y-6">
      <div>{header}</div>
      {requested.length > MAX_RUNS ? <p className="text-sm text-amber-700">Only the first {MAX_RUNS} of {requested.length} runs are compared.</p> : null}
      {compare.isPending ? (
        <LoadingRows rows={6} label="Loading comparison" />
      ) : compare.error ? (
        <ErrorState error={compare.error} onRetry={() => void compare.refetch()} title="Could not compare these runs" />
      ) : runs.length === 0 ? (
        <EmptyState title="None of these runs exist">They may have been deleted, or the link belongs to another project.</EmptyState>
      ) : (
        <>
          {missing > 0 ? <p className="text-sm text-amber-700">{missing} of the requested runs were not found and are left out.</p> : null}
          <DataSection data={compare.data} runs={runs} runsHref={runsHref} datasetsHref={`/${org.slug}/${project.slug}/datasets`} />
          <ChartControls options={options} onChange={setOptions} />
          <CompareCharts data={compare.data} runs={runs} options={options} />
          <MetricsTable data={compare.data} runs={runs} runsHref={runsHref} />
          <ParamsDiff data={compare.data} runs={runs} runsHref={runsHref} />
          <ParallelCoordinates data={compare.data} runs={runs} />
          <ScatterView data={compare.data} runs={runs} primaryMetric={project.primaryMetric?.key ?? null} />
        </>
      )}
    </div>
  );
}
