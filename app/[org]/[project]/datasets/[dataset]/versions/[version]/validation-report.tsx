"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Badge, Button, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import Link from "next/link";
import { useState } from "react";
import { useOrg } from "../../../../../../_components/org-context";
import { DateTime } from "../../../../../../_components/relative-time";
import { EmptyState, FormError, LoadingRows, Section } from "../../../../../../_components/states";
import { formatStat } from "../../../../../../_lib/format";
import { useTRPC, type RouterOutputs } from "../../../../../../_lib/trpc";
import { useDataset } from "../../../_components/dataset-context";
import { refreshAfterWrite } from "../../../../../../_lib/refresh";

type Version = RouterOutputs["dataset"]["version"];

// Stored reports come back from jsonb with their keys re-ordered; bounds read better low to high.
const KEY_ORDER = ["min", "max"];
const keyRank = (k: string) => (KEY_ORDER.includes(k) ? KEY_ORDER.indexOf(k) : KEY_ORDER.length);

/** Observed and expected values are free-form JSON: numbers rounded, absent bounds dropped. */
export function formatJsonValue(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number") return formatStat(value);
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.map(formatJsonValue).join(", ");
  if (typeof value === "object") {
    const parts = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined)
      .sort(([a], [b]) => keyRank(a) - keyRank(b))
      .map(([k, v]) => `${k}: ${Array.isArray(v) ? `[${formatJsonValue(v)}]` : formatJsonValue(v)}`);
    return parts.length ? parts.join(" · ") : "—";
  }
  return String(value);
}

export function ValidationReport({ version: v }: { version: Version }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = useOrg();
  const dataset = useDataset();
  const [failuresOnly, setFailuresOnly] = useState(false);
  const revalidate = useMutation(
    trpc.dataset.revalidate.mutationOptions({ onSuccess: () => refreshAfterWrite(queryClient, trpc.dataset.pathKey()) }),
  );
  const report = v.report;
  const failed = report?.results.filter((r) => !r.passed).length ?? 0;
  const rows = report ? (failuresOnly ? report.results.filter((r) => !r.passed) : report.results) : [];
  const canRerun = can("MEMBER") && v.profileStatus === "READY" && v.validation !== "PENDING";

  return (
    <Section
      title="Validation"
      description={
        report ? (
          <>
            Contract revision {report.contractRevision}, checked <DateTime date={report.createdAt} />:{" "}
            <span className={failed ? "font-medium text-rose-700" : "font-medium text-emerald-700"} data-report-summary>
              {failed ? `${failed} of ${report.results.length} expectations failed` : `all ${report.results.length} expectations passed`}
            </span>
          </>
        ) : undefined
      }
      actions={
        <div className="flex items-center gap-3">
          {report && failed > 0 ? (
            <label className="flex items-center gap-2 text-xs text-gray-600">
              <input type="checkbox" checked={failuresOnly} onChange={(e) => setFailuresOnly(e.target.checked)} className="h-4 w-4 rounded border-gray-300 text-blue-600" />
              Failures only
            </label>
          ) : null}
          <Button size="xs" variant="secondary" disabled={!canRerun} loading={revalidate.isPending} onClick={() => revalidate.mutate({ projectId: dataset.projectId, versionId: v.id })}>
            Re-run validation
          </Button>
        </div>
      }
    >
      <FormError error={revalidate.error} />
      {v.validation === "PENDING" ? (
        <LoadingRows rows={2} label="Loading validation: checking against the data contract" />
      ) : !report ? (
        <EmptyState title={v.validation === "NO_CONTRACT" ? "No data contract" : "No validation report"}>
          {v.validation === "NO_CONTRACT" ? (
            <>
              This dataset has no contract yet.{" "}
              <Link href={dataset.paths.contract} className="text-blue-700 hover:underline">
                Propose one from this version
              </Link>
              .
            </>
          ) : (
            v.profileError ?? "Validation has not produced a report."
          )}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto">
          <Table aria-label="Validation report">
            <TableHead>
              <TableRow>
                <TableHeaderCell>Result</TableHeaderCell>
                <TableHeaderCell>Expectation</TableHeaderCell>
                <TableHeaderCell>Column</TableHeaderCell>
                <TableHeaderCell>Observed</TableHeaderCell>
                <TableHeaderCell>Expected</TableHeaderCell>
                <TableHeaderCell>Message</TableHeaderCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((r, i) => (
                <TableRow key={`${r.kind}-${r.column ?? ""}-${i}`} data-expectation={r.kind} data-column={r.column ?? undefined} data-passed={r.passed} className={r.passed ? "" : "bg-rose-50/60"}>
                  <TableCell>
                    <Badge size="xs" color={r.passed ? "emerald" : "rose"}>
                      {r.passed ? "pass" : "fail"}
                    </Badge>
                  </TableCell>
                  <TableCell className="font-mono text-xs">{r.kind}</TableCell>
                  <TableCell className="max-w-[10rem] truncate font-mono text-xs" title={r.column ?? undefined}>
                    {r.column ?? "—"}
                  </TableCell>
                  <TableCell className="max-w-[14rem] whitespace-normal break-words text-xs tabular-nums" data-observed>
                    {formatJsonValue(r.observed)}
                  </TableCell>
                  <TableCell className="max-w-[14rem] whitespace-normal break-words text-xs tabular-nums">{formatJsonValue(r.expected)}</TableCell>
                  <TableCell className="max-w-md whitespace-normal text-xs text-gray-700">{r.message}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </Section>
  );
}
