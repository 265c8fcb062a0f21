"use client";

import { LineChart, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import type { RobustnessRow } from "@/server/evaluation/schemas";
import { EmptyState, Section } from "../../../../../../_components/states";
import { formatCount, formatStat } from "../../../../../../_lib/format";
import { RUN_COLORS } from "../../../_components/chart-data";
import { metricLabel, PERTURBATION_LABELS, robustnessSeries } from "./report-data";
import { goalOf } from "@/server/runs/schemas";

function Delta({ row }: { row: RobustnessRow }) {
  if (row.delta === null) return <span className="text-gray-400">—</span>;
  const worse = goalOf(row.metric) === "max" ? row.delta < 0 : row.delta > 0;
  return <span className={Math.abs(row.delta) < 1e-12 ? "text-gray-500" : worse ? "text-rose-600" : "text-emerald-600"}>{`${row.delta > 0 ? "+" : ""}${formatStat(row.delta)}`}</span>;
}

/** The metric as inputs are perturbed: noise on numeric features, then features going missing. */
export function RobustnessSection({ rows, sample }: { rows: RobustnessRow[]; sample: { rows: number; of: number } | null }) {
  if (rows.length === 0) {
    return (
      <Section title="Robustness">
        <EmptyState title="No robustness probes">The model has no numeric features to perturb.</EmptyState>
      </Section>
    );
  }
  const metric = rows[0]!.metric;
  const series = robustnessSeries(rows);
  return (
    <Section
      title="Robustness"
      description={`${metricLabel(metric)} as inputs are perturbed (after encoding: noise is added to parsed numbers); level 0 is the unperturbed baseline (${formatStat(rows[0]!.baseline)}).`}
    >
      {sample && sample.rows < sample.of ? (
        <p className="rounded-md border border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-800" data-robustness-sample>
          Computed on a seeded sample of {formatCount(sample.rows)} of the {formatCount(sample.of)} scored rows: the baseline and every probe use that sample, so the baseline can differ from the metrics above.
        </p>
      ) : sample ? (
        <p className="text-sm text-gray-500" data-robustness-sample>
          Computed on all {formatCount(sample.of)} scored rows.
        </p>
      ) : null}
      <div className="grid gap-4 lg:grid-cols-2">
        {series.map((s) => {
          const labels = PERTURBATION_LABELS[s.perturbation] ?? { title: s.perturbation, level: "level" };
          return (
            <figure key={s.perturbation} className="min-w-0 rounded-lg border border-gray-200 p-4" data-chart={`robustness-${s.perturbation}`}>
              <figcaption className="text-sm font-medium text-gray-900">
                {labels.title} <span className="font-normal text-gray-400">· {metricLabel(metric)} vs {labels.level}</span>
              </figcaption>
              <LineChart
                className="mt-3 h-60"
                data={s.rows}
                index="level"
                categories={s.lines}
                colors={s.lines.map((_, i) => RUN_COLORS[i % RUN_COLORS.length]!)}
                valueFormatter={formatStat}
                autoMinValue
                connectNulls
                showAnimation={false}
                curveType="linear"
                yAxisWidth={56}
                xAxisLabel={labels.level}
              />
              {s.flat.length || s.hidden.length ? (
                <p className="mt-2 text-xs text-gray-500" data-robustness-unchanged>
                  {s.flat.length ? `No effect (not drawn): ${s.flat.join(", ")}. ` : ""}
                  {s.hidden.length ? `Smaller effects in the table below: ${s.hidden.join(", ")}.` : ""}
                </p>
              ) : null}
            </figure>
          );
        })}
      </div>
      <details>
        <summary className="cursor-pointer text-sm text-gray-600">All {rows.length} probes</summary>
        <div className="mt-2 max-h-96 overflow-auto">
          <Table aria-label="Robustness probes">
            <TableHead>
              <TableRow>
                <TableHeaderCell>Perturbation</TableHeaderCell>
                <TableHeaderCell>Feature</TableHeaderCell>
                <TableHeaderCell className="text-right">Level</TableHeaderCell>
                <TableHeaderCell className="text-right">{metricLabel(metric)}</TableHeaderCell>
                <TableHeaderCell className="text-right">Change</TableHeaderCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((r, i) => (
                <TableRow key={i} data-probe={`${r.perturbation}:${r.feature ?? "all"}:${r.level}`}>
                  <TableCell>{PERTURBATION_LABELS[r.perturbation]?.title ?? r.perturbation}</TableCell>
                  <TableCell className="font-mono text-xs">{r.feature ?? "all features"}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatStat(r.level)}</TableCell>
                  <TableCell className="text-right tabular-nums" title={r.reason ?? undefined}>
                    {r.value === null ? <span className="text-gray-400">— ({r.reason})</span> : formatStat(r.value)}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">
                    <Delta row={r} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      </details>
    </Section>
  );
}
