"use client";

import { goalOf } from "@/server/runs/schemas";
import { formatMetric } from "../../_components/format";
import type { EvaluationSummary } from "./evaluations-card";


/**
 * The same model's headline metrics on every dataset version and split it was evaluated on, side by
 * side (v1 vs v2: has the data moved under the model?). The report on the training data is marked:
 * its numbers are also the run's own test metrics.
 */
export function EvaluationsCompare({ reports }: { reports: EvaluationSummary[] }) {
  const done = reports.filter((r) => r.status === "DONE").sort((a, b) => Number(b.onTrainingData) - Number(a.onTrainingData) || a.versionLabel.localeCompare(b.versionLabel) || a.split.localeCompare(b.split));
  if (done.length < 2) return null;
  const metrics = [...new Set(done.flatMap((r) => Object.keys(r.headline)))];
  return (
    <div className="overflow-x-auto" data-evaluations-compare>
      <p className="mb-2 text-sm font-medium text-gray-900">Side by side</p>
      <table className="min-w-full text-sm" aria-label="Evaluations side by side">
        <thead>
          <tr className="border-b border-gray-200 text-left text-xs text-gray-600">
            <th className="px-3 py-2 font-medium">Metric</th>
            {done.map((r) => (
              <th key={r.id} className="px-3 py-2 text-right font-medium">
                <span className="font-mono">{r.versionLabel}</span> · {r.split}
                {r.onTrainingData ? <span className="ml-1 rounded bg-blue-50 px-1 text-[10px] font-medium uppercase text-blue-700" title="The data the run was trained on: these are the run's own metrics">run&apos;s own</span> : null}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {metrics.map((m) => (
            <tr key={m} className="border-b border-gray-100" data-metric-row={m}>
              <th scope="row" className="px-3 py-1.5 text-left font-mono text-xs font-normal text-gray-900">
                {m} <span className="text-gray-400">{goalOf(m) === "min" ? "↓" : "↑"}</span>
              </th>
              {done.map((r) => (
                <td key={r.id} className="px-3 py-1.5 text-right tabular-nums text-gray-800">
                  {formatMetric(r.headline[m] ?? null)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
