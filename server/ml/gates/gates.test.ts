/** Behaviour of the gate statistics beyond the scipy fixtures: seeded bootstrap coverage, decisions, fairness, edge cases. */
import { describe, expect, it } from "vitest";
import { Rng } from "../random";
import { pairedBootstrap } from "./bootstrap";
import { nonInferiority, superiority } from "./decision";
import { delongTest } from "./delong";
import { partitionRows } from "../metrics/slices";
import { groupGap, groupsFromPartition } from "./fairness";
import { holmBonferroni, mcnemar, mcnemarFromCounts, pairedTTest, wilcoxonSignedRank } from "./paired-tests";

function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(rng.nextOpen())) * Math.cos(2 * Math.PI * rng.next());
}

describe("Rng.fillBelow", () => {
  it("is the 32-bit stream scaled down when n is a power of two (both the exact-double and the split branch)", () => {
    for (const n of [65536, 2 ** 31]) {
      const out = new Uint32Array(1000);
      new Rng(7).fillBelow(out, n);
      const reference = new Rng(7);
      const shift = 32 - Math.log2(n);
      out.forEach((v, i) => expect(v, `n=${n} draw ${i}`).toBe(reference.nextUint32() >>> shift));
    }
  });

  it("draws every value of a small range about equally often, and stays below a large n", () => {
    const out = new Uint32Array(70_000);
    new Rng(3).fillBelow(out, 7);
    const counts = new Array<number>(7).fill(0);
    for (const v of out) counts[v]!++;
    // Chi-square with 6 dof: 22.5 is its 0.999 quantile.
    const chi = counts.reduce((s, c) => s + (c - 10_000) ** 2 / 10_000, 0);
    expect(chi).toBeLessThan(22.5);
    const big = 3_000_000_001;
    new Rng(4).fillBelow(out, big);
    let total = 0;
    for (const v of out) {
      expect(v).toBeLessThan(big);
      total += v;
    }
    expect(Math.abs(total / out.length / big - 0.5)).toBeLessThan(0.01);
    expect(() => new Rng(1).fillBelow(out, 0)).toThrow(RangeError);
  });
});

describe("pairedBootstrap with the seeded Rng", () => {
  it("95% CIs of the mean difference cover the true difference about 95% of the time", () => {
    const rng = new Rng(11);
    const trials = 200;
    const n = 150;
    const trueDifference = -0.2;
    let covered = 0;
    for (let t = 0; t < trials; t++) {
      const a = new Float64Array(n);
      const b = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        a[i] = 1 + gaussian(rng);
        b[i] = a[i]! + trueDifference + 0.5 * gaussian(rng);
      }
      const result = pairedBootstrap({ a, b, statistic: "mean", resamples: 400, seed: t });
      if (result.lower <= trueDifference && trueDifference <= result.upper) covered++;
    }
    // Binomial(200, 0.95) lies in [180, 198] with probability > 0.999; the percentile CI runs a little narrow.
    expect(covered).toBeGreaterThanOrEqual(178);
    expect(covered).toBeLessThanOrEqual(199);
  });

  it("RMSE difference: a better challenger gets a CI entirely below zero, and the same seed gives the same result", () => {
    const rng = new Rng(5);
    const n = 2000;
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      a[i] = (1.2 * gaussian(rng)) ** 2;
      b[i] = (1.0 * gaussian(rng)) ** 2;
    }
    const first = pairedBootstrap({ a, b, statistic: "rmse", resamples: 1000, seed: 9 });
    const again = pairedBootstrap({ a, b, statistic: "rmse", resamples: 1000, seed: 9 });
    const other = pairedBootstrap({ a, b, statistic: "rmse", resamples: 1000, seed: 10 });
    expect(again).toEqual(first);
    expect(other.lower).not.toBe(first.lower);
    expect(first.upper).toBeLessThan(0);
    expect(first.lower).toBeLessThan(first.estimate);
    expect(first.estimate).toBeLessThan(first.upper);
    expect(first.distribution.histogram.counts.reduce((s, c) => s + c, 0)).toBe(1000);
    expect(superiority(first, "lower", 0.05).passed).toBe(true);
  });

  it("rejects unpaired, non-finite, negative squared errors and bad confidence", () => {
    expect(() => pairedBootstrap({ a: [1, 2], b: [1], statistic: "mean" })).toThrow(/not paired/);
    expect(() => pairedBootstrap({ a: [1, NaN], b: [1, 2], statistic: "mean" })).toThrow(/finite/);
    expect(() => pairedBootstrap({ a: [1, -1], b: [1, 2], statistic: "rmse" })).toThrow(/negative/);
    expect(() => pairedBootstrap({ a: [1, 2], b: [1, 2], statistic: "mean", confidence: 1 })).toThrow(/confidence/);
    expect(() => pairedBootstrap({ a: [1, 2], b: [1, 2], statistic: "mean", indices: new Uint32Array(3) })).toThrow(/resamples/);
    expect(() => pairedBootstrap({ a: [1, 2], b: [1, 2], statistic: "mean", indices: Uint32Array.from([0, 1, 2, 0]) })).toThrow(/indices\[2\] = 2 is not a row/);
  });
});

describe("superiority and non-inferiority", () => {
  it("decide on the CI bound in the better direction", () => {
    expect(superiority({ lower: 0.02, upper: 0.05 }, "higher", 0.01).passed).toBe(true);
    expect(superiority({ lower: 0.01, upper: 0.05 }, "higher", 0.01).passed).toBe(false);
    expect(superiority({ lower: -0.3, upper: -0.1 }, "lower", 0.05).passed).toBe(true);
    expect(superiority({ lower: -0.3, upper: -0.04 }, "lower", 0.05).passed).toBe(false);
    expect(nonInferiority({ lower: -0.009, upper: 0.02 }, "higher", 0.01).passed).toBe(true);
    expect(nonInferiority({ lower: -0.011, upper: 0.02 }, "higher", 0.01).passed).toBe(false);
    expect(nonInferiority({ lower: -0.2, upper: 0.04 }, "lower", 0.05).passed).toBe(true);
    expect(nonInferiority({ lower: -0.2, upper: 0.05 }, "lower", 0.05)).toMatchObject({ passed: false, bound: 0.05, threshold: 0.05 });
    expect(() => superiority({ lower: 0, upper: 1 }, "higher", -1)).toThrow(RangeError);
  });
});

describe("groupGap (fairness)", () => {
  function data(sizes: number[], means: number[], seed: number): { values: Float64Array; groups: Uint8Array } {
    const rng = new Rng(seed);
    const total = sizes.reduce((s, v) => s + v, 0);
    const values = new Float64Array(total);
    const groups = new Uint8Array(total);
    let row = 0;
    sizes.forEach((size, g) => {
      for (let i = 0; i < size; i++, row++) {
        values[row] = means[g]! + 0.3 * gaussian(rng);
        groups[row] = g;
      }
    });
    return { values, groups };
  }

  it("passes equal groups, fails a real gap, and never passes with a group under the minimum size", () => {
    const equal = data([800, 900], [1, 1], 1);
    const pass = groupGap({ ...equal, groupNames: ["a", "b"], statistic: "mean", limit: 0.1, minGroupSize: 100, resamples: 500, seed: 1 });
    expect(pass.outcome).toBe("pass");
    expect(pass.gap!.upper).toBeLessThan(0.1);
    for (const g of pass.groups) expect(g.lower! <= 1 && 1 <= g.upper!, `${g.name} CI covers 1`).toBe(true);

    const gap = data([800, 900], [1, 1.3], 2);
    const fail = groupGap({ ...gap, groupNames: ["a", "b"], statistic: "mean", limit: 0.1, minGroupSize: 100, resamples: 500, seed: 1 });
    expect(fail.outcome).toBe("fail");
    expect(fail.gap!.lower).toBeGreaterThan(0.2);

    const small = data([800, 900, 20], [1, 1, 5], 3);
    const insufficient = groupGap({ ...small, groupNames: ["a", "b", "tiny"], statistic: "mean", limit: 0.1, minGroupSize: 100, resamples: 500, seed: 1 });
    expect(insufficient.outcome).toBe("insufficient");
    expect(insufficient.groups[2]).toMatchObject({ name: "tiny", size: 20, status: "too_small", lower: null, upper: null });
    expect(insufficient.gap!.upper).toBeLessThan(0.1);

    const alone = groupGap({ ...small, groupNames: ["a", "b", "tiny"], statistic: "rmse", limit: 0.1, minGroupSize: 850, resamples: 100, seed: 1 });
    expect(alone.gap).toBeNull();
    expect(alone.outcome).toBe("insufficient");
    expect(() => groupGap({ values: [1], groups: [3], groupNames: ["a"], statistic: "mean", limit: 1, minGroupSize: 1 })).toThrow(/group code/);
  });
});

describe("groupsFromPartition", () => {
  it("codes rows by the evaluation report's slices, missing values included", () => {
    const values = ["a", "b", null, "a", "b", "a"];
    const partition = partitionRows({ name: "region", values, kind: "categorical" });
    const { groups, groupNames } = groupsFromPartition(partition, values.length);
    values.forEach((v, i) => expect(groupNames[groups[i]!], `row ${i}`).toBe(v ?? groupNames.find((name) => name !== "a" && name !== "b")));
    expect(new Set(groupNames).size).toBe(3);
    expect(() => groupsFromPartition(partition, values.length + 1)).toThrow(/row 6 is in no group/);
  });
});

describe("paired tests: edge cases", () => {
  it("McNemar counts discordant pairs and switches to chi-square at 25 of them", () => {
    const a = [1, 1, 0, 0, 1, 1, 1];
    const b = [1, 0, 1, 1, 1, 0, 0];
    expect(mcnemar(a, b)).toMatchObject({ onlyA: 3, onlyB: 2, method: "exact-binomial", pValue: 1 });
    expect(mcnemarFromCounts(10, 14).method).toBe("exact-binomial");
    expect(mcnemarFromCounts(10, 15).method).toBe("chi-square-corrected");
  });

  it("Wilcoxon with only zero differences, t-test with one pair, DeLong with bad labels", () => {
    expect(wilcoxonSignedRank([1, 2], [1, 2]).pValue).toBeNaN();
    const many = Array.from({ length: 1001 }, (_, i) => i + 1);
    expect(() => wilcoxonSignedRank(many, new Array<number>(1001).fill(0), { method: "exact" })).toThrow(/limited to 1000/);
    expect(wilcoxonSignedRank(many, new Array<number>(1001).fill(0)).method).toBe("asymptotic");
    expect(pairedTTest([1], [2]).pValue).toBeNaN();
    expect(() => delongTest([1, 0, 2, 0], [1, 2, 3, 4], [1, 2, 3, 4])).toThrow(/neither 0 nor 1/);
    expect(() => delongTest([1, 0, 0, 0], [1, 2, 3, 4], [1, 2, 3, 4])).toThrow(/two positive/);
    expect(delongTest([1, 1, 0, 0], [0.9, 0.8, 0.1, 0.2], [0.9, 0.8, 0.1, 0.2])).toMatchObject({ difference: 0, pValue: 1 });
  });

  it("Holm rejects in input order", () => {
    expect(holmBonferroni([0.04, 0.001, 0.03], 0.05)).toEqual({ adjusted: [0.06, 0.003, 0.06], rejected: [false, true, false] });
  });
});
