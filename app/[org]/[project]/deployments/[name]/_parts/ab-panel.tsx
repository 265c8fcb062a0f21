"use client";

import { Badge, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import type { AbReportDto } from "@/server/deployments/schemas";
import { RelativeTime } from "../../../../../_components/relative-time";
import { formatCount, formatStat } from "../../../../../_lib/format";
import { IntervalChart } from "../../../models/_components/interval-chart";

const VERDICT = {
  candidate_better: { word: "candidate better", color: "emerald" },
  stable_better: { word: "stable better", color: "rose" },
  no_difference_yet: { word: "no difference yet", color: "gray" },
  insufficient: { word: "not enough labels", color: "amber" },
} as const;

/** The A/B arms on feedback labels and the candidate-minus-stable difference with its always-valid interval. */
export function AbPanel({ report, label }: { report: AbReportDto; label: (id: string) => string }) {
  const verdict = VERDICT[report.verdict];
  const d = report.difference;
  const better = report.lowerIsBetter ? "lower" : "higher";
  return (
    <div className="space-y-4">
      <p className="flex flex-wrap items-center gap-2 text-sm text-gray-700">
        Metric <span className="font-mono">{report.metric}</span> ({better} is better):
        <Badge size="xs" color={verdict.color} data-ab-verdict={report.verdict}>
          {verdict.word}
        </Badge>
        {report.since ? (
          <span className="text-xs text-gray-500" data-ab-since>
            requests since this candidate started, <RelativeTime date={new Date(report.since)} />
          </span>
        ) : null}
      </p>
      <div className="overflow-x-auto">
        <Table aria-label="A/B arms">
          <TableHead>
            <TableRow>
              <TableHeaderCell>Arm</TableHeaderCell>
              <TableHeaderCell className="text-right">Requests</TableHeaderCell>
              <TableHeaderCell className="text-right">Labelled</TableHeaderCell>
              <TableHeaderCell className="text-right">{report.metric}</TableHeaderCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {report.arms.map((a) => (
              <TableRow key={a.arm} data-ab-arm={a.arm}>
                <TableCell>
                  {a.arm} <span className="text-gray-500">{label(a.versionId)}</span>
                </TableCell>
                <TableCell className="text-right tabular-nums">{formatCount(a.requests)}</TableCell>
                <TableCell className="text-right tabular-nums">{formatCount(a.labelled)}</TableCell>
                <TableCell className="text-right tabular-nums">{formatStat(a.value)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      {d ? (
        <IntervalChart
          label={`${report.metric} difference`}
          rows={[{ label: "candidate − stable", estimate: d.estimate, lower: d.lower, upper: d.upper, passed: report.verdict === "candidate_better" ? true : report.verdict === "stable_better" ? false : undefined }]}
          references={[{ value: 0, label: "no difference", kind: "zero" }]}
          caption={`${formatStat(d.estimate)} [${formatStat(d.lower)}, ${formatStat(d.upper)}] at ${Math.round((1 - report.alpha) * 100)}% — ${report.method}. The interval stays valid however often it is looked at, so stopping when it clears zero does not inflate false positives.`}
        />
      ) : (
        <p className="rounded-md bg-gray-50 px-4 py-6 text-center text-sm text-gray-500" data-ab-empty>
          No interval yet: it needs feedback labels on requests of both arms (POST …/deployments/{"{name}"}/feedback with the request id). Method: {report.method}
        </p>
      )}
    </div>
  );
}
