"use client";

import { Section } from "../../../../_components/states";
import { formatMetric } from "../_components/format";
import type { CompareData } from "../_components/types";
import type { LabelledRun } from "./run-labels";
import { RunHeaderCells, stickyCell } from "./table-parts";

/** Last value of every metric per run; the best run per metric (by the server's goal) stands out. */
export function MetricsTable({ data, runs, runsHref }: { data: CompareData; runs: LabelledRun[]; runsHref: string }) {
  if (data.best.length === 0) return null;
  return (
    <Section
      title="Metrics"
      description={data.warnings.length ? "Last logged value. The runs used different data or targets (see Data above), so the highlighted best does not rank them." : "Last logged value; the best run per metric is highlighted."}
    >
      <div className="overflow-x-auto">
        <table className="min-w-full text-sm" aria-label="Metrics by run">
          <thead>
            <tr className="border-b border-gray-200 text-left text-xs text-gray-600">
              <th className={`${stickyCell} px-3 py-2 font-medium`}>Metric</th>
              <RunHeaderCells runs={runs} runsHref={runsHref} />
            </tr>
          </thead>
          <tbody>
            {data.best.map((b) => (
              <tr key={b.key} data-metric-row={b.key} className="border-b border-gray-100">
                <th scope="row" className={`${stickyCell} px-3 py-1.5 text-left font-normal`}>
                  <span className="font-mono text-xs text-gray-900">{b.key}</span>
                  <span className="ml-2 text-xs text-gray-400" title={b.goal === "min" ? "Lower is better" : "Higher is better"}>
                    {b.goal === "min" ? "↓ min" : "↑ max"}
                  </span>
                </th>
                {runs.map(({ run }) => {
                  const value = run.metrics.find((m) => m.key === b.key)?.last;
                  const best = b.best?.runId === run.id;
                  return (
                    <td
                      key={run.id}
                      data-best={best ? "true" : undefined}
                      className={`px-3 py-1.5 text-right tabular-nums ${best ? "bg-emerald-50 font-semibold text-emerald-800" : "text-gray-800"}`}
                    >
                      {formatMetric(value)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Section>
  );
}

