"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Select, SelectItem } from "@tremor/react";
import { useEffect, useState } from "react";
import { useProject } from "../../../../../_components/org-context";
import { ErrorState, LoadingRows, Section } from "../../../../../_components/states";
import { formatCount, formatPercent, formatStat } from "../../../../../_lib/format";
import { useTRPC, type RouterOutputs } from "../../../../../_lib/trpc";
import { datasetWindowLabel } from "@/server/monitoring/schemas";
import { VerdictBadge } from "../../_components/badges";
import { windowLabel } from "../../_components/chart-rows";
import { FeatureHistogram } from "./histograms";
import { FeatureTable, statisticName } from "./feature-table";

type Report = RouterOutputs["monitor"]["reports"][number];

/** One data report in full: summary, the feature table, and reference vs current histograms of a chosen feature. */
export function ReportSection({ monitorName, reports, mode }: { monitorName: string; reports: readonly Report[]; mode: string }) {
  const trpc = useTRPC();
  const project = useProject();
  const [chosen, setChosen] = useState<string | null>(null);
  const [feature, setFeature] = useState<string | null>(null);
  const reportId = chosen ?? reports[0]?.id ?? null;
  const detail = useQuery(trpc.monitor.report.queryOptions({ projectId: project.id, name: monitorName, reportId: reportId ?? "" }, { enabled: reportId !== null, placeholderData: keepPreviousData }));
  // A partial window's report is rewritten in place (same id) by later runs until the window closes:
  // when the list shows it written anew, the detail read before is stale.
  const writtenAt = reports.find((r) => r.id === reportId)?.createdAt.getTime();
  const readAt = detail.data?.id === reportId ? detail.data.createdAt.getTime() : undefined;
  const { refetch } = detail;
  useEffect(() => {
    if (writtenAt !== undefined && readAt !== undefined && readAt < writtenAt) void refetch();
  }, [writtenAt, readAt, refetch]);

  const picker =
    reports.length > 1 ? (
      <Select value={reportId ?? ""} onValueChange={setChosen} enableClear={false} className="w-56" aria-label="Report">
        {reports.map((r, i) => (
          <SelectItem key={r.id} value={r.id}>
            {datasetWindowLabel(r.figures) ?? `${windowLabel(r.windowEnd)} UTC`}{i === 0 ? " (latest)" : ""}
          </SelectItem>
        ))}
      </Select>
    ) : null;

  if (reportId === null) {
    return (
      <Section title="Report">
        <p className="rounded-md bg-gray-50 px-4 py-8 text-center text-sm text-gray-500" data-report-empty>
          No report yet. Press &ldquo;Run now&rdquo; to compute the current window, or wait for the schedule.
        </p>
      </Section>
    );
  }
  const d = detail.data;
  const judgedVersion = d ? datasetWindowLabel(d.figures) : null;
  const shown = feature && d?.features.some((f) => f.feature === feature) ? feature : (d?.features.find((f) => f.drifted)?.feature ?? d?.features[0]?.feature ?? null);
  return (
    <Section
      title="Report"
      description={mode === "calibrated" ? "Calibrated mode: each threshold is the (1 − α) quantile of the statistic over reference windows of this size; the effect must also pass its floor." : "Evidently mode: Evidently's fixed default thresholds."}
      actions={picker}
    >
      {detail.isPending ? (
        <LoadingRows rows={4} label="Loading report" />
      ) : detail.error ? (
        <ErrorState error={detail.error} onRetry={() => void detail.refetch()} title="Could not load this report" />
      ) : d ? (
        <div className="space-y-5" data-report={d.id} data-report-verdict={d.verdict}>
          <dl className="grid gap-4 text-sm sm:grid-cols-4">
            <div>
              <dt className="text-xs text-gray-500">Verdict</dt>
              <dd className="mt-0.5">
                <VerdictBadge verdict={d.verdict} />
              </dd>
            </div>
            <div>
              <dt className="text-xs text-gray-500">{judgedVersion ? "Window" : "Window (UTC)"}</dt>
              {judgedVersion ? (
                <dd className="mt-0.5 text-gray-900" data-report-dataset={judgedVersion} title={`Version created ${windowLabel(d.windowStart)} UTC`}>
                  {judgedVersion}
                </dd>
              ) : (
                <dd className="mt-0.5 text-gray-900">
                  {windowLabel(d.windowStart)} – {windowLabel(d.windowEnd)}
                </dd>
              )}
            </div>
            <div>
              <dt className="text-xs text-gray-500">Rows</dt>
              <dd className="mt-0.5 font-mono text-gray-900">{formatCount(d.rows)}</dd>
            </div>
            <div>
              <dt className="text-xs text-gray-500">Features drifted</dt>
              <dd className="mt-0.5 font-mono text-gray-900" data-drift-share={d.datasetDriftShare ?? ""}>
                {d.datasetDriftShare === null ? "—" : `${formatPercent(d.datasetDriftShare, 0)} (${d.features.filter((f) => f.drifted).length} of ${d.features.length})`}
              </dd>
            </div>
          </dl>
          {d.note ? <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">{d.note}</p> : null}
          {d.predictionDrift ? (
            <p className="text-sm text-gray-700" data-prediction-drift={d.predictionDrift.drifted}>
              Predictions: {statisticName(d.predictionDrift.statistic)} {formatStat(d.predictionDrift.value)} against threshold {formatStat(d.predictionDrift.threshold)} —{" "}
              <VerdictBadge verdict={d.predictionDrift.drifted ? "drifted" : "ok"} />
            </p>
          ) : null}
          {d.features.length > 0 ? <FeatureTable features={d.features} selected={shown} onSelect={setFeature} /> : null}
          {shown ? <FeatureHistogram histogram={d.histograms.find((h) => h.feature === shown)} /> : null}
        </div>
      ) : null}
    </Section>
  );
}
