import { Card } from "@tremor/react";
import type { MetricResult } from "@/server/evaluation/schemas";
import { formatMetric, metricLabel, type StoredReport } from "./report-data";

const ORDER = { regression: ["rmse", "mae", "r2", "mape"], binary: ["rocAuc", "prAuc", "accuracy", "f1", "precision", "recall", "logLoss"] } as const;

const HINTS: Record<string, string> = {
  rmse: "root mean squared error; lower is better",
  mae: "mean absolute error; lower is better",
  r2: "share of variance explained; 1 is perfect",
  mape: "mean absolute percentage error, as a fraction",
  rocAuc: "ranking quality; 0.5 is chance",
  prAuc: "average precision",
  logLoss: "lower is better",
};

/** A metric value, or a dash with the reason it is undefined (e.g. a single-class slice has no ROC AUC). */
export function MetricCell({ metric }: { metric: MetricResult | null | undefined }) {
  if (!metric) return <span className="text-gray-400">—</span>;
  if (metric.value === null) {
    return (
      <span className="text-gray-400" title={metric.reason} data-undefined-reason={metric.reason}>
        — <span className="text-xs">({metric.reason})</span>
      </span>
    );
  }
  return <span title={metric.note}>{formatMetric(metric)}</span>;
}

export function MetricCards({ report }: { report: StoredReport }) {
  const metrics: Record<string, MetricResult> = report.metrics;
  return (
    <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4" aria-label="Headline metrics" role="list">
      {ORDER[report.task].map((key) => {
        const m = metrics[key];
        return (
          <Card key={key} className="p-4" role="listitem" data-metric-card={key}>
            <p className="text-xs font-medium uppercase tracking-wide text-gray-500">{metricLabel(key)}</p>
            <p className="mt-1 text-2xl font-semibold tabular-nums text-gray-900" data-value>
              {formatMetric(m)}
            </p>
            <p className="mt-0.5 text-xs text-gray-500">{m && m.value === null ? m.reason : (m?.note ?? HINTS[key] ?? "")}</p>
          </Card>
        );
      })}
    </div>
  );
}
