"use client";

import { Badge, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import Link from "next/link";
import type { ReactNode } from "react";
import { RelativeTime } from "../../../../../_components/relative-time";
import { ErrorState, LoadingRows, Section } from "../../../../../_components/states";
import type { RouterOutputs } from "../../../../../_lib/trpc";
import { EvaluationsCompare } from "./evaluations-compare";

export type EvaluationSummary = RouterOutputs["training"]["evaluations"][number];

const COLOR = { PENDING: "gray", RUNNING: "blue", DONE: "emerald", FAILED: "rose" } as const;

export function EvaluationBadge({ status }: { status: string }) {
  return (
    <Badge size="xs" color={COLOR[status as keyof typeof COLOR] ?? "gray"} data-evaluation-status={status}>
      {status.toLowerCase()}
    </Badge>
  );
}

export const evaluationPending = (status: string) => status === "PENDING" || status === "RUNNING";

interface Props {
  reportHref: (id: string) => string;
  query: { isPending: boolean; error: unknown; data?: EvaluationSummary[]; refetch: () => unknown };
  /** What to say when there are none: a finished run, one still training, or one without a model. */
  emptyText: string;
  children?: ReactNode;
}

/** The run's evaluation reports (one per dataset version and split), newest first. */
export function EvaluationsCard({ reportHref, query, emptyText, children }: Props) {
  return (
    <Section
      title="Evaluations"
      description="Reports of the model scored on a dataset split: metrics, curves, slices, fairness and robustness. Only the report on the training data sets the run's own metrics (test/rmse…); others are kept per version and split."
    >
      {query.isPending ? (
        <LoadingRows rows={2} label="Loading evaluations" />
      ) : query.error ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : !query.data || query.data.length === 0 ? (
        <p className="text-sm text-gray-500">{emptyText}</p>
      ) : (
        <Table aria-label="Evaluations">
          <TableHead>
            <TableRow>
              <TableHeaderCell>Data</TableHeaderCell>
              <TableHeaderCell>Split</TableHeaderCell>
              <TableHeaderCell>Status</TableHeaderCell>
              <TableHeaderCell>Updated</TableHeaderCell>
              <TableHeaderCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {query.data.map((e) => (
              <TableRow key={e.id} data-evaluation={e.id}>
                <TableCell className="font-mono text-xs">
                  {e.versionLabel}
                  {e.onTrainingData ? <span className="ml-2 font-sans text-[11px] text-blue-700">training data</span> : null}
                </TableCell>
                <TableCell>{e.split}</TableCell>
                <TableCell>
                  <EvaluationBadge status={e.status} />
                  {e.error ? <span className="ml-2 text-xs text-rose-600">{e.error}</span> : null}
                </TableCell>
                <TableCell className="text-gray-500">
                  <RelativeTime date={e.updatedAt} />
                </TableCell>
                <TableCell className="text-right">
                  <Link href={reportHref(e.id)} className="text-sm text-blue-700 hover:underline">
                    {e.status === "DONE" ? "Open report" : "View"}
                  </Link>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {query.data ? <EvaluationsCompare reports={query.data} /> : null}
      {children}
    </Section>
  );
}
