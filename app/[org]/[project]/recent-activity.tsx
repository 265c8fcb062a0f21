"use client";

import { useQuery } from "@tanstack/react-query";
import { Card, LineChart } from "@tremor/react";
import Link from "next/link";
import { ValidationBadge } from "./datasets/_components/badges";
import { RunStatusBadge } from "./runs/_components/run-status-badge";
import { formatMetric } from "./runs/_components/format";
import { useOrg, useProject } from "../../_components/org-context";
import { RelativeTime } from "../../_components/relative-time";
import { EmptyState, ErrorState, LoadingRows, Section } from "../../_components/states";
import { formatCount } from "../../_lib/format";
import { useTRPC } from "../../_lib/trpc";

function Stat({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <Card className="p-4" data-stat={label}>
      <p className="text-xs font-medium uppercase tracking-wide text-gray-500">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums text-gray-900">{value}</p>
      {detail ? <p className="mt-0.5 truncate text-xs text-gray-500">{detail}</p> : null}
    </Card>
  );
}

/** The project at a glance: counts, the ranking metric's best and its trend, and the latest versions and runs. */
export function RecentActivity() {
  const trpc = useTRPC();
  const { org } = useOrg();
  const project = useProject();
  const base = `/${org.slug}/${project.slug}`;
  const activity = useQuery(trpc.project.activity.queryOptions({ projectId: project.id }, { refetchInterval: 15_000 }));
  if (activity.isPending) return <LoadingRows rows={4} label="Loading recent activity" />;
  if (activity.error) return <ErrorState error={activity.error} onRetry={() => void activity.refetch()} />;
  const a = activity.data;
  const metric = a.metric;
  const byStatus = a.counts.byStatus;
  return (
    <div className="space-y-4" data-testid="recent-activity">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Stat label="Datasets" value={formatCount(a.counts.datasets)} detail={`${formatCount(a.counts.versions)} versions`} />
        <Stat label="Runs" value={formatCount(a.counts.runs)} detail={`${byStatus.RUNNING} running · ${byStatus.QUEUED} queued · ${byStatus.FAILED} failed`} />
        <Stat label="Finished runs" value={formatCount(byStatus.FINISHED)} detail={byStatus.KILLED ? `${byStatus.KILLED} cancelled` : undefined} />
        <Stat
          label={metric ? `Best ${metric.key}` : "Primary metric"}
          value={a.best ? formatMetric(a.best.value) : "—"}
          detail={a.best ? `${a.best.name} (${metric!.goal === "min" ? "lowest" : "highest"})` : metric ? "no finished run reports it yet" : "set one in Settings"}
        />
      </div>
      {metric && a.trend.length > 1 ? (
        <Section
          title={`${metric.key} of finished runs`}
          description={`${metric.goal === "min" ? "Lower" : "Higher"} is better${metric.inferred ? "; inferred from the runs' test metrics (set the primary metric in Settings)" : ""}. One point per run, oldest first.`}
        >
          <LineChart
            className="h-52"
            data={a.trend.map((p) => ({ run: p.name, [metric.key]: p.value }))}
            index="run"
            categories={[metric.key]}
            colors={["blue"]}
            valueFormatter={formatMetric}
            yAxisWidth={64}
            autoMinValue
            showAnimation={false}
            showLegend={false}
            data-chart="primary-metric-trend"
          />
        </Section>
      ) : null}
      <div className="grid gap-4 lg:grid-cols-2">
        <Section title="Latest data versions" actions={<Link href={`${base}/datasets`} className="text-sm text-blue-700 hover:underline">All datasets</Link>}>
          {a.versions.length === 0 ? (
            <EmptyState title="No data yet">Upload a dataset version to train on it.</EmptyState>
          ) : (
            <ul className="divide-y divide-gray-100" aria-label="Latest data versions">
              {a.versions.map((v) => (
                <li key={v.id} className="flex items-center gap-3 py-2 text-sm">
                  <Link href={`${base}/datasets/${v.datasetSlug}/versions/${v.id}`} className="min-w-0 flex-1 truncate font-medium text-gray-900 hover:text-blue-700 hover:underline">
                    {v.datasetName} v{v.number}
                  </Link>
                  <span className="text-xs tabular-nums text-gray-500">{v.rowCount === null ? "…" : `${formatCount(v.rowCount)} rows`}</span>
                  <ValidationBadge status={v.validation} />
                  <span className="w-24 text-right text-xs text-gray-500">
                    <RelativeTime date={v.createdAt} />
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Section>
        <Section title="Latest runs" actions={<Link href={`${base}/runs`} className="text-sm text-blue-700 hover:underline">All runs</Link>}>
          {a.runs.length === 0 ? (
            <EmptyState title="No runs yet">Train a model or log a run from a script.</EmptyState>
          ) : (
            <ul className="divide-y divide-gray-100" aria-label="Latest runs">
              {a.runs.map((r) => (
                <li key={r.id} className="flex items-center gap-3 py-2 text-sm" data-run={r.name}>
                  <RunStatusBadge status={r.status} />
                  <Link href={`${base}/runs/${r.id}`} className="min-w-0 flex-1 truncate font-medium text-gray-900 hover:text-blue-700 hover:underline">
                    {r.name} <span className="font-normal text-gray-500">· {r.experiment}</span>
                  </Link>
                  {metric ? (
                    <span className="text-xs tabular-nums text-gray-700" title={metric.key}>
                      {r.value === null ? "—" : formatMetric(r.value)}
                    </span>
                  ) : null}
                  <span className="w-24 text-right text-xs text-gray-500">
                    <RelativeTime date={r.createdAt} />
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Section>
      </div>
    </div>
  );
}
