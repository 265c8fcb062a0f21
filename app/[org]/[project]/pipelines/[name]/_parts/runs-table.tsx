"use client";

import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import Link from "next/link";
import type { PipelineRunDto } from "@/server/pipelines/schemas";
import { RelativeTime } from "../../../../../_components/relative-time";
import { EmptyState } from "../../../../../_components/states";
import { PipelineRunBadge, TriggerBadge } from "../../_components/badges";
import { elapsed, formatDuration } from "../../_components/words";

/** The pipeline's runs, newest first: status, what started it, when, and how long it took. */
export function RunsTable({ runs, href }: { runs: PipelineRunDto[]; href: (runId: string) => string }) {
  if (runs.length === 0) return <EmptyState title="No runs yet">Start one with Run pipeline, or let a trigger start it.</EmptyState>;
  return (
    <Table aria-label="Pipeline runs">
      <TableHead>
        <TableRow>
          <TableHeaderCell>Run</TableHeaderCell>
          <TableHeaderCell>Status</TableHeaderCell>
          <TableHeaderCell>Trigger</TableHeaderCell>
          <TableHeaderCell>Started</TableHeaderCell>
          <TableHeaderCell>Duration</TableHeaderCell>
          <TableHeaderCell>Revision</TableHeaderCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {runs.map((r) => {
          const ms = elapsed(r.startedAt, r.finishedAt);
          return (
            <TableRow key={r.id} data-pipeline-run={r.number}>
              <TableCell>
                <Link href={href(r.id)} className="font-mono font-medium text-blue-700 hover:underline">
                  #{r.number}
                </Link>
              </TableCell>
              <TableCell>
                <PipelineRunBadge status={r.status} />
              </TableCell>
              <TableCell>
                <TriggerBadge trigger={r.trigger} />
              </TableCell>
              <TableCell className="text-sm text-gray-600">
                <RelativeTime date={r.startedAt ?? r.createdAt} />
              </TableCell>
              <TableCell className="text-sm text-gray-600">{ms === null ? "—" : `${formatDuration(ms)}${r.finishedAt ? "" : " so far"}`}</TableCell>
              <TableCell className="text-sm text-gray-600">r{r.revisionNumber}</TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
