"use client";

import { BarChart, BarList, Card } from "@tremor/react";
import { Section } from "../../../../../../_components/states";
import { axisWidth, formatCount, formatPercent } from "../../../../../../_lib/format";
import type { ColumnProfile, StoredProfile, Quantiles } from "@/server/datasets/schemas";
import { formatColumnValue, histogramRows, topValueRows } from "./profile-format";
import { TypeBadge } from "./schema-table";

const QUANTILE_KEYS: (keyof Quantiles)[] = ["p1", "p5", "p25", "p50", "p75", "p95", "p99"];

/** One card per column: its distribution as the drift reference stores it, and its quantiles. */
export function ColumnProfiles({ profile, exact }: { profile: StoredProfile; exact: Record<string, { label: string; count: number }[]> }) {
  return (
    <Section
      title="Column profiles"
      description="Histograms for numeric and date columns (integer and few-valued columns: one bar per value or whole-number ranges, exact counts), the most frequent values for the others."
    >
      <ul className="grid gap-4 lg:grid-cols-2" aria-label="Column profiles">
        {profile.columns.map((c) => (
          <li key={c.name}>
            <ColumnCard column={c} exact={exact[c.name]} />
          </li>
        ))}
      </ul>
    </Section>
  );
}

function ColumnCard({ column: c, exact }: { column: ColumnProfile; exact?: { label: string; count: number }[] }) {
  const bins = histogramRows(c, exact);
  const top = topValueRows(c);
  return (
    <Card className="h-full p-4" data-profile-column={c.name}>
      <div className="flex items-center justify-between gap-2">
        <p className="min-w-0 truncate font-mono text-sm font-medium text-gray-900" title={c.name}>
          {c.name}
        </p>
        <TypeBadge type={c.type} />
      </div>
      <p className="mt-1 text-xs text-gray-500">
        {formatCount(c.count)} values · {formatPercent(c.missingShare)} missing · {c.distinctApprox ? "≈" : ""}
        {formatCount(c.distinct)} distinct
      </p>
      {bins.length > 0 ? (
        <BarChart
          className="mt-3 h-44"
          data={bins}
          index="bin"
          categories={["rows"]}
          colors={["blue"]}
          showLegend={false}
          yAxisWidth={axisWidth(bins.map((b) => b.rows))}
          barCategoryGap="8%"
          valueFormatter={(n) => formatCount(n)}
          data-chart="histogram"
        />
      ) : top.length > 0 ? (
        <div className="mt-3 max-h-56 overflow-y-auto pr-1" data-chart="top-values">
          <BarList data={top} color="amber" valueFormatter={(n: number) => formatCount(n)} />
        </div>
      ) : (
        <p className="mt-3 text-sm text-gray-400">No values to chart.</p>
      )}
      {c.quantiles ? (
        <dl className={`mt-3 grid gap-1 border-t border-gray-100 pt-2 text-center ${c.type === "datetime" ? "grid-cols-4 gap-y-2" : "grid-cols-7"}`} aria-label={`Quantiles of ${c.name}`}>
          {QUANTILE_KEYS.map((k) => (
            <div key={k} className="min-w-0">
              <dt className="text-[10px] uppercase text-gray-400">{k}</dt>
              <dd className="truncate text-xs tabular-nums text-gray-800" title={formatColumnValue(c, c.quantiles?.[k])}>
                {formatColumnValue(c, c.quantiles?.[k])}
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
    </Card>
  );
}
