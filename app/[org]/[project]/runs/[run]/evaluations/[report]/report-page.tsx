"use client";

import { useQuery } from "@tanstack/react-query";
import { Callout } from "@tremor/react";
import type { ReactNode } from "react";
import { Breadcrumbs } from "../../../../../../_components/breadcrumbs";
import { useOrg, useProject } from "../../../../../../_components/org-context";
import { RelativeTime } from "../../../../../../_components/relative-time";
import { ErrorState, LoadingRows, Section } from "../../../../../../_components/states";
import { formatCount } from "../../../../../../_lib/format";
import { useTRPC, type RouterOutputs } from "../../../../../../_lib/trpc";
import { EvaluationBadge, evaluationPending } from "../../training/evaluations-card";
import { EvaluateForm } from "./evaluate-form";
import { FairnessSection } from "./fairness-section";
import { MetricCards } from "./metric-cards";
import type { StoredReport } from "./report-data";
import { ImportanceSection, PredictedVsActual } from "./importance-section";
import { RobustnessSection } from "./robustness-section";
import { SlicesSection } from "./slices-section";
import { BinaryCharts, RegressionCharts } from "./task-charts";

type Evaluation = RouterOutputs["training"]["evaluation"];

/** A queued or running evaluation finishes within seconds to minutes; the page asks this often. */
const POLL_MS = 1_500;

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-gray-500">{label}</dt>
      <dd className="mt-0.5 truncate text-sm text-gray-900">{children}</dd>
    </div>
  );
}

function ReportHeader({ evaluation, report }: { evaluation: Evaluation; report: StoredReport | null }) {
  return (
    <div className="rounded-lg border border-gray-200 bg-white p-5 shadow-sm">
      <h2 className="flex flex-wrap items-center gap-2 text-lg font-semibold text-gray-900">
        Evaluation on <span className="font-mono">{evaluation.versionLabel}</span> · {evaluation.split} split
        <EvaluationBadge status={evaluation.status} />
        {evaluation.allowFailedValidation ? (
          <span className="rounded bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-800 ring-1 ring-amber-200" data-failed-validation-override>
            version failed its data contract (override)
          </span>
        ) : null}
      </h2>
      <dl className="mt-4 grid grid-cols-2 gap-x-6 gap-y-3 sm:grid-cols-3 lg:grid-cols-6">
        <Fact label="Task">{report ? (report.task === "binary" ? "classification" : "regression") : "—"}</Fact>
        <Fact label="Target">{report ? <span className="font-mono">{report.target}</span> : "—"}</Fact>
        <Fact label="Features">{report ? <span title={report.features.join(", ")}>{report.features.length}</span> : "—"}</Fact>
        <Fact label="Rows scored">{report ? formatCount(report.scoring.rows) : "—"}</Fact>
        <Fact label="Scoring time">{report ? `${formatCount(report.scoring.ms)} ms` : "—"}</Fact>
        <Fact label="Updated">
          <RelativeTime date={evaluation.updatedAt} />
        </Fact>
      </dl>
    </div>
  );
}

function RowErrorsNote({ report }: { report: StoredReport }) {
  const e = report.rowErrors;
  const kind = { absolute_error: "absolute errors", log_loss: "log losses", zero_one: "0/1 losses" }[e.kind];
  return (
    <p className="rounded-md border border-gray-200 bg-gray-50 px-4 py-3 text-sm text-gray-600" data-row-errors>
      Per-row {kind} are kept with this report for paired statistical tests against other models (e.g. a gate&apos;s must-beat-champion check):{" "}
      {e.sampled
        ? `a seeded sample of ${formatCount(e.values.length)} of ${formatCount(e.totalRows)} rows (seed ${e.seed}).`
        : `all ${formatCount(e.totalRows)} rows.`}
    </p>
  );
}

export function ReportPage({ runId, reportId }: { runId: string; reportId: string }) {
  const trpc = useTRPC();
  const { org } = useOrg();
  const project = useProject();
  const runsHref = `/${org.slug}/${project.slug}/runs`;
  const run = useQuery(trpc.run.get.queryOptions({ projectId: project.id, runId }));
  const evaluation = useQuery(
    trpc.training.evaluation.queryOptions({ projectId: project.id, reportId }, { refetchInterval: (q) => (q.state.data && evaluationPending(q.state.data.status) ? POLL_MS : false) }),
  );
  const version = useQuery(trpc.dataset.version.queryOptions({ projectId: project.id, versionId: evaluation.data?.versionId ?? "" }, { enabled: !!evaluation.data }));
  const report = evaluation.data?.report ?? null;

  let body: ReactNode;
  if (evaluation.isPending) body = <LoadingRows rows={6} label="Loading evaluation" />;
  else if (evaluation.error) body = <ErrorState error={evaluation.error} onRetry={() => void evaluation.refetch()} title="Could not load this evaluation" />;
  else if (evaluation.data.runId !== runId) body = <ErrorState title="Not this run's evaluation" error={new Error("The report belongs to another run.")} />;
  else if (evaluationPending(evaluation.data.status)) {
    body = (
      <>
        <ReportHeader evaluation={evaluation.data} report={null} />
        <Callout title={evaluation.data.status === "PENDING" ? "Queued for evaluation" : "Evaluating"} color="blue" role="status" data-evaluation-waiting>
          A worker scores the split with the run&apos;s model.onnx, then computes the metrics, slices, fairness and robustness probes. This page updates by itself.
        </Callout>
        <LoadingRows rows={4} label="Waiting for the report" />
      </>
    );
  } else if (evaluation.data.status === "FAILED") {
    body = (
      <>
        <ReportHeader evaluation={evaluation.data} report={null} />
        <Callout title="Evaluation failed" color="rose" role="alert">
          {evaluation.data.error ?? "The worker could not evaluate the model."}
        </Callout>
      </>
    );
  } else if (!report) {
    body = <ErrorState title="No report" error={new Error("The evaluation finished but its report is missing or in an unknown format.")} />;
  } else {
    body = (
      <>
        <ReportHeader evaluation={evaluation.data} report={report} />
        <MetricCards report={report} />
        {report.task === "binary" ? <BinaryCharts report={report} /> : <RegressionCharts report={report} />}
        {report.task === "regression" ? <PredictedVsActual data={report.predictedVsActual} /> : null}
        <ImportanceSection importance={report.importance} />
        <SlicesSection report={report} />
        <FairnessSection report={report} />
        <RobustnessSection rows={report.robustness ?? []} sample={report.robustnessSample ?? null} />
        <RowErrorsNote report={report} />
      </>
    );
  }

  const finished = evaluation.data && !evaluationPending(evaluation.data.status);
  return (
    <div className="space-y-6">
      <Breadcrumbs items={[{ label: "Runs", href: runsHref }, { label: run.data ? `${run.data.name} #${run.data.number}` : "Run", href: `${runsHref}/${runId}` }, { label: "Evaluation" }]} />
      {body}
      {finished && evaluation.data.runId === runId ? (
        <Section title="Evaluate again" description="Score this run's model on another dataset version or split, with other slice and sensitive columns.">
          {version.data ? (
            <EvaluateForm
              runId={runId}
              binary={report?.task === "binary"}
              initial={{ datasetId: version.data.datasetId, versionId: version.data.id, split: evaluation.data.split, sliceColumn: report?.options.sliceColumn, sensitiveColumn: report?.options.sensitiveColumn }}
            />
          ) : version.error ? (
            <EvaluateForm runId={runId} binary={report?.task === "binary"} />
          ) : (
            <LoadingRows rows={2} label="Loading evaluation form" />
          )}
        </Section>
      ) : null}
    </div>
  );
}
