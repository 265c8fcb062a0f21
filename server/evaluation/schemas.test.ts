import { describe, expect, it } from "vitest";
import { buildEvaluationReport, type EvaluationReport } from "../ml/metrics";
import { loadClassificationCases } from "../ml/metrics/classification-fixture";
import { loadMetricsFixture, loadRegressionCases } from "../ml/metrics/test-support";
import { DatasetProfiler } from "../ml/profile";
import { ZStoredProfile } from "../datasets/schemas";
import { ZStoredEvaluationReport } from "./schemas";

interface SlicesFixture {
  binary: { yTrue: number[]; scores: number[]; segment: (string | null)[] };
  regression: { yTrue: number[]; yPred: number[]; region: string[]; size: (number | null)[] };
}
const slices = await loadMetricsFixture<SlicesFixture>("slices");
const regression = await loadRegressionCases();
const classification = await loadClassificationCases();
const stored = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
const jobFacts = { options: { sliceColumn: null, sensitiveColumn: null, threshold: 0.5 }, target: "y", features: ["a"], scoring: { rows: 3, ms: 1 }, robustness: [] };

/** Every shape the metrics code produces must read back unchanged through the stored schema. */
function readBack(report: EvaluationReport) {
  const row = stored({ ...report, ...jobFacts });
  expect(ZStoredEvaluationReport.parse(row)).toEqual(row);
}

describe("stored evaluation report schema", () => {
  it("reads back regression reports, with and without slices and both fairness views", () => {
    const c = regression.get("noisy_linear");
    readBack(buildEvaluationReport({ task: "regression", yTrue: c.yTrue, yPred: c.yPred }));
    const { yTrue, yPred, region, size } = slices.regression;
    readBack(buildEvaluationReport({ task: "regression", yTrue, yPred, slice: { name: "size", values: size, bins: 4 }, sensitive: { name: "region", values: region }, decisionThreshold: 10 }));
  });

  it("reads back binary reports: probabilities, decision scores, a single class, slices and fairness", () => {
    for (const name of ["logistic", "decision_function", "single_class_negative"]) {
      const c = classification.get(name);
      readBack(buildEvaluationReport({ task: "binary", yTrue: c.yTrue, scores: c.scores }));
    }
    const { yTrue, scores, segment } = slices.binary;
    readBack(buildEvaluationReport({ task: "binary", yTrue, scores, threshold: 0.4, slice: { name: "segment", values: segment }, sensitive: { name: "segment", values: segment } }));
  });

  it("rejects a report whose metric lost its value and reason", () => {
    const c = regression.get("noisy_linear");
    const row = stored({ ...buildEvaluationReport({ task: "regression", yTrue: c.yTrue, yPred: c.yPred }), ...jobFacts }) as { metrics: { rmse: unknown } };
    row.metrics.rmse = { value: "1.5" };
    expect(ZStoredEvaluationReport.safeParse(row).success).toBe(false);
  });
});

describe("stored profile schema", () => {
  it("reads back a profile of every column type, with empty and all-missing columns", () => {
    const profiler = new DatasetProfiler(["n", "i", "b", "c", "d", "t", "empty"]);
    for (let r = 0; r < 300; r++) {
      profiler.pushRow([String(r * 0.37), String(r % 7), r % 2 ? "true" : "false", ["x", "y", "z"][r % 3]!, `2026-01-${String((r % 28) + 1).padStart(2, "0")}`, `free text ${r} ${r * 13}`, ""]);
    }
    const profile = stored(profiler.finish());
    expect(ZStoredProfile.parse(profile)).toEqual(profile);
  });
});
