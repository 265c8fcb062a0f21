"use client";

import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import Link from "next/link";
import { useOrg, useProject } from "../../../../_components/org-context";
import { RelativeTime } from "../../../../_components/relative-time";
import { formatBytes, formatCount } from "../../../../_lib/format";
import type { RouterOutputs } from "../../../../_lib/trpc";
import { ProfileBadge, SchemaChangeBadge, ValidationBadge } from "../_components/badges";
import { useDataset } from "../_components/dataset-context";

type Version = RouterOutputs["dataset"]["versions"][number];

export function VersionsTable({ versions }: { versions: Version[] }) {
  const { org } = useOrg();
  const project = useProject();
  const { paths } = useDataset();
  const parentHref = (p: Version["parents"][number]) => `/${org.slug}/${project.slug}/datasets/${p.datasetSlug}/versions/${p.id}`;
  return (
    <div className="overflow-x-auto">
      <Table aria-label="Versions">
        <TableHead>
          <TableRow>
            <TableHeaderCell>Version</TableHeaderCell>
            <TableHeaderCell>File</TableHeaderCell>
            <TableHeaderCell className="text-right">Size</TableHeaderCell>
            <TableHeaderCell className="text-right">Rows</TableHeaderCell>
            <TableHeaderCell>Profile / validation</TableHeaderCell>
            <TableHeaderCell>Created</TableHeaderCell>
            <TableHeaderCell>Parents</TableHeaderCell>
            <TableHeaderCell className="text-right">Compare</TableHeaderCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {versions.map((v, i) => {
            const previous = versions[i + 1];
            return (
              <TableRow key={v.id} data-version={v.number}>
                <TableCell>
                  <Link href={paths.version(v.id)} className="font-medium text-blue-700 hover:underline">
                    v{v.number}
                  </Link>
                </TableCell>
                <TableCell>
                  <span className="block max-w-[11rem] truncate text-gray-900" title={v.fileName}>
                    {v.fileName}
                  </span>
                  <span className="text-xs uppercase text-gray-400">{v.format.toLowerCase()}</span>
                </TableCell>
                <TableCell className="text-right tabular-nums">{formatBytes(v.sizeBytes)}</TableCell>
                <TableCell className="text-right tabular-nums">{v.rowCount !== null ? formatCount(v.rowCount) : "—"}</TableCell>
                <TableCell>
                  <span className="flex flex-wrap gap-1">
                    <ProfileBadge status={v.profileStatus} error={v.profileError} />
                    <ValidationBadge status={v.validation} />
                    {v.schemaChange ? <SchemaChangeBadge change={v.schemaChange} /> : null}
                  </span>
                </TableCell>
                <TableCell>
                  <span className="block max-w-[9rem] truncate" title={v.createdBy}>
                    {v.createdBy}
                  </span>
                  <span className="text-xs text-gray-400">
                    <RelativeTime date={v.createdAt} />
                  </span>
                </TableCell>
                <TableCell>
                  {v.parents.length === 0 ? (
                    <span className="text-gray-400">—</span>
                  ) : (
                    v.parents.map((p) => (
                      <Link key={p.id} href={parentHref(p)} className="mr-2 font-mono text-xs text-blue-700 hover:underline">
                        {p.datasetSlug} v{p.number}
                      </Link>
                    ))
                  )}
                </TableCell>
                <TableCell className="text-right">
                  {previous && v.profileStatus === "READY" && previous.profileStatus === "READY" ? (
                    <Link href={paths.compare(previous.id, v.id)} className="text-xs text-blue-700 hover:underline" aria-label={`Compare v${previous.number} with v${v.number}`}>
                      vs v{previous.number}
                    </Link>
                  ) : null}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
