import { describe, expect, it } from "vitest";
import { accuracy, logLoss, rmse } from "../metrics";
import { fromFixture, loadTrainerFixture, mixedData, numericData } from "../test-helpers";
import type { FeatureSpec, TrainingData } from "../types";
import { gbdt } from "./boosting";
import type { Tree } from "./tree";

interface BoostingFixture {
  features: FeatureSpec[];
  rounds: number;
  params: { max_depth: number; eta: number; lambda: number; min_child_weight: number; max_bin: number };
  tasks: Record<"regression" | "binary", { metric: string; xgboostTest: number; splits: Record<"train" | "valid" | "test", { X: (number | null)[][]; y: number[] }> }>;
}

const fixture = await loadTrainerFixture<BoostingFixture>("boosting");

function depthOf(tree: Tree, node = 0): number {
  return tree.feature[node]! < 0 ? 0 : 1 + Math.max(depthOf(tree, tree.left[node]!), depthOf(tree, tree.right[node]!));
}

describe("gbdt", () => {
  it("fits a nonlinear regression function that a linear model cannot", () => {
    const f = ([a, b]: number[]) => Math.sin(3 * a!) + b! * b! + (a! > 0 && b! > 0 ? 1 : 0);
    const train = numericData(3000, 20, 3, f, 0.05);
    const test = numericData(1000, 21, 3, f, 0);
    const { model, history } = gbdt(train, { rounds: 200, learningRate: 0.1, maxDepth: 4 });
    expect(rmse(test.y, model.predict(test))).toBeLessThan(0.12);
    expect(history).toHaveLength(200);
    expect(history[199]!.metrics.train_rmse).toBeLessThan(history[0]!.metrics.train_rmse!);
    for (const tree of model.trees) expect(depthOf(tree)).toBeLessThanOrEqual(4);
  });

  it("reports total gain per feature: the features the target depends on carry it, a noise feature almost none", () => {
    // Three features; the target uses the first two only, the first much more strongly.
    const train = numericData(3000, 24, 3, ([a, b]) => 4 * a! + 0.5 * Math.sin(3 * b!), 0.05);
    const { model } = gbdt(train, { rounds: 60, learningRate: 0.2, maxDepth: 3 });
    const importance = model.gainImportance();
    expect(importance.map((i) => i.feature)).toEqual([train.features[0]!.name, train.features[1]!.name, train.features[2]!.name]);
    expect(importance.reduce((s, i) => s + i.share, 0)).toBeCloseTo(1, 12);
    expect(importance[0]!.share).toBeGreaterThan(0.9);
    expect(importance[2]!.share).toBeLessThan(0.02);
    // The gains are the splits' own: their sum is the trees' total loss reduction, positive.
    expect(importance[0]!.gain).toBeGreaterThan(0);
  });

  it("classifies an XOR pattern with log loss", () => {
    const f = ([a, b]: number[]) => (a! * b! > 0 ? 1 : 0);
    const train = numericData(2000, 22, 2, f);
    const test = numericData(1000, 23, 2, f);
    const { model, history } = gbdt(train, { task: "binary", rounds: 60, maxDepth: 3, learningRate: 0.3 });
    const p = model.predict(test);
    expect(accuracy(test.y, p)).toBeGreaterThan(0.97);
    expect(p.every((v) => v > 0 && v < 1)).toBe(true);
    expect(history.at(-1)!.metrics.train_logloss).toBeLessThan(0.15);
  });

  it.each(["regression", "binary"] as const)("%s: test loss within 3% of XGBoost hist on the fixture (same depth, rounds, eta, lambda, bins)", (task) => {
    const t = fixture.tasks[task];
    const train = fromFixture(fixture.features, t.splits.train);
    const test = fromFixture(fixture.features, t.splits.test);
    const p = fixture.params;
    const { model } = gbdt(train, { task, rounds: fixture.rounds, maxDepth: p.max_depth, learningRate: p.eta, lambda: p.lambda, minChildWeight: p.min_child_weight, maxBins: p.max_bin });
    const prediction = model.predict(test);
    const ours = task === "regression" ? rmse(test.y, prediction) : logLoss(test.y, prediction);
    expect(Math.abs(ours / t.xgboostTest - 1), `ours ${ours} vs xgboost ${t.xgboostTest}`).toBeLessThan(0.03);
  });

  it("stops early on the validation set and keeps the best round", () => {
    const t = fixture.tasks.regression;
    const train = fromFixture(fixture.features, t.splits.train);
    const valid = fromFixture(fixture.features, t.splits.valid);
    const { model, history, bestRound } = gbdt(train, { rounds: 1000, learningRate: 0.5, maxDepth: 6, validation: valid, earlyStoppingRounds: 10 });
    expect(bestRound).toBeDefined();
    expect(history.length).toBe(bestRound! + 10);
    expect(history.length).toBeLessThan(1000);
    expect(model.trees).toHaveLength(bestRound!);
    const best = history[bestRound! - 1]!.metrics.valid_rmse!;
    for (const h of history) expect(h.metrics.valid_rmse).toBeGreaterThanOrEqual(best);
    expect(rmse(valid.y, model.predict(valid))).toBeCloseTo(best, 9);
  });

  it("subsamples rows reproducibly from the seed", () => {
    const data = mixedData(1500, 24, "regression");
    const test = mixedData(300, 25, "regression", { unseen: true });
    const fit = (seed: number, subsample: number) => gbdt(data, { rounds: 20, subsample, seed }).model.predict(test);
    expect(fit(7, 0.5)).toEqual(fit(7, 0.5));
    expect(fit(7, 0.5)).not.toEqual(fit(8, 0.5));
    expect(fit(7, 1)).toEqual(fit(8, 1));
  });

  it("learns where missing values go", () => {
    const n = 2000;
    const data = numericData(n, 26, 2, ([a]) => a!);
    for (let i = 0; i < n; i += 4) {
      data.X[0]![i] = NaN;
      data.y[i] = 5;
    }
    const { model } = gbdt(data, { rounds: 100, maxDepth: 3, learningRate: 0.3 });
    const rows = { X: [Float64Array.of(NaN, -0.9, 0.9), Float64Array.of(0, 0, 0)], cat: [] };
    const [missing, low, high] = model.predict(rows);
    expect(missing).toBeCloseTo(5, 1);
    expect(low).toBeCloseTo(-0.9, 1);
    expect(high).toBeCloseTo(0.9, 1);
  });

  it("encodes categories by mean-target rank and treats unseen ones as missing", () => {
    const data = mixedData(3000, 27, "regression");
    const { model } = gbdt(data, { rounds: 50 });
    const colour = model.categoryCodes[1]!;
    // COLOUR_EFFECT in test-helpers: green −1 < blue 0 < amber 0.5 < red 1.5.
    expect([...colour.entries()].sort((a, b) => a[1] - b[1]).map(([c]) => c)).toEqual(["green", "blue", "amber", "red"]);
    expect(model.categoryCodes[0]).toBeNull();
    const rows = (c: string | null, s: string | null) => ({ X: [Float64Array.of(0.3), Float64Array.of(0.1), Float64Array.of(5)], cat: [[c], [s]] });
    expect(model.predict(rows("violet", "XL"))[0]).toBe(model.predict(rows(null, ""))[0]);
    expect(model.predict(rows("red", "M"))[0]! - model.predict(rows("green", "M"))[0]!).toBeGreaterThan(1.5);
  });

  it("keeps at least minLeaf training rows in every leaf", () => {
    const data = numericData(800, 28, 3, ([a, b]) => 3 * a! + b!, 0.5);
    const { model } = gbdt(data, { rounds: 5, maxDepth: 8, minLeaf: 40, minChildWeight: 0 });
    const leafOf = (tree: Tree, i: number): number => {
      let k = 0;
      while (tree.feature[k]! >= 0) k = Math.fround(data.X[tree.feature[k]!]![i]!) <= tree.threshold[k]! ? tree.left[k]! : tree.right[k]!;
      return k;
    };
    for (const tree of model.trees) {
      const sizes = new Map<number, number>();
      for (let i = 0; i < 800; i++) sizes.set(leafOf(tree, i), (sizes.get(leafOf(tree, i)) ?? 0) + 1);
      expect(Math.min(...sizes.values())).toBeGreaterThanOrEqual(40);
      expect(sizes.size).toBeGreaterThan(4);
    }
  });

  it("rejects bad options", () => {
    const data: TrainingData = mixedData(50, 29, "regression");
    expect(() => gbdt(data, { earlyStoppingRounds: 5 })).toThrow(/needs a validation set/);
    expect(() => gbdt(data, { maxBins: 300 })).toThrow(/maxBins/);
    expect(() => gbdt(data, { subsample: 0 })).toThrow(/subsample/);
    expect(() => gbdt(data, { task: "binary" })).toThrow(/not 0 or 1/);
  });
});
