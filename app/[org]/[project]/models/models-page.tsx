"use client";

import { useQuery } from "@tanstack/react-query";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import Link from "next/link";
import { useOrg, useProject } from "../../../_components/org-context";
import { PageHeader } from "../../../_components/page-header";
import { RelativeTime } from "../../../_components/relative-time";
import { EmptyState, ErrorState, LoadingRows } from "../../../_components/states";
import { errorMessage } from "../../../_lib/errors";
import { formatStat } from "../../../_lib/format";
import { useTRPC } from "../../../_lib/trpc";
import { GateBadge, gateState } from "./_components/badges";
import { headlineMetric } from "./_components/metrics";
import { modelPaths } from "./_components/model-paths";

/** A gate still being evaluated is looked at again this often. */
const POLL_MS = 3_000;

function HeadlineCell({ task, metrics, primary }: { task: string; metrics: Record<string, number | null> | null; primary?: string }) {
  const metric = headlineMetric(task, metrics, primary);
  if (!metric) return null;
  return (
    <span className="ml-2 text-gray-500" data-headline={metric.key}>
      {metric.key} <span className="tabular-nums text-gray-900">{formatStat(metric.value)}</span>
    </span>
  );
}

/** The latest version's gate, asked per row: a list of models is short, and the gate lives with promotion's status. */
function LatestGate({ versionId }: { versionId: string }) {
  const trpc = useTRPC();
  const project = useProject();
  const status = useQuery(
    trpc.promotion.status.queryOptions(
      { projectId: project.id, versionId },
      { refetchInterval: (q) => (["pending", "running"].includes(gateState(q.state.data?.gate)) ? POLL_MS : false) },
    ),
  );
  if (status.isPending) return <span className="text-xs text-gray-400">…</span>;
  if (status.error) return <span className="text-xs text-rose-600" title={errorMessage(status.error)}>unavailable</span>;
  return <GateBadge state={gateState(status.data.gate)} />;
}

export function ModelsPage() {
  const trpc = useTRPC();
  const { org } = useOrg();
  const project = useProject();
  const projectBase = `/${org.slug}/${project.slug}`;
  const models = useQuery(trpc.model.list.queryOptions({ projectId: project.id }));

  return (
    <div className="space-y-6">
      <PageHeader title="Models" description="Registered ONNX models: immutable versions with their evidence, gates as code, approvals and the champion alias." />
      {models.isPending ? (
        <LoadingRows rows={4} label="Loading models" />
      ) : models.error ? (
        <ErrorState error={models.error} onRetry={() => void models.refetch()} title="Could not load models" />
      ) : models.data.length === 0 ? (
        <EmptyState
          title="No registered models yet"
          action={
            <Link href={`${projectBase}/runs`} className="text-sm font-medium text-blue-700 hover:underline">
              Go to runs →
            </Link>
          }
        >
          Open a finished run that produced a <code className="font-mono text-xs">model.onnx</code> and press “Register model”, or register from CI with{" "}
          <code className="font-mono text-xs">POST /api/v1/projects/{"{project}"}/models/{"{name}"}/versions</code> and an API token (see the README, “From CI”).
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-gray-200 bg-white">
          <Table aria-label="Models">
            <TableHead>
              <TableRow>
                <TableHeaderCell>Model</TableHeaderCell>
                <TableHeaderCell>Task</TableHeaderCell>
                <TableHeaderCell className="text-right">Versions</TableHeaderCell>
                <TableHeaderCell>Champion</TableHeaderCell>
                <TableHeaderCell>Latest version</TableHeaderCell>
                <TableHeaderCell>Gate (latest)</TableHeaderCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {models.data.map((m) => {
                const paths = modelPaths(projectBase, m.name);
                return (
                  <TableRow key={m.id} data-model={m.name}>
                    <TableCell>
                      <Link href={paths.base} className="font-medium text-blue-700 hover:underline">
                        {m.name}
                      </Link>
                      {m.description ? <span className="block max-w-md truncate text-xs text-gray-500">{m.description}</span> : null}
                    </TableCell>
                    <TableCell>{m.task}</TableCell>
                    <TableCell className="text-right tabular-nums">{m.versionCount}</TableCell>
                    <TableCell data-champion>
                      {m.champion ? (
                        <>
                          <Link href={paths.version(m.champion.number)} className="font-medium text-gray-900 hover:underline">
                            v{m.champion.number}
                          </Link>
                          <HeadlineCell task={m.task} metrics={m.champion.metrics} primary={project.primaryMetric?.key} />
                        </>
                      ) : (
                        <span className="text-gray-400">none yet</span>
                      )}
                    </TableCell>
                    <TableCell data-latest>
                      {m.latest ? (
                        <>
                          <Link href={paths.version(m.latest.number)} className="font-medium text-gray-900 hover:underline">
                            v{m.latest.number}
                          </Link>
                          <span className="ml-2 text-xs text-gray-400">
                            <RelativeTime date={m.latest.createdAt} />
                          </span>
                        </>
                      ) : (
                        <span className="text-gray-400">no versions</span>
                      )}
                    </TableCell>
                    <TableCell>{m.latest ? <LatestGate versionId={m.latest.id} /> : <span className="text-gray-400">—</span>}</TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </div>
      )}
    </div>
  );
}
