import { describe, expect, it } from "vitest";
import { Rng } from "../random";
import { permutationImportance } from "./importance";
import { binaryRobustnessMetric, regressionRobustnessMetric, type FeatureRow } from "./robustness";

const rng = new Rng(3);
const n = 500;
const rows: FeatureRow[] = Array.from({ length: n }, () => ({ strong: rng.next() * 10, weak: rng.next() * 10, ignored: rng.next() * 10, region: rng.next() < 0.5 ? "east" : "west" }));
const model = (rs: readonly FeatureRow[]) => rs.map((r) => 3 * (r.strong as number) + 0.3 * (r.weak as number) + (r.region === "east" ? 2 : 0));
const y = Float64Array.from(model(rows));

describe("permutation importance", () => {
  it("ranks the features a model uses by how much it relies on them, and gives exactly 0 to one it ignores", async () => {
    const { baseline, importances } = await permutationImportance({ rows, yTrue: y, score: model, metric: regressionRobustnessMetric("rmse"), features: ["ignored", "weak", "region", "strong"], repeats: 3 });
    expect(baseline).toBe(0);
    expect(importances.map((i) => i.feature)).toEqual(["strong", "region", "weak", "ignored"]);
    expect(importances.find((i) => i.feature === "ignored")).toEqual({ feature: "ignored", mean: 0, std: 0 });
    // RMSE after shuffling x alone is c·sqrt(2·Var x) in expectation: about 3·sqrt(2·100/12) ≈ 12.2 for `strong`.
    expect(importances[0]!.mean).toBeGreaterThan(10);
    expect(importances[0]!.mean).toBeLessThan(14.5);
    expect(importances[0]!.std).toBeGreaterThan(0);
  });

  it("is reproducible with a seed and changes with another", async () => {
    const run = (seed: number) => permutationImportance({ rows, yTrue: y, score: model, metric: regressionRobustnessMetric("rmse"), features: ["strong", "weak"], repeats: 2, seed });
    expect(await run(7)).toEqual(await run(7));
    expect((await run(7)).importances[0]!.mean).not.toBe((await run(8)).importances[0]!.mean);
  });

  it("counts a fall of a higher-is-better metric (ROC AUC) as a positive importance", async () => {
    const labels = Float64Array.from(rows, (r) => ((r.strong as number) > 5 ? 1 : 0));
    const scorer = (rs: readonly FeatureRow[]) => rs.map((r) => (r.strong as number) / 10);
    const { baseline, importances } = await permutationImportance({ rows, yTrue: labels, score: scorer, metric: binaryRobustnessMetric("rocAuc"), features: ["strong", "weak"], repeats: 2 });
    expect(baseline).toBe(1);
    expect(importances[0]!.feature).toBe("strong");
    expect(importances[0]!.mean).toBeGreaterThan(0.3);
    expect(importances[1]).toEqual({ feature: "weak", mean: 0, std: 0 });
  });

  it("refuses rows and labels of different lengths and a non-positive number of repeats", async () => {
    await expect(permutationImportance({ rows, yTrue: y.slice(1), score: model, metric: regressionRobustnessMetric("rmse"), features: ["strong"] })).rejects.toThrow(/500 rows but 499 labels/);
    await expect(permutationImportance({ rows, yTrue: y, score: model, metric: regressionRobustnessMetric("rmse"), features: ["strong"], repeats: 0 })).rejects.toThrow(/repeats/);
  });
});
