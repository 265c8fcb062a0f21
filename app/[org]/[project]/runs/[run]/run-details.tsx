"use client";

import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import Link from "next/link";
import { useOrg, useProject } from "../../../../_components/org-context";
import { Section } from "../../../../_components/states";
import { formatParam } from "../_components/format";
import type { RunDetail } from "../_components/types";
import { TagsNote } from "./tags-note";

export function RunDetails({ run }: { run: RunDetail }) {
  const { org } = useOrg();
  const project = useProject();
  const params = Object.entries(run.params).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className="grid items-start gap-6 lg:grid-cols-2">
      <Section title="Params" description={params.length ? `${params.length} logged` : undefined}>
        {params.length === 0 ? (
          <p className="text-sm text-gray-500">No params logged.</p>
        ) : (
          <div className="max-h-96 overflow-auto">
            <Table aria-label="Params">
              <TableHead>
                <TableRow>
                  <TableHeaderCell>Key</TableHeaderCell>
                  <TableHeaderCell>Value</TableHeaderCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {params.map(([key, value]) => (
                  <TableRow key={key} data-param={key}>
                    <TableCell className="max-w-[14rem] truncate py-1.5 font-mono text-xs" title={key}>
                      {key}
                    </TableCell>
                    <TableCell className="max-w-[20rem] whitespace-pre-wrap break-words py-1.5 font-mono text-xs text-gray-900">{formatParam(value)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </Section>
      <div className="space-y-6">
        <TagsNote run={run} />
        <Section title="Input data">
          {run.inputs.length === 0 ? (
            <p className="text-sm text-gray-500">No dataset versions recorded as inputs.</p>
          ) : (
            <ul className="space-y-1 text-sm" aria-label="Input dataset versions">
              {run.inputs.map((i) => (
                <li key={i.versionId}>
                  <Link href={`/${org.slug}/${project.slug}/datasets/${i.datasetSlug}/versions/${i.versionId}`} className="font-medium text-blue-700 hover:underline">
                    {i.datasetSlug} v{i.number}
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </Section>
        <Section title="Environment">
          {run.environment ? (
            <details className="group">
              <summary className="cursor-pointer text-sm text-gray-700 hover:text-gray-900">
                {Object.keys(run.environment).length} entries{summaryOf(run.environment)}
              </summary>
              <pre className="mt-2 max-h-96 overflow-auto rounded-md bg-gray-50 p-3 font-mono text-xs text-gray-800">{JSON.stringify(run.environment, null, 2)}</pre>
            </details>
          ) : (
            <p className="text-sm text-gray-500">Not recorded.</p>
          )}
        </Section>
      </div>
    </div>
  );
}

/** The entries people look for first, when the client recorded them. */
function summaryOf(env: Record<string, unknown>): string {
  const parts = ["host", "python", "platform", "gpu"].filter((k) => typeof env[k] === "string").map((k) => `${k}: ${String(env[k])}`);
  return parts.length ? ` — ${parts.join(", ")}` : "";
}
