"use client";

import { useQuery } from "@tanstack/react-query";
import { Card, DonutChart, Legend, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import { StateBadge } from "../../_components/badges";
import { PageHeader } from "../../_components/page-header";
import { RelativeTime } from "../../_components/relative-time";
import { EmptyState, ErrorState, LoadingRows, Section } from "../../_components/states";
import { formatGiB } from "../../_lib/format";
import { useTRPC, type RouterOutputs } from "../../_lib/trpc";
import { PingPanel } from "./ping-panel";
import { PoolPanel } from "./pool-panel";

type Worker = RouterOutputs["worker"]["list"][number];

const STATES = [
  { state: "online", label: "Online", color: "emerald" },
  { state: "stale", label: "Stale", color: "amber" },
  { state: "offline", label: "Offline", color: "gray" },
] as const;

export function WorkersPage() {
  const trpc = useTRPC();
  const workers = useQuery(trpc.worker.list.queryOptions({ includeOffline: true }, { refetchInterval: 5_000 }));

  return (
    <div className="space-y-6">
      <PageHeader
        title="Workers"
        description="Hosts that run training, evaluation and monitoring jobs, with the queues and capacity they serve. They report a heartbeat every few seconds; this page refreshes every 5 s. Host details of the installation's shared workers are shown to installation admins only."
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <StateChart workers={workers.data} />
        <div className="lg:col-span-2">
          <PingPanel />
        </div>
      </div>
      <Section title="Hosts">
        {workers.isPending ? (
          <LoadingRows label="Loading workers" />
        ) : workers.error ? (
          <ErrorState error={workers.error} onRetry={() => void workers.refetch()} />
        ) : workers.data.length === 0 ? (
          <EmptyState title="No workers have reported yet">
            Start one with <code className="font-mono">npm run start:worker</code> on any host that reaches the database.
          </EmptyState>
        ) : (
          <WorkerTable workers={workers.data} />
        )}
      </Section>
      <PoolPanel />
    </div>
  );
}

function StateChart({ workers }: { workers: Worker[] | undefined }) {
  const data = STATES.map((s) => ({ name: s.label, hosts: workers?.filter((w) => w.state === s.state).length ?? 0 }));
  const online = data[0]?.hosts ?? 0;
  return (
    <Card className="flex flex-col" aria-label="Worker states">
      <h2 className="text-tremor-title font-semibold text-gray-900">Fleet</h2>
      {workers === undefined ? (
        <LoadingRows rows={2} label="Loading worker states" />
      ) : (
        <div className="mt-4 flex flex-1 flex-col items-center justify-center gap-4">
          <DonutChart
            data={data}
            category="hosts"
            index="name"
            colors={STATES.map((s) => s.color)}
            label={`${online} online`}
            showAnimation={false}
            className="h-36 w-36"
            valueFormatter={(n) => `${n} host${n === 1 ? "" : "s"}`}
          />
          <Legend categories={data.map((d) => `${d.name} (${d.hosts})`)} colors={STATES.map((s) => s.color)} />
        </div>
      )}
    </Card>
  );
}

function WorkerTable({ workers }: { workers: Worker[] }) {
  return (
    <Table aria-label="Workers">
      <TableHead>
        <TableRow>
          <TableHeaderCell>Host</TableHeaderCell>
          <TableHeaderCell>State</TableHeaderCell>
          <TableHeaderCell>Queues</TableHeaderCell>
          <TableHeaderCell>CPU</TableHeaderCell>
          <TableHeaderCell>Memory</TableHeaderCell>
          <TableHeaderCell>GPUs</TableHeaderCell>
          <TableHeaderCell>Version</TableHeaderCell>
          <TableHeaderCell>Last heartbeat</TableHeaderCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {workers.map((w) => (
          <TableRow key={w.id} data-worker={w.hostname} data-state={w.state}>
            <TableCell>
              <span className="block font-medium text-gray-900">{w.hostname}</span>
              {w.pid !== null ? <span className="text-xs text-gray-400">pid {w.pid}</span> : null}
              {w.pool === "organisation" ? <span className="ml-2 rounded bg-indigo-50 px-1.5 py-0.5 text-[11px] text-indigo-700">own pool</span> : null}
            </TableCell>
            <TableCell>
              <StateBadge state={w.state} />
            </TableCell>
            <TableCell className="max-w-[16rem] whitespace-normal">
              <div className="flex flex-wrap gap-1">
                {w.queues.map((q) => (
                  <span key={q} className="rounded bg-gray-100 px-1.5 py-0.5 font-mono text-[11px] text-gray-700">
                    {q}
                  </span>
                ))}
              </div>
            </TableCell>
            <TableCell className="whitespace-normal">
              <span className="block text-gray-900">{w.cpuCount} cores</span>
              {w.cpuModel ? (
                <span className="block max-w-[14rem] truncate text-xs text-gray-400" title={w.cpuModel}>
                  {w.cpuModel}
                </span>
              ) : null}
            </TableCell>
            <TableCell>{w.memoryBytes === null ? <span className="text-gray-400" title="Host details are for installation admins">—</span> : formatGiB(w.memoryBytes)}</TableCell>
            <TableCell className="whitespace-normal">
              {w.gpus.length === 0 ? <span className="text-gray-400">none</span> : w.gpus.map((g, i) => <span key={g.uuid ?? i} className="block">{g.name}</span>)}
            </TableCell>
            <TableCell>
              {w.version === null ? (
                <span className="text-gray-400">—</span>
              ) : (
                <>
                  <span className="block">{w.version}</span>
                  <span className="text-xs text-gray-400">node {w.nodeVersion}</span>
                </>
              )}
            </TableCell>
            <TableCell>
              <RelativeTime date={w.lastHeartbeatAt} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
