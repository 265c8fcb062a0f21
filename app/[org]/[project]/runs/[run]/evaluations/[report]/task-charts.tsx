"use client";

import { BarChart, LineChart } from "@tremor/react";
import type { ReactNode } from "react";
import type { StoredBinaryReport as BinaryReport, StoredRegressionReport as RegressionReport } from "@/server/evaluation/schemas";
import { Section } from "../../../../../../_components/states";
import { formatCount, formatPercent, formatStat } from "../../../../../../_lib/format";
import { CurveChart } from "./curve-chart";
import { curveRows, histogramRows } from "./report-data";

const probability = (v: number) => formatStat(v);


/** A chart with a caption, or the reason the report gives for not having one. */
function Figure({ name, title, caption, reason, children }: { name: string; title: string; caption?: string; reason?: string | null; children: ReactNode }) {
  return (
    <figure className="min-w-0 rounded-lg border border-gray-200 bg-white p-4" data-chart={name}>
      <figcaption className="flex flex-wrap items-baseline justify-between gap-2">
        <span className="text-sm font-medium text-gray-900">{title}</span>
        {caption ? <span className="text-xs text-gray-400">{caption}</span> : null}
      </figcaption>
      {reason ? <p className="mt-3 flex h-60 items-center justify-center rounded-md bg-gray-50 px-4 text-center text-sm text-gray-500">{reason}</p> : children}
    </figure>
  );
}

export function RegressionCharts({ report }: { report: RegressionReport }) {
  return (
    <Section title="Residuals" description="Distribution of y_true − y_pred on the evaluated rows: centred on 0 for an unbiased model, narrow for an accurate one.">
      <Figure name="residuals" title="Residual histogram" caption={`${formatCount(report.rowCount)} rows`} reason={report.residualHistogram.length ? null : "No rows."}>
        <BarChart
          className="mt-3 h-64"
          data={histogramRows(report.residualHistogram)}
          index="bin"
          categories={["rows"]}
          colors={["blue"]}
          valueFormatter={formatCount}
          showLegend={false}
          showAnimation={false}
          xAxisLabel="residual"
          yAxisLabel="rows"
        />
      </Figure>
    </Section>
  );
}

function ConfusionMatrix({ report }: { report: BinaryReport }) {
  const { tn, fp, fn, tp } = report.confusionMatrix;
  const total = tn + fp + fn + tp || 1;
  const cell = (label: string, n: number, good: boolean) => (
    <td className={`border border-gray-200 px-4 py-3 text-center ${good ? "bg-emerald-50" : "bg-rose-50"}`} data-cell={label}>
      <span className="block text-lg font-semibold tabular-nums text-gray-900">{formatCount(n)}</span>
      <span className="block text-xs text-gray-500">
        {label} · {formatPercent(n / total)}
      </span>
    </td>
  );
  return (
    <div>
      <table className="text-sm" aria-label="Confusion matrix">
        <thead>
          <tr>
            <th />
            <th className="px-4 pb-1 text-xs font-medium text-gray-500">predicted negative</th>
            <th className="px-4 pb-1 text-xs font-medium text-gray-500">predicted positive</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th className="pr-3 text-right text-xs font-medium text-gray-500">actual negative</th>
            {cell("TN", tn, true)}
            {cell("FP", fp, false)}
          </tr>
          <tr>
            <th className="pr-3 text-right text-xs font-medium text-gray-500">actual positive</th>
            {cell("FN", fn, false)}
            {cell("TP", tp, true)}
          </tr>
        </tbody>
      </table>
      <p className="mt-2 text-xs text-gray-500">
        Positive when the score is ≥ {formatStat(report.threshold)}. {formatCount(report.positives)} positives, {formatCount(report.negatives)} negatives
        {report.scoresAreProbabilities ? "." : "; the scores are not probabilities, so log loss and calibration are not defined."}
      </p>
    </div>
  );
}

export function BinaryCharts({ report }: { report: BinaryReport }) {
  const positiveRate = report.rowCount ? report.positives / report.rowCount : 0;
  const roc = report.rocCurve.points ? curveRows(report.rocCurve.points.map((p) => ({ x: p.fpr, y: p.tpr })), "model", { name: "chance", y: (x) => x }) : [];
  const pr = report.prCurve.points ? curveRows(report.prCurve.points.map((p) => ({ x: p.recall, y: p.precision })), "model", { name: "positive rate", y: () => positiveRate }) : [];
  const calibration = (report.calibration.points ?? []).map((b) => ({ bin: `${formatStat(b.lower)}–${formatStat(b.upper)}`, observed: b.fractionPositive, predicted: b.meanPredicted, rows: b.count }));

  return (
    <Section title="Classification" description="How the scores separate the classes, at the report's threshold and across all thresholds.">
      <ConfusionMatrix report={report} />
      <div className="grid gap-4 lg:grid-cols-3">
        <Figure name="roc" title="ROC curve" caption="true vs false positive rate" reason={report.rocCurve.reason}>
          <CurveChart data={roc} categories={["model", "chance"]} colors={["blue", "gray"]} xLabel="false positive rate" yLabel="true positive rate" />
        </Figure>
        <Figure name="pr" title="Precision–recall curve" caption="precision vs recall" reason={report.prCurve.reason}>
          <CurveChart data={pr} categories={["model", "positive rate"]} colors={["blue", "gray"]} xLabel="recall" yLabel="precision" />
        </Figure>
        <Figure name="calibration" title="Calibration" caption="observed positive rate per score bin" reason={report.calibration.reason}>
          <LineChart
            className="mt-3 h-60"
            data={calibration}
            index="bin"
            categories={["observed", "predicted"]}
            colors={["blue", "gray"]}
            valueFormatter={probability}
            minValue={0}
            maxValue={1}
            showAnimation={false}
            curveType="linear"
            yAxisWidth={48}
            xAxisLabel="predicted probability"
          />
        </Figure>
      </div>
    </Section>
  );
}
