import { describe, expect, it } from "vitest";
import { addGaussianNoise, binaryRobustnessMetric, injectMissing, numericFeatures, regressionRobustnessMetric, robustnessRows, type FeatureRow } from "./robustness";
import { meanVariance, Rng } from "../stats";

function dataset(n: number, seed: number) {
  const rng = new Rng(seed);
  const rows: FeatureRow[] = Array.from({ length: n }, () => ({
    x: rng.next() * 10,
    z: Math.sqrt(-2 * Math.log(rng.nextOpen())) * Math.cos(2 * Math.PI * rng.next()) * 3 + 1,
    city: rng.next() < 0.5 ? "a" : "b",
  }));
  return { rows, yTrue: rows.map((r) => 2 * (r.x as number) + (r.z as number)) };
}

// A linear model that imputes a missing value with 0, so missing values raise its error.
const linear = (rows: readonly FeatureRow[]) => rows.map((r) => 2 * (Number.isNaN(r.x) ? 0 : (r.x as number)) + (Number.isNaN(r.z) ? 0 : (r.z as number)));

describe("perturbations", () => {
  const { rows } = dataset(20_000, 3);

  it("adds noise with σ = k × the feature's sample std, leaving other columns alone", () => {
    const noisy = addGaussianNoise(rows, ["z"], 0.25, 9);
    const diff = noisy.map((r, i) => (r.z as number) - (rows[i]!.z as number));
    const std = Math.sqrt(meanVariance(rows.map((r) => r.z as number)).variance);
    const { mean, variance } = meanVariance(diff);
    // 20,000 draws: the sample std is within 2% of σ and the mean within 4 standard errors of 0.
    expect(Math.abs(Math.sqrt(variance) / (0.25 * std) - 1)).toBeLessThan(0.02);
    expect(Math.abs(mean)).toBeLessThan((4 * 0.25 * std) / Math.sqrt(rows.length));
    expect(noisy.every((r, i) => r.x === rows[i]!.x && r.city === rows[i]!.city)).toBe(true);
  });

  it("is reproducible from its seed and changes with it", () => {
    expect(addGaussianNoise(rows.slice(0, 50), ["x"], 0.1, 4)).toEqual(addGaussianNoise(rows.slice(0, 50), ["x"], 0.1, 4));
    expect(addGaussianNoise(rows.slice(0, 50), ["x"], 0.1, 4)).not.toEqual(addGaussianNoise(rows.slice(0, 50), ["x"], 0.1, 5));
  });

  it("sets exactly round(fraction × n) values of each feature to NaN", () => {
    const holed = injectMissing(rows, ["x", "z"], 0.25, 2);
    expect(holed.filter((r) => Number.isNaN(r.x)).length).toBe(5000);
    expect(holed.filter((r) => Number.isNaN(r.z)).length).toBe(5000);
    expect(rows.some((r) => Number.isNaN(r.x))).toBe(false);
    expect(() => injectMissing(rows, ["x"], 1.5, 2)).toThrow(RangeError);
  });

  it("finds the numeric features, allowing null as missing", () => {
    expect(numericFeatures([{ a: 1, b: "s", c: null }, { a: 2, b: "t", c: 3 }])).toEqual(["a", "c"]);
  });
});

describe("robustnessRows", () => {
  const { rows, yTrue } = dataset(2000, 7);

  it("returns chart rows per perturbation and level, with the baseline and delta", async () => {
    const out = await robustnessRows({ rows, yTrue, score: linear, metric: regressionRobustnessMetric("rmse"), seed: 11 });
    expect(out.map((r) => [r.perturbation, r.feature, r.level])).toEqual([
      ["gaussian_noise", null, 0.05],
      ["gaussian_noise", null, 0.1],
      ["gaussian_noise", null, 0.25],
      ["missing", "x", 0.1],
      ["missing", "x", 0.25],
      ["missing", "x", 0.5],
      ["missing", "z", 0.1],
      ["missing", "z", 0.25],
      ["missing", "z", 0.5],
    ]);
    expect(out.every((r) => r.metric === "rmse" && r.baseline === 0 && r.delta === r.value && r.reason === null)).toBe(true);
    const noise = out.filter((r) => r.perturbation === "gaussian_noise").map((r) => r.value!);
    expect(noise[0]!).toBeGreaterThan(0);
    expect(noise[0]!).toBeLessThan(noise[1]!);
    expect(noise[1]!).toBeLessThan(noise[2]!);
    expect(await robustnessRows({ rows, yTrue, score: linear, metric: regressionRobustnessMetric("rmse"), seed: 11 })).toEqual(out);
  });

  it("matches a zero-noise level to the baseline and supports async scorers and scopes", async () => {
    const out = await robustnessRows({
      rows,
      yTrue,
      score: async (r) => linear(r).map((p) => p + 1),
      metric: regressionRobustnessMetric("mae"),
      noiseLevels: [0],
      missingFractions: [],
      noiseScope: "both",
    });
    expect(out.map((r) => r.feature)).toEqual([null, "x", "z"]);
    for (const r of out) {
      expect(r.baseline).toBeCloseTo(1, 12);
      expect(r.delta).toBe(0);
    }
  });

  it("records a scorer that cannot handle NaN as a null value with a reason", async () => {
    const strict = (r: readonly FeatureRow[]) => r.map((row) => 2 * (row.x as number) + (row.z as number));
    const out = await robustnessRows({ rows, yTrue, score: strict, metric: regressionRobustnessMetric("r2"), features: ["x"], noiseLevels: [], missingFractions: [0.1], missingScope: "all" });
    expect(out).toEqual([{ perturbation: "missing", feature: null, level: 0.1, metric: "r2", baseline: 1, value: null, delta: null, reason: "scorer returned 200 non-finite predictions" }]);
  });

  it("works with classification metrics and rejects mismatched inputs", async () => {
    const labels = yTrue.map((y) => (y > 11 ? 1 : 0));
    const score = (r: readonly FeatureRow[]) => linear(r).map((v) => 1 / (1 + Math.exp(-(v - 11))));
    const metric = binaryRobustnessMetric("rocAuc");
    expect(metric.higherIsBetter).toBe(true);
    const out = await robustnessRows({ rows, yTrue: labels, score, metric, noiseLevels: [0.5], missingFractions: [] });
    expect(out[0]!.baseline).toBe(1);
    expect(out[0]!.delta!).toBeLessThan(0);
    await expect(robustnessRows({ rows, yTrue: labels.slice(1), score, metric })).rejects.toThrow(RangeError);
    await expect(robustnessRows({ rows, yTrue: labels, score: () => [0.5], metric })).rejects.toThrow(/1 predictions/);
  });
});
