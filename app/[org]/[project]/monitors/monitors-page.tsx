"use client";

import { useQuery } from "@tanstack/react-query";
import { Card, SparkAreaChart, SparkBarChart } from "@tremor/react";
import Link from "next/link";
import { useOrg, useProject } from "../../../_components/org-context";
import { PageHeader } from "../../../_components/page-header";
import { RelativeTime } from "../../../_components/relative-time";
import { EmptyState, ErrorState, LoadingRows } from "../../../_components/states";
import { formatPercent } from "../../../_lib/format";
import { useTRPC, type RouterOutputs } from "../../../_lib/trpc";
import { VerdictBadge } from "./_components/badges";
import { shareSeries } from "./_components/chart-rows";
import { incidentOfMonitor } from "./_components/incidents";
import { monitorPaths } from "./_components/paths";

type Monitor = RouterOutputs["monitor"]["list"][number];

/** Reports arrive on the monitors' schedules (hourly by default); the list follows without hurry. */
const POLL_MS = 30_000;
/** Windows drawn in a card's sparkline. */
const SPARK_WINDOWS = 24;
/** An area through one or two windows is a lone dot; bars show them. */
const MIN_LINE_WINDOWS = 3;

function DriftSparkline({ monitor }: { monitor: Monitor }) {
  const trpc = useTRPC();
  const project = useProject();
  const reports = useQuery(trpc.monitor.reports.queryOptions({ projectId: project.id, name: monitor.name, kind: "data", limit: SPARK_WINDOWS }, { refetchInterval: POLL_MS }));
  if (reports.isPending) return <div className="h-10 animate-pulse rounded bg-gray-100" aria-label="Loading drift share" />;
  if (reports.error) return <p className="text-xs text-rose-600">Drift share unavailable: {reports.error.message}</p>;
  const series = shareSeries(reports.data.map((r) => ({ windowEnd: r.windowEnd, share: r.datasetDriftShare })));
  if (series.length === 0) return <p className="text-xs text-gray-500">No windows computed yet.</p>;
  const last = series[series.length - 1]!;
  const spark = { data: series, index: "time", categories: ["share"], colors: [last.share >= monitor.driftShare * 100 ? "rose" : "blue"], className: "h-10 w-40", maxValue: 100 };
  return (
    <div className="flex items-center gap-3" data-drift-sparkline={series.length}>
      {series.length < MIN_LINE_WINDOWS ? <SparkBarChart {...spark} /> : <SparkAreaChart {...spark} />}
      <span className="text-xs text-gray-600">
        <span className="font-medium text-gray-900">{formatPercent(last.share / 100, 0)}</span> of features drifted in the last window (alarm at {formatPercent(monitor.driftShare, 0)})
      </span>
    </div>
  );
}

function MonitorCard({ monitor, open, href, deploymentHref }: { monitor: Monitor; open: number; href: string; deploymentHref: string }) {
  return (
    <Card className="space-y-3 p-4" data-monitor={monitor.name}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="min-w-0">
          <Link href={href} className="font-medium text-blue-700 hover:underline">
            {monitor.name}
          </Link>
          <span className="ml-2 text-sm text-gray-500">
            watches{" "}
            <Link href={deploymentHref} className="hover:underline">
              {monitor.deploymentName}
            </Link>
          </span>
        </div>
        <div className="flex items-center gap-2">
          <span className={`text-xs ${open > 0 ? "font-medium text-rose-700" : "text-gray-500"}`} data-open-incidents={open}>
            {open === 0 ? "no open incidents" : `${open} open incident${open === 1 ? "" : "s"}`}
          </span>
          <VerdictBadge verdict={monitor.lastVerdict} />
        </div>
      </div>
      <DriftSparkline monitor={monitor} />
      <p className="flex flex-wrap justify-between gap-2 text-xs text-gray-500">
        <span>
          {monitor.mode === "calibrated" ? `calibrated thresholds at α = ${monitor.alpha}` : "Evidently's default thresholds"} · {monitor.enabled ? `schedule ${monitor.schedule} (UTC)` : "paused"}
        </span>
        <span>{monitor.lastRunAt ? <>last run <RelativeTime date={monitor.lastRunAt} /></> : "never run"}</span>
      </p>
    </Card>
  );
}

export function MonitorsPage() {
  const trpc = useTRPC();
  const { org } = useOrg();
  const project = useProject();
  const paths = monitorPaths(`/${org.slug}/${project.slug}`);
  const monitors = useQuery(trpc.monitor.list.queryOptions({ projectId: project.id }, { refetchInterval: POLL_MS }));
  const incidents = useQuery(trpc.alert.incidents.queryOptions({ projectId: project.id, status: "open", limit: 200 }, { refetchInterval: POLL_MS }));
  const openOf = (name: string) => incidents.data?.filter((i) => incidentOfMonitor(i, name)).length ?? 0;

  return (
    <div className="space-y-6">
      <PageHeader title="Monitors" description="Drift of live inputs and predictions against the training data, performance from feedback labels, latency and errors — per deployment." />
      {monitors.isPending ? (
        <LoadingRows rows={3} label="Loading monitors" />
      ) : monitors.error ? (
        <ErrorState error={monitors.error} onRetry={() => void monitors.refetch()} title="Could not load monitors" />
      ) : monitors.data.length === 0 ? (
        <EmptyState
          title="No monitors yet"
          action={
            <Link href={paths.deployments} className="text-sm font-medium text-blue-700 hover:underline">
              Go to Deployments
            </Link>
          }
        >
          A monitor is created with each deployment, with sensible defaults: the stable version&apos;s training data as reference, hourly windows of the prediction log, calibrated thresholds at α = 0.05. Deploy a
          model and its monitor appears here; then tune it and add alert rules.
        </EmptyState>
      ) : (
        <>
          {incidents.error ? <ErrorState error={incidents.error} onRetry={() => void incidents.refetch()} title="Could not load open incidents" /> : null}
          <div className="grid gap-4 lg:grid-cols-2">
            {monitors.data.map((m) => (
              <MonitorCard key={m.id} monitor={m} open={openOf(m.name)} href={paths.monitor(m.name)} deploymentHref={paths.deployment(m.deploymentName)} />
            ))}
          </div>
        </>
      )}
    </div>
  );
}
