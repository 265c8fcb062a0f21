"use client";

import { useQuery } from "@tanstack/react-query";
import { Badge, Button, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import Link from "next/link";
import { useState } from "react";
import { useOrg, useProject } from "../../../_components/org-context";
import { PageHeader } from "../../../_components/page-header";
import { RelativeTime } from "../../../_components/relative-time";
import { EmptyState, ErrorState, LoadingRows } from "../../../_components/states";
import { formatCount } from "../../../_lib/format";
import { useTRPC } from "../../../_lib/trpc";
import { ValidationBadge } from "./_components/badges";
import { pollWhilePending } from "./_components/polling";
import { NewDatasetForm } from "./new-dataset-form";
import { Toggle } from "../runs/_components/toggle";

export function DatasetsPage() {
  const trpc = useTRPC();
  const { org, can } = useOrg();
  const project = useProject();
  const canWrite = can("MEMBER");
  const [showArchived, setShowArchived] = useState(false);
  const datasets = useQuery(
    trpc.dataset.list.queryOptions(
      { projectId: project.id, includeArchived: showArchived },
      { refetchInterval: pollWhilePending((list) => list.some((d) => d.latest?.validation === "PENDING")) },
    ),
  );
  const [creating, setCreating] = useState(false);
  const base = `/${org.slug}/${project.slug}/datasets`;
  const newButton = canWrite ? <Button onClick={() => setCreating(true)}>New dataset</Button> : null;

  return (
    <div className="space-y-6">
      <PageHeader
        title="Datasets"
        description="Immutable, content-addressed versions of training data, each profiled and checked against its dataset's data contract."
        actions={
          <>
            <Toggle checked={showArchived} onChange={setShowArchived} label="Show archived" />
            {creating ? null : newButton}
          </>
        }
      />
      {creating ? <NewDatasetForm onDone={() => setCreating(false)} /> : null}
      {datasets.isPending ? (
        <LoadingRows rows={4} label="Loading datasets" />
      ) : datasets.error ? (
        <ErrorState error={datasets.error} onRetry={() => void datasets.refetch()} />
      ) : datasets.data.length === 0 ? (
        <EmptyState title="No datasets yet" action={creating ? null : newButton}>
          {canWrite
            ? "Create a dataset, then upload CSV, JSON Lines or Parquet files as its versions, from here or from CI with an API token."
            : "Members of this organisation can create datasets and upload versions."}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-gray-200 bg-white">
          <Table aria-label="Datasets">
            <TableHead>
              <TableRow>
                <TableHeaderCell>Dataset</TableHeaderCell>
                <TableHeaderCell className="text-right">Versions</TableHeaderCell>
                <TableHeaderCell>Latest version</TableHeaderCell>
                <TableHeaderCell>Validation</TableHeaderCell>
                <TableHeaderCell>Contract</TableHeaderCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {datasets.data.map((d) => (
                <TableRow key={d.id} data-dataset={d.slug}>
                  <TableCell>
                    <Link href={`${base}/${d.slug}`} className="font-medium text-blue-700 hover:underline">
                      {d.name}
                    </Link>
                    <span className="block font-mono text-xs text-gray-400">{d.slug}</span>
                    {d.archivedAt ? (
                      <Badge size="xs" color="amber" className="mt-1">
                        Archived
                      </Badge>
                    ) : null}
                    {d.description ? <span className="block max-w-md truncate text-xs text-gray-500">{d.description}</span> : null}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{d.versionCount}</TableCell>
                  <TableCell>
                    {d.latest ? (
                      <>
                        <Link href={`${base}/${d.slug}/versions/${d.latest.id}`} className="font-medium text-gray-900 hover:underline">
                          v{d.latest.number}
                        </Link>
                        <span className="ml-2 text-gray-500">{d.latest.rowCount !== null ? `${formatCount(d.latest.rowCount)} rows` : "rows pending"}</span>
                        <span className="block text-xs text-gray-400">
                          <RelativeTime date={d.latest.createdAt} />
                        </span>
                      </>
                    ) : (
                      <span className="text-gray-400">no versions yet</span>
                    )}
                  </TableCell>
                  <TableCell>{d.latest ? <ValidationBadge status={d.latest.validation} /> : <span className="text-gray-400">—</span>}</TableCell>
                  <TableCell>
                    {d.hasContract ? (
                      <Badge size="xs" color="indigo">
                        contract
                      </Badge>
                    ) : (
                      <span className="text-xs text-gray-400">none</span>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </div>
  );
}
