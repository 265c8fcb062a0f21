"use client";

import { useQuery } from "@tanstack/react-query";
import { Button, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { PipelineDto } from "@/server/pipelines/schemas";
import { TERMINAL_RUN_STATUSES } from "@/server/pipelines/schemas";
import { useOrg, useProject } from "../../../_components/org-context";
import { PageHeader } from "../../../_components/page-header";
import { RelativeTime } from "../../../_components/relative-time";
import { EmptyState, ErrorState, LoadingRows } from "../../../_components/states";
import { useTRPC } from "../../../_lib/trpc";
import { PipelineRunBadge, TriggerBadge } from "./_components/badges";
import { pipelinePaths, type PipelinePaths } from "./_components/paths";
import { triggerWords } from "./_components/words";

/** While a last run is still going its badge changes by itself. */
const POLL_MS = 3_000;
const live = (p: PipelineDto) => p.lastRun !== null && !TERMINAL_RUN_STATUSES.includes(p.lastRun.status);

export function Triggers({ pipeline }: { pipeline: PipelineDto }) {
  if (pipeline.triggers.length === 0) return <span className="text-gray-500">by hand or API only</span>;
  return (
    <ul className="space-y-0.5" aria-label={`Triggers of ${pipeline.name}`}>
      {pipeline.triggers.map((t, i) => (
        <li key={i} data-trigger-kind={t.kind}>
          {triggerWords(t)}
          {t.kind === "cron" && pipeline.nextCronAt ? (
            <span className="ml-1 text-gray-500">
              · next <RelativeTime date={pipeline.nextCronAt} />
            </span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function Row({ p, paths }: { p: PipelineDto; paths: PipelinePaths }) {
  return (
    <TableRow data-pipeline={p.name}>
      <TableCell className="align-top">
        <Link href={paths.pipeline(p.name)} className="font-medium text-blue-700 hover:underline">
          {p.name}
        </Link>
        {p.description ? <p className="mt-0.5 max-w-xs whitespace-normal text-xs text-gray-500">{p.description}</p> : null}
      </TableCell>
      <TableCell className="whitespace-normal align-top text-sm text-gray-700">
        <Triggers pipeline={p} />
      </TableCell>
      <TableCell className="align-top">
        {p.lastRun ? (
          <Link href={paths.run(p.name, p.lastRun.id)} className="inline-flex items-center gap-2 text-sm text-gray-700 hover:underline">
            <span className="font-mono text-gray-500">#{p.lastRun.number}</span>
            <PipelineRunBadge status={p.lastRun.status} />
            <TriggerBadge trigger={p.lastRun.trigger} />
            <RelativeTime date={p.lastRun.createdAt} />
          </Link>
        ) : (
          <span className="text-sm text-gray-400">never run</span>
        )}
      </TableCell>
      <TableCell className="align-top text-sm text-gray-600">
        r{p.revision.number} · <RelativeTime date={p.revision.createdAt} />
      </TableCell>
    </TableRow>
  );
}

export function PipelinesPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const { org, can } = useOrg();
  const project = useProject();
  const paths = pipelinePaths(`/${org.slug}/${project.slug}`);
  const pipelines = useQuery(trpc.pipeline.list.queryOptions({ projectId: project.id }, { refetchInterval: (q) => (q.state.data?.some(live) ? POLL_MS : false) }));
  const create = can("MEMBER") ? (
    <Button size="xs" onClick={() => router.push(paths.create)}>
      New pipeline
    </Button>
  ) : null;

  return (
    <div className="space-y-6">
      <PageHeader title="Pipelines" description="Chains of steps from new data to a gated model and a rollout, started by new data, a git push, a schedule, an alert, by hand or from CI." actions={create} />
      {pipelines.isPending ? (
        <LoadingRows rows={4} label="Loading pipelines" />
      ) : pipelines.error ? (
        <ErrorState error={pipelines.error} onRetry={() => void pipelines.refetch()} title="Could not load pipelines" />
      ) : pipelines.data.length === 0 ? (
        <EmptyState title="No pipelines yet" action={create}>
          A pipeline is a <code className="font-mono text-xs">cairn.yaml</code> file: its steps (validate-data → train → evaluate → register → gate → deploy), parameters and triggers. Keep it in your
          repository and send it with <code className="font-mono text-xs">cairn pipeline push cairn.yaml</code> from CI, or write it here with <strong>New pipeline</strong>.
        </EmptyState>
      ) : (
        <Table aria-label="Pipelines">
          <TableHead>
            <TableRow>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Triggers</TableHeaderCell>
              <TableHeaderCell>Last run</TableHeaderCell>
              <TableHeaderCell>Revision</TableHeaderCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {pipelines.data.map((p) => (
              <Row key={p.id} p={p} paths={paths} />
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
