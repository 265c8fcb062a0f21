"use client";

import { BarChart } from "@tremor/react";
import { histogramRows } from "../../_components/chart-rows";
import type { RouterOutputs } from "../../../../../_lib/trpc";

type Histogram = RouterOutputs["monitor"]["report"]["histograms"][number];

/** Reference vs current distribution of one feature, both as shares so a small window compares with a big reference. */
export function FeatureHistogram({ histogram }: { histogram: Histogram | undefined }) {
  if (!histogram || histogram.bins.length === 0) {
    return <p className="rounded-md bg-gray-50 px-4 py-8 text-center text-sm text-gray-500">No histogram for this feature in this report (it was skipped or has no values).</p>;
  }
  return (
    <figure className="min-w-0" data-histogram={histogram.feature}>
      <figcaption className="text-sm font-medium text-gray-900">
        <span className="font-mono">{histogram.feature}</span> <span className="font-normal text-gray-400">(% of rows per bin, reference bins)</span>
      </figcaption>
      <BarChart
        className="mt-3 h-64"
        data={histogramRows(histogram.bins)}
        index="bin"
        categories={["Reference", "Current"]}
        colors={["gray", "blue"]}
        valueFormatter={(v: number) => `${v}%`}
        showAnimation={false}
        yAxisWidth={48}
      />
    </figure>
  );
}
