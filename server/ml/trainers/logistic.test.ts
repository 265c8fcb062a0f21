import { describe, expect, it } from "vitest";
import { expectClose } from "../test-helpers";
import { logisticRegression } from "./logistic";
import { accuracy } from "./metrics";
import { fromFixture, loadTrainerFixture, mixedData, numericData } from "./test-helpers";
import type { FeatureSpec } from "./types";

interface LogisticFixture {
  features: FeatureSpec[];
  train: { X: (number | null)[][]; cat: (string | null)[][]; y: number[] };
  test: { X: (number | null)[][]; cat: (string | null)[][]; y: number[] };
  cases: { alpha: number; coef: number[]; intercept: number; testProbability: number[] }[];
}

const fixture = await loadTrainerFixture<LogisticFixture>("logistic");

describe("logisticRegression", () => {
  it.each(fixture.cases.map((c) => [c.alpha, c] as const))("matches scikit-learn LogisticRegression(C=1/%s) coefficients and probabilities", (_, c) => {
    const train = fromFixture(fixture.features, fixture.train);
    const test = fromFixture(fixture.features, fixture.test);
    const { model, history } = logisticRegression(train, { alpha: c.alpha });
    expectClose(model.standardised[0]!, c.intercept, 1e-7, 1e-8, "intercept");
    c.coef.forEach((expected, j) => expectClose(model.standardised[1 + j]!, expected, 1e-7, 1e-8, `coefficient ${j}`));
    const p = model.predict(test);
    c.testProbability.forEach((expected, i) => expectClose(p[i]!, expected, 0, 1e-8, `test row ${i}`));
    expect(history.length).toBeLessThan(30);
  });

  it("learns a clean logit model: high accuracy, decreasing loss, coefficients near the truth", () => {
    const rng = numericData(4000, 7, 2, ([a, b]) => 3 * a! - 2 * b!);
    const data = { ...rng, y: rng.y.map((s) => (s > 0 ? 1 : 0)) };
    const valid = numericData(1000, 8, 2, ([a, b]) => 3 * a! - 2 * b!);
    valid.y = valid.y.map((s) => (s > 0 ? 1 : 0));
    const { model, history } = logisticRegression(data, { alpha: 0.01, validation: valid });
    expect(accuracy(valid.y, model.predict(valid))).toBeGreaterThan(0.98);
    const losses = history.map((h) => h.metrics.train_logloss!);
    for (let k = 1; k < losses.length; k++) expect(losses[k]!).toBeLessThanOrEqual(losses[k - 1]! + 1e-12);
    expect(Object.keys(history[0]!.metrics).sort()).toEqual(["train_accuracy", "train_logloss", "valid_accuracy", "valid_logloss"]);
    const { numeric } = model.coefficients();
    // Separable data drive the weights up until the penalty balances them; the direction is what is identified.
    expectClose(numeric.x0! / numeric.x1!, -1.5, 0.05, 0, "direction");
  });

  it("stops at maxIter", () => {
    const { history } = logisticRegression(mixedData(500, 9, "binary"), { alpha: 1e-6, maxIter: 2 });
    expect(history).toHaveLength(2);
  });

  it("handles categoricals with missing and unseen values", () => {
    const { model } = logisticRegression(mixedData(2000, 10, "binary"), { alpha: 1 });
    const test = mixedData(500, 11, "binary", { unseen: true });
    expect(accuracy(test.y, model.predict(test))).toBeGreaterThan(0.75);
    const rows = (colour: string | null) => ({ X: [Float64Array.of(0.5), Float64Array.of(1), Float64Array.of(NaN)], cat: [[colour], ["M"]] });
    expect(model.predict(rows("violet"))[0]).toBe(model.predict(rows(null))[0]);
    expect(model.predict(rows("red"))[0]).not.toBe(model.predict(rows(null))[0]);
  });

  it("rejects targets other than 0 and 1", () => {
    const data = mixedData(20, 12, "binary");
    data.y[3] = 2;
    expect(() => logisticRegression(data)).toThrow(/row 3: target 2 is not 0 or 1/);
  });
});
