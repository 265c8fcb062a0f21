"use client";

import { BarChart, Card } from "@tremor/react";
import { Section } from "../../../../../_components/states";
import type { RouterOutputs } from "../../../../../_lib/trpc";

type Column = RouterOutputs["dataset"]["compare"]["columns"][number];

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

/** Both versions' distributions on shared bins (or the union of top categories), as shares of rows. */
export function CompareCharts({ columns, baseLabel, targetLabel }: { columns: Column[]; baseLabel: string; targetLabel: string }) {
  const charted = columns.filter((c) => c.chart.length > 0);
  return (
    <Section title="Distributions" description={`Share of rows per bin, on the bins the PSI used (one bar per value for columns with few values): base (${baseLabel}) in grey, target (${targetLabel}) in blue.`}>
      {charted.length === 0 ? (
        <p className="text-sm text-gray-500">No column has a distribution in both versions.</p>
      ) : (
        <ul className="grid gap-4 lg:grid-cols-2" aria-label="Distributions">
          {charted.map((c) => (
            <li key={c.column}>
              <Card className="p-4" data-compare-chart={c.column}>
                <div className="flex items-center justify-between gap-2">
                  <p className="truncate font-mono text-sm font-medium text-gray-900">{c.column}</p>
                  {c.psi !== null ? <span className={`text-xs tabular-nums ${c.drifted ? "font-semibold text-rose-700" : "text-gray-500"}`}>PSI {c.psi.toFixed(3)}</span> : null}
                </div>
                <BarChart
                  className="mt-3 h-48"
                  data={c.chart}
                  index="label"
                  categories={["base", "target"]}
                  colors={["slate", "blue"]}
                  valueFormatter={percent}
                  yAxisWidth={56}
                  barCategoryGap="12%"
                />
              </Card>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
