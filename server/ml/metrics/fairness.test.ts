import { describe, expect, it } from "vitest";
import { classificationFairness, regressionDecisionFairness, regressionErrorFairness, regressionFairness, type DecisionFairness } from "./fairness";
import { expectMetric, loadMetricsFixture } from "./test-support";

interface GroupExpected {
  group: string;
  count: number;
  positives: number;
  predictedPositive: number;
  selectionRate: number;
  tpr: number | null;
  fpr: number | null;
}
interface Spreads {
  tprDifference: number;
  fprDifference: number;
  equalizedOddsDifference: number;
}
interface DecisionExpected {
  groups: GroupExpected[];
  demographicParityDifference: number;
  disparateImpactRatio: number;
  exclude: Spreads;
  fairlearn: Spreads;
}
interface FairnessFixture {
  binary: DecisionExpected & { yTrue: number[]; scores: number[]; group: string[]; threshold: number };
  regression: {
    yTrue: number[];
    yPred: number[];
    group: string[];
    errors: { group: string; count: number; mae: number; rmse: number }[];
    maeGap: number;
    rmseGap: number;
    threshold: number;
    decisions: DecisionExpected;
  };
}

const { binary, regression } = await loadMetricsFixture<FairnessFixture>("fairness");

function expectDecisions(actual: DecisionFairness, e: DecisionExpected, spreads: Spreads): void {
  expect(actual.groups.map((g) => g.label)).toEqual(e.groups.map((g) => g.group));
  e.groups.forEach((eg, i) => {
    const g = actual.groups[i]!;
    expect([g.count, g.positives, g.negatives, g.predictedPositive]).toEqual([eg.count, eg.positives, eg.count - eg.positives, eg.predictedPositive]);
    expectMetric(g.selectionRate, eg.selectionRate, `${eg.group} selection rate`);
    expectMetric(g.truePositiveRate, eg.tpr, `${eg.group} TPR`);
    expectMetric(g.falsePositiveRate, eg.fpr, `${eg.group} FPR`);
  });
  expectMetric(actual.demographicParityDifference, e.demographicParityDifference, "demographic parity difference");
  expectMetric(actual.disparateImpactRatio, e.disparateImpactRatio, "disparate impact ratio");
  expectMetric(actual.truePositiveRateDifference, spreads.tprDifference, "TPR difference");
  expectMetric(actual.falsePositiveRateDifference, spreads.fprDifference, "FPR difference");
  expectMetric(actual.equalizedOddsDifference, spreads.equalizedOddsDifference, "equalized odds difference");
}

describe("classification fairness", () => {
  const column = { name: "group", values: binary.group };

  it("matches the numpy fairlearn definitions, leaving out a group with no positives by default", () => {
    const f = classificationFairness(binary.yTrue, binary.scores, binary.threshold, column);
    expect(f).toMatchObject({ kind: "decision", source: "classifier", column: "group", threshold: 0.5, undefinedRates: "exclude" });
    expectDecisions(f, binary, binary.exclude);
    expect(f.groups[2]!.truePositiveRate.reason).toMatch(/no positive labels/);
    expect(f.truePositiveRateDifference.reason === null && f.truePositiveRateDifference.note).toMatch(/TPR undefined for c/);
  });

  it("reproduces fairlearn exactly when undefined rates count as 0", () => {
    const f = classificationFairness(binary.yTrue, binary.scores, binary.threshold, column, "zero");
    expectDecisions(f, binary, binary.fairlearn);
    expect(f.equalizedOddsDifference.value).toBeGreaterThan(binary.exclude.equalizedOddsDifference);
  });

  it("reports missing sensitive values as their own group", () => {
    const f = classificationFairness([1, 0, 1, 0], [0.9, 0.1, 0.8, 0.7], 0.5, { name: "g", values: ["x", "x", null, null] });
    expect(f.groups.map((g) => [g.label, g.count, g.selectionRate.value])).toEqual([
      ["x", 2, 0.5],
      ["(missing)", 2, 1],
    ]);
    expectMetric(f.demographicParityDifference, 0.5, "dpd");
  });

  it("leaves the ratio undefined when no group gets a positive decision", () => {
    const f = classificationFairness([1, 0, 1, 0], [0.1, 0.1, 0.2, 0.3], 0.5, { name: "g", values: ["x", "x", "y", "y"] });
    expect(f.disparateImpactRatio.reason).toMatch(/no group has a positive decision/);
    expectMetric(f.demographicParityDifference, 0, "dpd");
  });

  it("gives no spread when a rate is undefined in every group", () => {
    const f = classificationFairness([0, 0, 0, 0], [0.9, 0.1, 0.8, 0.7], 0.5, { name: "g", values: ["x", "x", "y", "y"] });
    expect(f.truePositiveRateDifference.reason).toMatch(/undefined in every group/);
    expect(f.equalizedOddsDifference.value).toBeNull();
  });
});

describe("regression fairness", () => {
  const column = { name: "group", values: regression.group };

  it("reports MAE and RMSE per group and the gaps between worst and best", () => {
    const f = regressionErrorFairness(regression.yTrue, regression.yPred, column);
    expect(f.groups.map((g) => [g.label, g.count])).toEqual(regression.errors.map((e) => [e.group, e.count]));
    regression.errors.forEach((e, i) => {
      expectMetric(f.groups[i]!.mae, e.mae, `${e.group} mae`);
      expectMetric(f.groups[i]!.rmse, e.rmse, `${e.group} rmse`);
    });
    expectMetric(f.maeGap, regression.maeGap, "mae gap");
    expectMetric(f.rmseGap, regression.rmseGap, "rmse gap");
  });

  it("thresholds predictions and outcomes into decisions for the classification definitions", () => {
    const d = regressionDecisionFairness(regression.yTrue, regression.yPred, regression.threshold, column);
    expect(d.source).toBe("regression");
    expectDecisions(d, regression.decisions, regression.decisions.exclude);
  });

  it("provides both shapes together, decisions only with a threshold", () => {
    expect(regressionFairness(regression.yTrue, regression.yPred, column).decisions).toBeNull();
    const both = regressionFairness(regression.yTrue, regression.yPred, column, regression.threshold);
    expect(both.errors.kind).toBe("error");
    expect(both.decisions!.threshold).toBe(regression.threshold);
  });

  it("rejects a sensitive column of another length", () => {
    expect(() => regressionErrorFairness([1, 2], [1, 2], { name: "g", values: ["a"] })).toThrow(RangeError);
  });
});
