"use client";

import { BarList, ScatterChart } from "@tremor/react";
import { EmptyState, Section } from "../../../../../../_components/states";
import { formatCount, formatStat } from "../../../../../../_lib/format";
import type { StoredReport } from "./report-data";
import { metricLabel } from "./report-data";

/** Which features the model leans on: permutation importance (any model) beside the GBDT's own split gain. */
export function ImportanceSection({ importance }: { importance: StoredReport["importance"] }) {
  if (!importance) {
    return (
      <Section title="Feature importance">
        <EmptyState title="Not computed for this report">Reports made before feature importance was added lack it; evaluate again to get it.</EmptyState>
      </Section>
    );
  }
  const sample = importance.sample.rows < importance.sample.of ? `a seeded sample of ${formatCount(importance.sample.rows)} of ${formatCount(importance.sample.of)} rows` : `all ${formatCount(importance.sample.of)} scored rows`;
  return (
    <Section
      title="Feature importance"
      description={`Permutation importance: how much ${metricLabel(importance.metric)} worsens when one feature's values are shuffled across rows (mean of ${importance.repeats} shuffles, on ${sample}). Zero or below: the model does not rely on it.`}
    >
      <div className="grid gap-6 lg:grid-cols-2">
        <figure className="min-w-0" data-chart="permutation-importance">
          <figcaption className="mb-2 text-sm font-medium text-gray-900">Permutation ({metricLabel(importance.metric)} worse by)</figcaption>
          <BarList
            data={importance.permutation.map((p) => ({ name: p.feature, value: Math.max(0, p.mean) }))}
            valueFormatter={(v: number) => formatStat(v)}
            color="blue"
          />
          <p className="mt-2 text-xs text-gray-500">
            Spread over shuffles: {importance.permutation.slice(0, 3).map((p) => `${p.feature} ± ${formatStat(p.std)}`).join(", ")}
            {importance.permutation.length > 3 ? ", …" : ""}
          </p>
        </figure>
        {importance.gain ? (
          <figure className="min-w-0" data-chart="gain-importance">
            <figcaption className="mb-2 text-sm font-medium text-gray-900">Split gain (the GBDT&apos;s own, share of total)</figcaption>
            <BarList data={importance.gain.map((g) => ({ name: g.feature, value: g.share * 100 }))} valueFormatter={(v: number) => `${v.toFixed(1)}%`} color="violet" />
          </figure>
        ) : (
          <p className="text-sm text-gray-500">Split gain is reported for Cairn&apos;s GBDT models; permutation importance works for any model.</p>
        )}
      </div>
    </Section>
  );
}

/** Regression: each point is a row, actual against predicted; a perfect model puts every point on the diagonal. */
export function PredictedVsActual({ data }: { data: StoredReport["predictedVsActual"] }) {
  if (!data || data.points.length === 0) return null;
  const lo = Math.min(...data.points.flat());
  const hi = Math.max(...data.points.flat());
  const points = data.points.map(([actual, predicted]) => ({ actual, predicted, kind: "rows" }));
  return (
    <Section
      title="Predicted vs actual"
      description={`${data.sampled ? `A seeded sample of ${formatCount(data.points.length)} of ${formatCount(data.rows)} rows` : `All ${formatCount(data.rows)} rows`}. Both axes share one range, so a perfect model puts every point on the diagonal; points above it are over-predictions.`}
    >
      <ScatterChart
        className="h-80"
        data={points}
        x="actual"
        y="predicted"
        category="kind"
        colors={["blue"]}
        showLegend={false}
        minXValue={lo}
        maxXValue={hi}
        minYValue={lo}
        maxYValue={hi}
        xAxisLabel="actual"
        yAxisLabel="predicted"
        yAxisWidth={56}
        valueFormatter={{ x: formatStat, y: formatStat }}
        showAnimation={false}
        data-chart="predicted-vs-actual"
      />
    </Section>
  );
}
