"use client";

import { BarChart, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import type { BinarySlice, MetricResult, RegressionSlice } from "@/server/evaluation/schemas";
import { EmptyState, Section } from "../../../../../../_components/states";
import { formatCount, formatStat } from "../../../../../../_lib/format";
import { MetricCell } from "./metric-cards";
import { MAIN_METRIC, metricLabel, type StoredReport } from "./report-data";

const COLUMNS = { regression: ["rmse", "mae", "r2", "mape"], binary: ["rocAuc", "prAuc", "accuracy", "precision", "recall", "f1"] } as const;

/** Metrics per slice of one column, and a bar per slice of the task's main metric. */
export function SlicesSection({ report }: { report: StoredReport }) {
  const slices = report.slices;
  if (!slices) {
    return (
      <Section title="Slices">
        <EmptyState title="No slice column">Re-evaluate with a slice column to see metrics per value or quantile bin of a column.</EmptyState>
      </Section>
    );
  }
  const main = MAIN_METRIC[report.task];
  const rows = (slices.slices as (RegressionSlice | BinarySlice)[]).map((s) => ({
    label: s.label,
    count: s.count,
    positives: "positives" in s ? s.positives : null,
    metrics: s.metrics as Record<string, MetricResult>,
  }));
  const chart = rows.filter((s) => s.metrics[main]?.value !== null && s.metrics[main] !== undefined).map((s) => ({ slice: s.label, [metricLabel(main)]: s.metrics[main]!.value! }));
  const missing = rows.length - chart.length;

  return (
    <Section
      title={`Slices by ${slices.column}`}
      description={slices.kind === "quantile" ? "Numeric column cut into quantile bins." : "One slice per value; rare values are pooled into “other”."}
    >
      <figure className="rounded-lg border border-gray-200 p-4" data-chart="slices">
        <figcaption className="text-sm font-medium text-gray-900">{metricLabel(main)} per slice</figcaption>
        {chart.length ? (
          <BarChart
            className="mt-3 h-56"
            data={chart}
            index="slice"
            categories={[metricLabel(main)]}
            colors={["indigo"]}
            valueFormatter={formatStat}
            showLegend={false}
            showAnimation={false}
            yAxisWidth={56}
          />
        ) : (
          <p className="mt-3 text-sm text-gray-500">No slice has a defined {metricLabel(main)}.</p>
        )}
        {missing > 0 && chart.length ? <p className="mt-2 text-xs text-gray-500">{missing} slice(s) without a value are listed in the table with the reason.</p> : null}
      </figure>
      <div className="overflow-x-auto">
        <Table aria-label="Slice metrics">
          <TableHead>
            <TableRow>
              <TableHeaderCell>{slices.column}</TableHeaderCell>
              <TableHeaderCell className="text-right">Rows</TableHeaderCell>
              {report.task === "binary" ? <TableHeaderCell className="text-right">Positives</TableHeaderCell> : null}
              {COLUMNS[report.task].map((k) => (
                <TableHeaderCell key={k} className="text-right">
                  {metricLabel(k)}
                </TableHeaderCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((s) => (
              <TableRow key={s.label} data-slice={s.label}>
                <TableCell className="font-medium text-gray-900">{s.label}</TableCell>
                <TableCell className="text-right tabular-nums">{formatCount(s.count)}</TableCell>
                {report.task === "binary" ? <TableCell className="text-right tabular-nums">{s.positives === null ? "—" : formatCount(s.positives)}</TableCell> : null}
                {COLUMNS[report.task].map((k) => (
                  <TableCell key={k} className="whitespace-normal text-right tabular-nums" data-metric={k}>
                    <MetricCell metric={s.metrics[k]} />
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
    </Section>
  );
}
