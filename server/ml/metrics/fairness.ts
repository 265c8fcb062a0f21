/**
 * Group fairness by a sensitive column with fairlearn's definitions (method="between_groups"):
 * demographic parity difference = max − min selection rate, disparate impact (demographic parity
 * ratio) = min / max selection rate, equalized odds difference = max(TPR spread, FPR spread).
 * Regression models get group-wise MAE/RMSE gaps, or the same decision metrics after a threshold.
 */
import { checkBinaryInput, confusionMatrix } from "./binary";
import { mae, rmse } from "./regression";
import { gather, partitionRows, type SliceKey } from "./slices";
import { checkFinite, checkSameLength, defined, undefinedMetric, type GroupValue, type MetricResult } from "./types";

/** Sensitive attribute values, one per row; null, undefined and NaN form one "(missing)" group. */
export interface SensitiveColumn {
  name: string;
  values: ArrayLike<number> | readonly GroupValue[];
}

/**
 * How a group whose TPR or FPR has no denominator (no positive or no negative labels) enters the
 * spreads: "exclude" leaves it out; "zero" counts it as 0, which is what fairlearn does (sklearn's
 * confusion_matrix(normalize="true") turns 0/0 into 0) and can report a spread no model could fix.
 */
export type UndefinedRates = "exclude" | "zero";

export interface GroupDecisionRates {
  key: SliceKey;
  label: string;
  count: number;
  positives: number;
  negatives: number;
  predictedPositive: number;
  selectionRate: MetricResult;
  truePositiveRate: MetricResult;
  falsePositiveRate: MetricResult;
}

/** Fairness of positive decisions (score ≥ threshold); for regression both y_true and y_pred are thresholded. */
export interface DecisionFairness {
  kind: "decision";
  column: string;
  threshold: number;
  source: "classifier" | "regression";
  undefinedRates: UndefinedRates;
  groups: GroupDecisionRates[];
  demographicParityDifference: MetricResult;
  disparateImpactRatio: MetricResult;
  truePositiveRateDifference: MetricResult;
  falsePositiveRateDifference: MetricResult;
  equalizedOddsDifference: MetricResult;
}

export interface GroupErrors {
  key: SliceKey;
  label: string;
  count: number;
  mae: MetricResult;
  rmse: MetricResult;
}

/** Group-wise error of a regression model; a gap is the largest minus the smallest group value. */
export interface ErrorFairness {
  kind: "error";
  column: string;
  groups: GroupErrors[];
  maeGap: MetricResult;
  rmseGap: MetricResult;
}

/** Both views of a regression model's fairness; `decisions` only when a decision threshold is given. */
export interface RegressionFairness {
  errors: ErrorFairness;
  decisions: DecisionFairness | null;
}

function groupsOf(column: SensitiveColumn, n: number) {
  checkSameLength({ length: n }, column.values, `sensitive column ${column.name}`);
  // Every group is reported on its own: pooling small groups would hide exactly the ones at risk.
  return partitionRows({ name: column.name, values: column.values, kind: "categorical", maxSlices: Infinity }).slices;
}

function rate(numerator: number, denominator: number, reason: string): MetricResult {
  return denominator === 0 ? undefinedMetric(reason) : defined(numerator / denominator);
}

function spread(groups: readonly GroupDecisionRates[], pick: (g: GroupDecisionRates) => MetricResult, policy: UndefinedRates, what: string): MetricResult {
  const values: number[] = [];
  const skipped: string[] = [];
  for (const g of groups) {
    const m = pick(g);
    if (m.value !== null) values.push(m.value);
    else if (policy === "zero") values.push(0);
    else skipped.push(g.label);
  }
  if (values.length === 0) return undefinedMetric(`${what} is undefined in every group`);
  const value = Math.max(...values) - Math.min(...values);
  const note = skipped.length > 0 ? `${what} undefined for ${skipped.join(", ")}; left out` : undefined;
  return defined(value, note);
}

function decisionFairness(yTrue: ArrayLike<number>, scores: ArrayLike<number>, threshold: number, column: SensitiveColumn, source: DecisionFairness["source"], policy: UndefinedRates): DecisionFairness {
  const groups: GroupDecisionRates[] = groupsOf(column, yTrue.length).map(({ key, label, rows }) => {
    const cm = confusionMatrix(gather(yTrue, rows), gather(scores, rows), threshold);
    const positives = cm.tp + cm.fn;
    const negatives = cm.tn + cm.fp;
    return {
      key,
      label,
      count: rows.length,
      positives,
      negatives,
      predictedPositive: cm.tp + cm.fp,
      selectionRate: rate(cm.tp + cm.fp, rows.length, "empty group"),
      truePositiveRate: rate(cm.tp, positives, "no positive labels in group"),
      falsePositiveRate: rate(cm.fp, negatives, "no negative labels in group"),
    };
  });
  const selection = groups.map((g) => g.selectionRate.value).filter((v): v is number => v !== null);
  const maxSelection = Math.max(...selection);
  const tpr = spread(groups, (g) => g.truePositiveRate, policy, "TPR");
  const fpr = spread(groups, (g) => g.falsePositiveRate, policy, "FPR");
  const equalizedOdds =
    tpr.value === null ? tpr : fpr.value === null ? fpr : defined(Math.max(tpr.value, fpr.value), [tpr.note, fpr.note].filter(Boolean).join("; ") || undefined);
  return {
    kind: "decision",
    column: column.name,
    threshold,
    source,
    undefinedRates: policy,
    groups,
    demographicParityDifference: spread(groups, (g) => g.selectionRate, policy, "selection rate"),
    disparateImpactRatio:
      selection.length === 0
        ? undefinedMetric("no rows")
        : maxSelection === 0
          ? undefinedMetric("no group has a positive decision")
          : defined(Math.min(...selection) / maxSelection),
    truePositiveRateDifference: tpr,
    falsePositiveRateDifference: fpr,
    equalizedOddsDifference: equalizedOdds,
  };
}

/** Selection rate, TPR and FPR per group and their spreads for a classifier's scores at a threshold. */
export function classificationFairness(
  yTrue: ArrayLike<number>,
  scores: ArrayLike<number>,
  threshold: number,
  column: SensitiveColumn,
  undefinedRates: UndefinedRates = "exclude",
): DecisionFairness {
  checkBinaryInput(yTrue, scores, "classificationFairness");
  return decisionFairness(yTrue, scores, threshold, column, "classifier", undefinedRates);
}

/**
 * Decision fairness of a regression model used as a rule "act when y_pred ≥ threshold": the
 * prediction is the decision, and y_true ≥ threshold is the outcome that decision should match.
 */
export function regressionDecisionFairness(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  threshold: number,
  column: SensitiveColumn,
  undefinedRates: UndefinedRates = "exclude",
): DecisionFairness {
  checkSameLength(yTrue, yPred, "regressionDecisionFairness");
  checkFinite(yTrue, "regressionDecisionFairness y_true");
  checkFinite(yPred, "regressionDecisionFairness y_pred");
  const outcomes = new Float64Array(yTrue.length);
  for (let i = 0; i < outcomes.length; i++) outcomes[i] = yTrue[i]! >= threshold ? 1 : 0;
  return decisionFairness(outcomes, yPred, threshold, column, "regression", undefinedRates);
}

/** MAE and RMSE per group, with the gap between the worst and best group. */
export function regressionErrorFairness(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, column: SensitiveColumn): ErrorFairness {
  checkSameLength(yTrue, yPred, "regressionErrorFairness");
  const groups: GroupErrors[] = groupsOf(column, yTrue.length).map(({ key, label, rows }) => {
    const t = gather(yTrue, rows);
    const p = gather(yPred, rows);
    return { key, label, count: rows.length, mae: mae(t, p), rmse: rmse(t, p) };
  });
  const gap = (pick: (g: GroupErrors) => MetricResult): MetricResult => {
    const values = groups.map((g) => pick(g).value).filter((v): v is number => v !== null);
    return values.length === 0 ? undefinedMetric("no rows") : defined(Math.max(...values) - Math.min(...values));
  };
  return { kind: "error", column: column.name, groups, maeGap: gap((g) => g.mae), rmseGap: gap((g) => g.rmse) };
}

/** Error gaps per group, plus decision fairness when a threshold turns predictions into decisions. */
export function regressionFairness(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  column: SensitiveColumn,
  decisionThreshold?: number,
  undefinedRates: UndefinedRates = "exclude",
): RegressionFairness {
  return {
    errors: regressionErrorFairness(yTrue, yPred, column),
    decisions: decisionThreshold === undefined ? null : regressionDecisionFairness(yTrue, yPred, decisionThreshold, column, undefinedRates),
  };
}
