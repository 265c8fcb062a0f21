import { describe, expect, it } from "vitest";
import { expectClose } from "../test-helpers";
import { ridgeRegression } from "./ridge";
import { fromFixture, loadTrainerFixture, mixedData, numericData } from "./test-helpers";
import type { FeatureSpec } from "./types";

interface LinearFixture {
  features: FeatureSpec[];
  train: { X: (number | null)[][]; cat: (string | null)[][]; y: number[] };
  test: { X: (number | null)[][]; cat: (string | null)[][]; y: number[] };
  cases: { alpha: number; coef: number[]; intercept: number; testPrediction: number[] }[];
}

const fixture = await loadTrainerFixture<LinearFixture>("ridge");

describe("ridgeRegression", () => {
  it("recovers the coefficients of noiseless linear data", () => {
    const data = numericData(300, 1, 3, ([a, b, c]) => 1 + 2 * a! - 3 * b! + 0.5 * c!);
    const { model, history } = ridgeRegression(data, { alpha: 1e-9 });
    const coefficients = model.coefficients();
    expectClose(coefficients.intercept, 1, 0, 1e-6, "intercept");
    expectClose(coefficients.numeric.x0!, 2, 1e-6, 0, "x0");
    expectClose(coefficients.numeric.x1!, -3, 1e-6, 0, "x1");
    expectClose(coefficients.numeric.x2!, 0.5, 1e-6, 0, "x2");
    expect(history).toHaveLength(1);
    expect(history[0]!.metrics.train_rmse).toBeLessThan(1e-6);
  });

  it.each(fixture.cases.map((c) => [c.alpha, c] as const))("matches scikit-learn Ridge(alpha=%s) on the standardised one-hot design", (_, c) => {
    const train = fromFixture(fixture.features, fixture.train);
    const test = fromFixture(fixture.features, fixture.test);
    const { model } = ridgeRegression(train, { alpha: c.alpha });
    expectClose(model.standardised[0]!, c.intercept, 1e-10, 1e-10, "intercept");
    c.coef.forEach((expected, j) => expectClose(model.standardised[1 + j]!, expected, 1e-8, 1e-10, `coefficient ${j}`));
    const prediction = model.predict(test);
    c.testPrediction.forEach((expected, i) => expectClose(prediction[i]!, expected, 1e-9, 1e-9, `test row ${i}`));
  });

  it("scores unseen and missing categories as all-zero indicators, and missing numbers as the training mean", () => {
    const data = mixedData(500, 2, "regression");
    const { model } = ridgeRegression(data, { alpha: 1 });
    const rows = (colour: string | null, x2: number) => ({ X: [Float64Array.of(0.5), Float64Array.of(1), Float64Array.of(x2)], cat: [[colour], ["M"]] });
    const { intercept, numeric, categories } = model.coefficients();
    const base = intercept + 0.5 * numeric.x0! + numeric.x1! + categories.size!.M!;
    expectClose(model.predict(rows("violet", 4))[0]!, base + 4 * numeric.x2!, 1e-12, 1e-12, "unseen category");
    expectClose(model.predict(rows(null, 4))[0]!, base + 4 * numeric.x2!, 1e-12, 1e-12, "missing category");
    expectClose(model.predict(rows("red", 4))[0]!, base + 4 * numeric.x2! + categories.colour!.red!, 1e-12, 1e-12, "seen category");
    let sum = 0;
    let count = 0;
    for (const v of data.X[2]!) {
      if (Number.isNaN(v)) continue;
      sum += Math.fround(v);
      count++;
    }
    expectClose(model.predict(rows("red", NaN))[0]!, base + (sum / count) * numeric.x2! + categories.colour!.red!, 1e-12, 1e-12, "missing number");
  });

  it("reports train and validation RMSE", () => {
    const { history } = ridgeRegression(mixedData(400, 3, "regression"), { alpha: 1, validation: mixedData(200, 4, "regression", { unseen: true }) });
    expect(Object.keys(history[0]!.metrics).sort()).toEqual(["train_rmse", "valid_rmse"]);
    expect(history[0]!.metrics.valid_rmse).toBeGreaterThan(0);
  });

  it("refuses singular normal equations with advice instead of returning garbage", () => {
    const data = numericData(50, 5, 2, ([a]) => a!);
    data.X[1] = data.X[0]!.slice();
    expect(() => ridgeRegression(data, { alpha: 0 })).toThrow(/singular.*alpha > 0/);
    expect(() => ridgeRegression(data, { alpha: 0.1 })).not.toThrow();
  });

  it("refuses one-hot designs too wide for dense normal equations", () => {
    const data = mixedData(5000, 7, "regression");
    data.cat[0] = data.cat[0]!.map((_, i) => `id-${i}`);
    expect(() => ridgeRegression(data)).toThrow(/5007 columns \(limit 4096\); use gbdt/);
  });

  it("rejects malformed input", () => {
    const data = numericData(10, 6, 2, ([a]) => a!);
    expect(() => ridgeRegression({ ...data, y: data.y.subarray(0, 9) })).toThrow(/y has 9 values/);
    expect(() => ridgeRegression({ ...data, X: [data.X[0]!] })).toThrow(/numeric columns/);
    expect(() => ridgeRegression({ ...data, features: [{ name: "x0", kind: "numeric" }, { name: "label", kind: "numeric" }] })).toThrow(/clashes/);
    expect(() => ridgeRegression(data, { alpha: -1 })).toThrow(/alpha/);
  });
});
