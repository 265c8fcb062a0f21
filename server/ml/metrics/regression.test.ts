import { describe, expect, it } from "vitest";
import { mae, mape, r2, regressionMetrics, residualHistogram, residuals, rmse } from "./regression";
import { expectAllClose, expectMetric, loadRegressionCases } from "./test-support";
import { expectClose } from "../test-helpers";

const { cases, get } = await loadRegressionCases();

describe("regression metrics", () => {
  it.each(cases)("$name matches sklearn's RMSE, MAE, MAPE and R²", (c) => {
    const m = regressionMetrics(c.yTrue, c.yPred);
    expectMetric(m.rmse, c.rmse, "rmse");
    expectMetric(m.mae, c.mae, "mae");
    expectMetric(m.mape, c.mape, "mape");
    expectMetric(m.r2, c.r2, "r2");
  });

  it("accepts typed arrays as well as plain arrays", () => {
    const c = get("noisy_linear");
    expectMetric(rmse(Float64Array.from(c.yTrue), Float64Array.from(c.yPred)), c.rmse, "rmse");
  });

  it("divides errors at y = 0 by machine epsilon, as sklearn, and says so", () => {
    const c = get("zeros_in_y");
    const m = mape(c.yTrue, c.yPred);
    expect(c.yTrue.filter((y) => y === 0).length).toBeGreaterThan(0);
    expect(m.value).toBeGreaterThan(1e10);
    expect(m.reason === null && m.note).toMatch(/y_true = 0/);
    expect(mape([1, 2], [1.5, 2])).toEqual({ value: 0.25, reason: null });
  });

  it("gives R² = 0 for constant y with errors and 1 for exact predictions, with a note", () => {
    expect(r2(get("constant_y_wrong").yTrue, get("constant_y_wrong").yPred)).toMatchObject({ value: 0, reason: null });
    expect(r2(get("constant_y_exact").yTrue, get("constant_y_exact").yPred)).toMatchObject({ value: 1, reason: null });
    expect(r2([3, 3], [3, 4])).toMatchObject({ value: 0, note: expect.stringMatching(/constant/) });
  });

  it("treats y_true as constant only when its values are identical, whatever the float mean", () => {
    // The float mean of three 0.1s is not 0.1, so a variance-based test would see a tiny spread.
    expect(r2([0.1, 0.1, 0.1], [0.1, 0.1, 0.2]).value).toBe(0);
    expectClose(r2([0.1, 0.2, 0.3], [0.1, 0.2, 0.3]).value, 1, 0, 1e-15);
  });

  it("is undefined on empty input and R² below two rows", () => {
    for (const m of Object.values(regressionMetrics([], []))) expect(m).toMatchObject({ value: null, reason: "no rows" });
    expect(r2([1], [2]).reason).toMatch(/two rows/);
    expectMetric(mae([1], [3]), 2, "single-row mae");
  });

  it("rejects mismatched lengths and non-finite values", () => {
    expect(() => rmse([1, 2], [1])).toThrow(RangeError);
    expect(() => mae([1, NaN], [1, 2])).toThrow(/row 1/);
    expect(() => r2([1, 2], [1, Infinity])).toThrow(RangeError);
  });
});

describe("residual histogram", () => {
  it.each(cases)("$name matches numpy.histogram(y_true − y_pred, 30)", (c) => {
    const bins = residualHistogram(c.yTrue, c.yPred);
    expect(bins.map((b) => b.count)).toEqual(c.histogram.counts);
    expectAllClose(
      bins.map((b) => b.lower),
      c.histogram.edges.slice(0, -1),
      "lower edges",
    );
    expectAllClose(
      bins.map((b) => b.upper),
      c.histogram.edges.slice(1),
      "upper edges",
    );
  });

  it("uses observed minus predicted, so under-prediction is positive", () => {
    expect(Array.from(residuals([5, 1], [3, 2]))).toEqual([2, -1]);
    const bins = residualHistogram([5, 1], [3, 2], 3);
    expect(bins[0]).toMatchObject({ lower: -1, count: 1 });
    expect(bins[2]).toMatchObject({ upper: 2, count: 1 });
  });

  it("is empty for no rows and honours the bin count", () => {
    expect(residualHistogram([], [])).toEqual([]);
    expect(residualHistogram([1, 2, 3], [0, 0, 0], 7)).toHaveLength(7);
  });
});
