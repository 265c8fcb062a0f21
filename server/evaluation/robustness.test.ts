/**
 * Robustness probes on CSV text: noise must perturb the parsed numbers. Before the probes encoded
 * their rows, every numeric cell reached addGaussianNoise as text and every gaussian_noise delta was 0.
 */
import { describe, expect, it } from "vitest";
import { encodeTarget, encodeTrainingData, fitEncodingSpec, type RawRow } from "../ml/features";
import { Rng } from "../ml/random";
import { ridgeRegression } from "../ml/trainers";
import { probeRobustness } from "./robustness";
import { createScorer } from "./score";

function csvRows(n: number, seed: number): RawRow[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const x = rng.next() * 4 - 2;
    const z = rng.next();
    return { x: x.toFixed(5), z: z.toFixed(5), city: rng.next() < 0.5 ? "a" : "b", y: (3 * x + 0.5 * z + 0.05 * rng.next()).toFixed(6) };
  });
}

describe("robustness probes on CSV text rows", () => {
  const train = csvRows(800, 11);
  const spec = fitEncodingSpec(train, { features: ["x", "z", "city"], target: { name: "y", task: "regression" } });
  const model = ridgeRegression(encodeTrainingData(spec, train), { alpha: 0.1 }).model;

  it("perturbs parsed numbers: gaussian_noise moves the metric of a model that uses the feature", async () => {
    const rows = csvRows(600, 12);
    const scorer = await createScorer(model.toOnnx(), { spec });
    const result = await probeRobustness({ spec, rows, yTrue: encodeTarget(spec, rows), score: (rs) => scorer.score(rs), task: "regression", threshold: 0.5 });
    await scorer.release();
    const noise = result.rows.filter((r) => r.perturbation === "gaussian_noise");
    expect(noise.length).toBe(3);
    // Every noise level makes the RMSE worse, more so at higher levels.
    for (const r of noise) expect(r.delta!).toBeGreaterThan(1e-3);
    expect(noise[2]!.delta!).toBeGreaterThan(noise[0]!.delta!);
    const missingX = result.rows.filter((r) => r.perturbation === "missing" && r.feature === "x");
    expect(missingX.map((r) => r.delta! > 0.1)).toEqual([true, true, true]);
    // Only float features are perturbed.
    expect(new Set(result.rows.map((r) => r.feature))).toEqual(new Set([null, "x", "z"]));
    expect(result.sample).toEqual({ rows: 600, of: 600 });
  });

  it("says when its baseline is a sample", async () => {
    const rows = csvRows(500, 13);
    const scorer = await createScorer(model.toOnnx(), { spec });
    const result = await probeRobustness({ spec, rows, yTrue: encodeTarget(spec, rows), score: (rs) => scorer.score(rs), task: "regression", threshold: 0.5, maxRows: 200 });
    await scorer.release();
    expect(result.sample).toEqual({ rows: 200, of: 500 });
    expect(result.rows.every((r) => r.baseline === result.rows[0]!.baseline)).toBe(true);
  });
});
