"use client";

import { BarChart, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import type { ShadowReportDto } from "@/server/deployments/schemas";
import { formatCount, formatPercent, formatStat } from "../../../../../_lib/format";

function Stat({ label, value, id }: { label: string; value: string; id: string }) {
  return (
    <div className="rounded-md border border-gray-200 px-3 py-2" data-shadow-stat={id}>
      <p className="text-xs text-gray-500">{label}</p>
      <p className="text-lg font-semibold tabular-nums text-gray-900">{value}</p>
    </div>
  );
}

/** Stable's answers against the shadow candidate's on the same mirrored requests, overall and per segment. */
export function ShadowPanel({ report, label }: { report: ShadowReportDto; label: (id: string) => string }) {
  if (report.pairs === 0) {
    return (
      <p className="rounded-md bg-gray-50 px-4 py-8 text-center text-sm text-gray-500" data-shadow-empty>
        No mirrored pairs yet: each request {label(report.stableVersionId)} answers is also scored by {report.candidateVersionId ? label(report.candidateVersionId) : "the candidate"} off
        the response path, and the two are compared here once logged.
      </p>
    );
  }
  const bars = report.segments.map((s) => ({ segment: s.value, "agreement %": s.agreementRate === null ? null : 100 * s.agreementRate }));
  return (
    <div className="space-y-4">
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        <Stat id="pairs" label="Pairs compared" value={formatCount(report.pairs)} />
        <Stat id="agreement" label="Agreement" value={report.agreementRate === null ? "—" : formatPercent(report.agreementRate)} />
        <Stat id="mean-abs" label="Mean |Δ|" value={formatStat(report.diff?.meanAbs)} />
        <Stat id="p95-abs" label="p95 |Δ|" value={formatStat(report.diff?.p95Abs)} />
        <Stat id="max-abs" label="Max |Δ|" value={formatStat(report.diff?.maxAbs)} />
        <Stat id="mean-signed" label="Mean Δ (cand − stable)" value={formatStat(report.diff?.meanSigned)} />
      </div>
      <p className="text-xs text-gray-500">Agreement: {report.agreementRule}.</p>
      {report.segments.length > 0 ? (
        <div className="grid gap-4 lg:grid-cols-2">
          <figure className="min-w-0" data-shadow-segments-chart>
            <figcaption className="text-sm font-medium text-gray-900">Agreement by {report.segmentBy}</figcaption>
            {report.segments.every((seg) => !seg.agreementRate) ? <p className="text-xs text-gray-500">No bars: no segment has a single agreeing pair.</p> : null}
            <BarChart className="mt-2 h-56" data={bars} index="segment" categories={["agreement %"]} colors={["blue"]} maxValue={100} valueFormatter={(v) => `${formatStat(v)}%`} yAxisWidth={48} showAnimation={false} showLegend={false} />
          </figure>
          <div className="overflow-x-auto">
            <Table aria-label="Shadow segments">
              <TableHead>
                <TableRow>
                  <TableHeaderCell>{report.segmentBy}</TableHeaderCell>
                  <TableHeaderCell className="text-right">Pairs</TableHeaderCell>
                  <TableHeaderCell className="text-right">Agreement</TableHeaderCell>
                  <TableHeaderCell className="text-right">Mean |Δ|</TableHeaderCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {report.segments.map((s) => (
                  <TableRow key={s.value} data-segment={s.value}>
                    <TableCell className="max-w-[12rem] truncate" title={s.value}>
                      {s.value || "(missing)"}
                    </TableCell>
                    <TableCell className="text-right tabular-nums">{formatCount(s.pairs)}</TableCell>
                    <TableCell className="text-right tabular-nums">{s.agreementRate === null ? "—" : formatPercent(s.agreementRate)}</TableCell>
                    <TableCell className="text-right tabular-nums">{formatStat(s.meanAbsDiff)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        </div>
      ) : (
        <p className="text-xs text-gray-500">No segment column: the model has no categorical feature to split the comparison by.</p>
      )}
    </div>
  );
}
