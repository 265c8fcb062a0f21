"use client";

import { Card, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import type { DecisionFairness, ErrorFairness, MetricResult } from "@/server/evaluation/schemas";
import { EmptyState, Section } from "../../../../../../_components/states";
import { formatCount, formatStat } from "../../../../../../_lib/format";
import { MetricCell } from "./metric-cards";
import type { StoredReport } from "./report-data";

function Headline({ label, metric, hint }: { label: string; metric: MetricResult; hint: string }) {
  return (
    <Card className="p-3" data-fairness-headline={label}>
      <p className="text-xs font-medium text-gray-500">{label}</p>
      <p className="mt-0.5 text-xl font-semibold tabular-nums text-gray-900">
        <MetricCell metric={metric} />
      </p>
      <p className="mt-0.5 text-xs text-gray-500">{hint}</p>
    </Card>
  );
}

function DecisionView({ fairness }: { fairness: DecisionFairness }) {
  return (
    <div className="space-y-3">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
        <Headline label="Demographic parity difference" metric={fairness.demographicParityDifference} hint="max − min selection rate; 0 is parity" />
        <Headline label="Disparate impact ratio" metric={fairness.disparateImpactRatio} hint="min ÷ max selection rate; below 0.8 fails the four-fifths rule" />
        <Headline label="TPR difference" metric={fairness.truePositiveRateDifference} hint="equal opportunity gap" />
        <Headline label="FPR difference" metric={fairness.falsePositiveRateDifference} hint="false alarm gap" />
        <Headline label="Equalized odds difference" metric={fairness.equalizedOddsDifference} hint="the larger of the TPR and FPR gaps" />
      </div>
      <div className="overflow-x-auto">
        <Table aria-label="Fairness by group">
          <TableHead>
            <TableRow>
              <TableHeaderCell>{fairness.column}</TableHeaderCell>
              <TableHeaderCell className="text-right">Rows</TableHeaderCell>
              <TableHeaderCell className="text-right">Positives</TableHeaderCell>
              <TableHeaderCell className="text-right">Predicted positive</TableHeaderCell>
              <TableHeaderCell className="text-right">Selection rate</TableHeaderCell>
              <TableHeaderCell className="text-right">TPR</TableHeaderCell>
              <TableHeaderCell className="text-right">FPR</TableHeaderCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {fairness.groups.map((g) => (
              <TableRow key={g.label} data-group={g.label}>
                <TableCell className="font-medium text-gray-900">{g.label}</TableCell>
                <TableCell className="text-right tabular-nums">{formatCount(g.count)}</TableCell>
                <TableCell className="text-right tabular-nums">{formatCount(g.positives)}</TableCell>
                <TableCell className="text-right tabular-nums">{formatCount(g.predictedPositive)}</TableCell>
                <TableCell className="whitespace-normal text-right tabular-nums">
                  <MetricCell metric={g.selectionRate} />
                </TableCell>
                <TableCell className="whitespace-normal text-right tabular-nums">
                  <MetricCell metric={g.truePositiveRate} />
                </TableCell>
                <TableCell className="whitespace-normal text-right tabular-nums">
                  <MetricCell metric={g.falsePositiveRate} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      <p className="text-xs text-gray-500">
        Decisions at score ≥ {formatStat(fairness.threshold)}. Groups without positive or negative labels {fairness.undefinedRates === "exclude" ? "are left out of the TPR/FPR gaps" : "count as 0 in the gaps"}.
      </p>
    </div>
  );
}

function ErrorView({ fairness }: { fairness: ErrorFairness }) {
  return (
    <div className="space-y-3">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Headline label="MAE gap" metric={fairness.maeGap} hint="largest − smallest group MAE" />
        <Headline label="RMSE gap" metric={fairness.rmseGap} hint="largest − smallest group RMSE" />
      </div>
      <Table aria-label="Fairness by group">
        <TableHead>
          <TableRow>
            <TableHeaderCell>{fairness.column}</TableHeaderCell>
            <TableHeaderCell className="text-right">Rows</TableHeaderCell>
            <TableHeaderCell className="text-right">MAE</TableHeaderCell>
            <TableHeaderCell className="text-right">RMSE</TableHeaderCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {fairness.groups.map((g) => (
            <TableRow key={g.label} data-group={g.label}>
              <TableCell className="font-medium text-gray-900">{g.label}</TableCell>
              <TableCell className="text-right tabular-nums">{formatCount(g.count)}</TableCell>
              <TableCell className="text-right tabular-nums">
                <MetricCell metric={g.mae} />
              </TableCell>
              <TableCell className="text-right tabular-nums">
                <MetricCell metric={g.rmse} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

/** Group-wise behaviour over the sensitive column: decision rates for classifiers, error gaps for regression. */
export function FairnessSection({ report }: { report: StoredReport }) {
  const fairness = report.fairness;
  if (!fairness) {
    return (
      <Section title="Fairness">
        <EmptyState title="No sensitive column">Re-evaluate with a sensitive column to compare the model across its groups.</EmptyState>
      </Section>
    );
  }
  if (report.task === "binary") {
    const decisions = fairness as DecisionFairness;
    return (
      <Section title={`Fairness across ${decisions.column}`} description="Whether the model selects and errs alike across groups.">
        <DecisionView fairness={decisions} />
      </Section>
    );
  }
  const regression = report.fairness!;
  return (
    <Section title={`Fairness across ${regression.errors.column}`} description="Whether the model's errors are alike across groups.">
      <ErrorView fairness={regression.errors} />
      {regression.decisions ? <DecisionView fairness={regression.decisions} /> : null}
    </Section>
  );
}
