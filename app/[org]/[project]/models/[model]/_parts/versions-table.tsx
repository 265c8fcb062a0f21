"use client";

import { useQuery } from "@tanstack/react-query";
import { Badge, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import Link from "next/link";
import { useOrg, useProject } from "../../../../../_components/org-context";
import { RelativeTime } from "../../../../../_components/relative-time";
import { EmptyState, Section } from "../../../../../_components/states";
import { formatStat } from "../../../../../_lib/format";
import { useTRPC } from "../../../../../_lib/trpc";
import { AliasBadge, GateBadge, gateState } from "../../_components/badges";
import { useModel } from "../../_components/model-context";
import { PromoteButton } from "./promote";
import type { AliasRow, VersionRow } from "./types";

/** A gate report still being evaluated is asked about again this often. */
export const GATE_POLL_MS = 2_000;

/** Metric columns: the task's usual numbers, in the order people read them. */
const COLUMNS: Record<string, string[]> = { regression: ["rmse", "mae", "r2"], binary: ["rocAuc", "accuracy", "logLoss"] };

export function VersionsTable({ versions, aliases, championId }: { versions: VersionRow[]; aliases: AliasRow[]; championId: string | null }) {
  const model = useModel();
  const columns = COLUMNS[model.task] ?? [];
  if (versions.length === 0) {
    return (
      <Section title="Versions">
        <EmptyState title="No versions yet">Register a finished run&apos;s model.onnx from its run page (“Register model”), or from CI through the API.</EmptyState>
      </Section>
    );
  }
  return (
    <Section title="Versions" description="Immutable ONNX files with their evidence. A version becomes champion when its gate passed and its approvals are complete.">
      <div className="overflow-x-auto">
        <Table aria-label="Model versions">
          <TableHead>
            <TableRow>
              <TableHeaderCell>Version</TableHeaderCell>
              <TableHeaderCell>Created</TableHeaderCell>
              <TableHeaderCell>Source run</TableHeaderCell>
              {columns.map((c) => (
                <TableHeaderCell key={c} className="px-2 text-right">
                  {c}
                </TableHeaderCell>
              ))}
              <TableHeaderCell>Gate</TableHeaderCell>
              <TableHeaderCell>Approvals</TableHeaderCell>
              <TableHeaderCell className="sr-only">Actions</TableHeaderCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {versions.map((v) => (
              <Row key={v.id} version={v} columns={columns} aliases={aliases.filter((a) => a.versionId === v.id).map((a) => a.name)} isChampion={v.id === championId} />
            ))}
          </TableBody>
        </Table>
      </div>
    </Section>
  );
}

function Row({ version, columns, aliases, isChampion }: { version: VersionRow; columns: string[]; aliases: string[]; isChampion: boolean }) {
  const trpc = useTRPC();
  const { org } = useOrg();
  const project = useProject();
  const model = useModel();
  const status = useQuery(
    trpc.promotion.status.queryOptions(
      { projectId: project.id, versionId: version.id },
      { refetchInterval: (q) => (["pending", "running"].includes(gateState(q.state.data?.gate)) ? GATE_POLL_MS : false) },
    ),
  );
  const run = version.lineage.source === "run" ? version.lineage.run : null;
  const metrics = version.metrics?.metrics ?? {};
  return (
    <TableRow data-version={version.number} className={version.archivedAt ? "opacity-60" : undefined}>
      <TableCell>
        <Link href={model.paths.version(version.number)} className="font-medium text-blue-700 hover:underline">
          v{version.number}
        </Link>
        <span className="mt-1 flex flex-wrap gap-1">
          {aliases.map((a) => (
            <AliasBadge key={a} name={a} />
          ))}
          {version.archivedAt ? (
            <Badge size="xs" color="amber">
              archived
            </Badge>
          ) : null}
        </span>
      </TableCell>
      <TableCell className="text-gray-500">
        <RelativeTime date={version.createdAt} />
        <span className="block max-w-[9rem] truncate text-xs text-gray-400" title={version.createdBy.label}>
          {version.createdBy.label}
        </span>
      </TableCell>
      <TableCell>
        {run ? (
          <Link href={`/${org.slug}/${project.slug}/runs/${run.id}`} className="text-gray-900 hover:underline">
            {run.name} #{run.number}
          </Link>
        ) : (
          <span className="text-gray-400">external file</span>
        )}
      </TableCell>
      {columns.map((c) => (
        <TableCell key={c} className="px-2 text-right tabular-nums" data-metric={c}>
          {formatStat(metrics[c])}
        </TableCell>
      ))}
      <TableCell>{status.data ? <GateBadge state={gateState(status.data.gate)} /> : <span className="text-xs text-gray-400">…</span>}</TableCell>
      <TableCell className="tabular-nums" data-approvals>
        {status.data ? (
          <span className={status.data.approvedCount >= status.data.required ? "text-emerald-700" : "text-gray-700"}>
            {status.data.approvedCount}/{status.data.required}
          </span>
        ) : null}
      </TableCell>
      <TableCell className="text-right">
        {!isChampion && !version.archivedAt && status.data ? <PromoteButton version={version} status={status.data} /> : null}
      </TableCell>
    </TableRow>
  );
}
