import { describe, expect, it } from "vitest";
import { absoluteErrors } from "./regression";
import { loadClassificationCases } from "./classification-fixture";
import { binarySlices } from "./slices";
import { buildEvaluationReport, sampleRowErrors } from "./report";
import { expectAllClose, expectMetric, loadMetricsFixture, loadRegressionCases, nonFiniteNumbers } from "./test-support";
import { Rng } from "../stats";

interface SlicesFixture {
  binary: { yTrue: number[]; scores: number[]; segment: (string | null)[] };
  regression: { yTrue: number[]; yPred: number[]; region: string[]; size: (number | null)[] };
}
const slices = await loadMetricsFixture<SlicesFixture>("slices");
const regression = await loadRegressionCases();
const classification = await loadClassificationCases();
const roundTrip = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe("regression report", () => {
  const c = regression.get("noisy_linear");

  it("carries sklearn's metrics, the residual histogram and every row's absolute error", () => {
    const report = buildEvaluationReport({ task: "regression", yTrue: c.yTrue, yPred: c.yPred });
    expect(report).toMatchObject({ schemaVersion: 1, task: "regression", rowCount: 300, slices: null, fairness: null });
    expectMetric(report.metrics.rmse, c.rmse, "rmse");
    expectMetric(report.metrics.r2, c.r2, "r2");
    expect(report.residualHistogram.map((b) => b.count)).toEqual(c.histogram.counts);
    expect(report.rowErrors).toMatchObject({ kind: "absolute_error", totalRows: 300, sampled: false });
    expect(report.rowErrors.indices).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expectAllClose(report.rowErrors.values, Array.from(absoluteErrors(c.yTrue, c.yPred)), "row errors");
  });

  it("adds slices and both fairness shapes, and survives JSON unchanged", () => {
    const { yTrue, yPred, region, size } = slices.regression;
    const report = buildEvaluationReport({
      task: "regression",
      yTrue,
      yPred,
      slice: { name: "size", values: size, bins: 4 },
      sensitive: { name: "region", values: region },
      decisionThreshold: 10,
    });
    expect(report.slices!.kind).toBe("quantile");
    expect(report.fairness!.errors.groups.map((g) => g.label)).toEqual(["north", "south", "east", "west"]);
    expect(report.fairness!.decisions!.threshold).toBe(10);
    expect(nonFiniteNumbers(report)).toEqual([]);
    expect(roundTrip(report)).toEqual(report);
  });
});

describe("binary report", () => {
  it("carries the metrics, curves, calibration and per-row log loss of probabilities", () => {
    const c = classification.get("logistic");
    const report = buildEvaluationReport({ task: "binary", yTrue: c.yTrue, scores: c.scores });
    expect(report).toMatchObject({ task: "binary", threshold: 0.5, scoresAreProbabilities: true, positives: c.positives, negatives: 1000 - c.positives });
    const at = c.atThreshold.find((t) => t.threshold === 0.5)!;
    expect(report.confusionMatrix).toEqual(at.confusion);
    expectMetric(report.metrics.f1, at.f1, "f1");
    expectMetric(report.metrics.rocAuc, c.rocAuc, "rocAuc");
    expectMetric(report.metrics.prAuc, c.prAucSklearn, "prAuc");
    expect(report.rocCurve.points).toHaveLength(200);
    expect(report.prCurve.points).toHaveLength(200);
    expect(report.calibration.points!.map((b) => b.count)).toEqual(c.calibration!.counts);
    expect(report.rowErrors.kind).toBe("log_loss");
    expectAllClose(report.rowErrors.values, c.rowLogLoss!, "row log loss");
    expect(roundTrip(report)).toEqual(report);
  });

  it("uses 0 as the default threshold and the 0/1 loss for scores that are not probabilities", () => {
    const c = classification.get("decision_function");
    const report = buildEvaluationReport({ task: "binary", yTrue: c.yTrue, scores: c.scores });
    expect(report.threshold).toBe(0);
    expect(report.confusionMatrix).toEqual(c.atThreshold.find((t) => t.threshold === 0)!.confusion);
    expect(report.metrics.logLoss.reason).toMatch(/not probabilities/);
    expect(report.calibration.points).toBeNull();
    expect(report.rowErrors.kind).toBe("zero_one");
    const wrong = report.rowErrors.values.reduce((a, b) => a + b, 0);
    expect(wrong).toBe(report.confusionMatrix.fp + report.confusionMatrix.fn);
  });

  it("reports a single-class dataset with null AUC and curves instead of failing, in plain JSON", () => {
    const c = classification.get("single_class_negative");
    const report = buildEvaluationReport({ task: "binary", yTrue: c.yTrue, scores: c.scores, threshold: 0.5 });
    expect(report.metrics.rocAuc.reason).toMatch(/only one class/);
    expect(report.metrics.prAuc.value).toBeNull();
    expect(report.rocCurve.points).toBeNull();
    expect(nonFiniteNumbers(report)).toEqual([]);
    expect(roundTrip(report)).toEqual(report);
  });

  it("computes slices and fairness at the report's threshold", () => {
    const { yTrue, scores, segment } = slices.binary;
    const report = buildEvaluationReport({ task: "binary", yTrue, scores, threshold: 0.4, slice: { name: "segment", values: segment }, sensitive: { name: "segment", values: segment } });
    expect(report.slices).toEqual(binarySlices(yTrue, scores, 0.4, { name: "segment", values: segment }));
    expect(report.fairness!.threshold).toBe(0.4);
    expect(report.fairness!.groups.reduce((n, g) => n + g.count, 0)).toBe(yTrue.length);
    expect(roundTrip(report)).toEqual(report);
  });

  it("rejects an empty dataset", () => {
    expect(() => buildEvaluationReport({ task: "binary", yTrue: [], scores: [] })).toThrow(/no rows/);
  });
});

describe("row error sample", () => {
  const rng = new Rng(8);
  const errors = Float64Array.from({ length: 25_000 }, () => rng.next());

  it("keeps a seeded sample of 10,000 distinct rows in order with their errors", () => {
    const s = sampleRowErrors("absolute_error", errors);
    expect(s).toMatchObject({ totalRows: 25_000, sampled: true, seed: 1 });
    expect(s.indices).toHaveLength(10_000);
    expect(s.indices.every((v, i) => i === 0 || v > s.indices[i - 1]!)).toBe(true);
    expect(s.values).toEqual(s.indices.map((i) => errors[i]));
  });

  it("draws the same rows for the same seed and row count, so two models can be paired", () => {
    const other = errors.map((e) => e * 2);
    expect(sampleRowErrors("absolute_error", other).indices).toEqual(sampleRowErrors("absolute_error", errors).indices);
    expect(sampleRowErrors("absolute_error", errors, 10_000, 2).indices).not.toEqual(sampleRowErrors("absolute_error", errors).indices);
    expect(() => sampleRowErrors("absolute_error", errors, -1)).toThrow(RangeError);
  });
});
