"use client";

import { useQuery } from "@tanstack/react-query";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import { useEffect, useMemo, useRef } from "react";
import { useProject } from "../../../../_components/org-context";
import { EmptyState, ErrorState, LoadingRows, Section } from "../../../../_components/states";
import { useTRPC } from "../../../../_lib/trpc";
import { CHART_POINTS } from "../_components/chart-data";
import { formatCount } from "../../../../_lib/format";
import { formatMetric } from "../_components/format";
import { MetricChart } from "../_components/metric-chart";
import type { RunDetail } from "../_components/types";

/** A chart per metric key plus the summaries; new points appear as the run page polls the run. */
export function RunCharts({ run }: { run: RunDetail }) {
  const trpc = useTRPC();
  const project = useProject();
  const charts = useQuery(trpc.run.compare.queryOptions({ projectId: project.id, runIds: [run.id], points: CHART_POINTS }));
  const { refetch } = charts;

  // The polled run carries every series' point count: a change means there is more to draw.
  const signature = run.metrics.map((m) => `${m.key}:${m.count}`).join("|");
  const seen = useRef(signature);
  useEffect(() => {
    if (seen.current === signature) return;
    seen.current = signature;
    void refetch();
  }, [signature, refetch]);

  const byKey = useMemo(() => {
    const series = charts.data?.series ?? [];
    return series.map((s) => ({ key: s.key, series: [{ label: run.name, points: s.points, total: s.total, sampled: s.sampled }] }));
  }, [charts.data, run.name]);

  return (
    <Section title="Metrics" description={run.metrics.length ? `${run.metrics.length} metric series` : undefined}>
      {run.metrics.length === 0 ? (
        <EmptyState title="No metrics logged">{run.status === "RUNNING" ? "Points show up here within seconds of being logged." : "This run logged no metrics."}</EmptyState>
      ) : (
        <>
          <div className="overflow-x-auto">
            <Table aria-label="Metric summaries">
              <TableHead>
                <TableRow>
                  <TableHeaderCell>Metric</TableHeaderCell>
                  <TableHeaderCell className="text-right">Last</TableHeaderCell>
                  <TableHeaderCell className="text-right">Min</TableHeaderCell>
                  <TableHeaderCell className="text-right">Max</TableHeaderCell>
                  <TableHeaderCell className="text-right">Last step</TableHeaderCell>
                  <TableHeaderCell className="text-right">Points</TableHeaderCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {run.metrics.map((m) => (
                  <TableRow key={m.key} data-metric-row={m.key}>
                    <TableCell className="font-mono text-xs">{m.key}</TableCell>
                    <TableCell className="text-right tabular-nums">{formatMetric(m.last)}</TableCell>
                    <TableCell className="text-right tabular-nums">{formatMetric(m.min)}</TableCell>
                    <TableCell className="text-right tabular-nums">{formatMetric(m.max)}</TableCell>
                    <TableCell className="text-right tabular-nums">{m.lastStep ?? "—"}</TableCell>
                    <TableCell className="text-right tabular-nums">{formatCount(m.count)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
          {charts.isPending ? (
            <LoadingRows rows={3} label="Loading charts" />
          ) : charts.error ? (
            <ErrorState error={charts.error} onRetry={() => void charts.refetch()} title="Could not load the charts" />
          ) : (
            <div className="grid gap-4 lg:grid-cols-2">
              {byKey.map((c) => (
                <MetricChart key={c.key} metric={c.key} series={c.series} showLegend={false} xAxis="step" smoothing={0} log={false} bins={CHART_POINTS} />
              ))}
            </div>
          )}
        </>
      )}
    </Section>
  );
}
