import { describe, expect, it } from "vitest";
import { binCounts, categoricalPsi, chiSquareTest, jensenShannon, ks2samp, psi, wasserstein1, type CategoricalCounts } from "./drift";
import { Rng } from "./random";
import { expectClose, loadFixture } from "./test-helpers";

interface DriftFixture {
  ks: { name: string; a: number[]; b: number[]; statistic: number; pValue: number | null }[];
  wasserstein: { name: string; samplesOf: string; distance: number }[];
  chiSquare: { name: string; a: Record<string, number>; b: Record<string, number>; statistic: number; pValue: number; dof: number }[];
  jensenShannon: { p: number[]; q: number[]; distance: number }[];
  psi: { name: string; edges: number[]; refCounts: number[]; values: number[] | null; curCounts: number[]; psi: number }[];
  categoricalPsi: { name: string; ref: CategoricalCounts; cur: CategoricalCounts; psi: number }[];
}

const fixture = await loadFixture<DriftFixture>("drift");
const samples = new Map(fixture.ks.map((c) => [c.name, c] as const));

function normals(rng: Rng, n: number, shift = 0): number[] {
  return Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(rng.nextOpen())) * Math.cos(2 * Math.PI * rng.next()) + shift);
}

describe("ks2samp", () => {
  it.each(fixture.ks)("$name matches scipy.stats.ks_2samp(method='asymp')", ({ a, b, statistic, pValue }) => {
    const r = ks2samp(a, b);
    expectClose(r.statistic, statistic, 1e-15, 0, "statistic");
    expectClose(r.pValue, pValue, 1e-6, 1e-12, "pValue");
  });

  it("is symmetric in its samples", () => {
    const rng = new Rng(31);
    for (let t = 0; t < 10; t++) {
      const a = normals(rng, 10 + rng.nextInt(300));
      const b = normals(rng, 10 + rng.nextInt(300), 0.2);
      expect(ks2samp(a, b)).toEqual(ks2samp(b, a));
    }
  });

  it("gives D = 0 and p = 1 for identical samples, and rejects empty ones", () => {
    const a = normals(new Rng(4), 500);
    expect(ks2samp(a, a)).toEqual({ statistic: 0, pValue: 1 });
    expect(() => ks2samp([], a)).toThrow(RangeError);
  });

  it("ignores NaN values", () => {
    expect(ks2samp([1, NaN, 2, 3], [2.5, 4, NaN])).toEqual(ks2samp([1, 2, 3], [2.5, 4]));
  });
});

describe("wasserstein1", () => {
  it.each(fixture.wasserstein)("$name matches scipy.stats.wasserstein_distance", ({ samplesOf, distance }) => {
    const { a, b } = samples.get(samplesOf)!;
    expectClose(wasserstein1(a, b), distance, 1e-9, 1e-15);
  });

  it("is symmetric, zero on identical samples, and equals the shift of a translated sample", () => {
    const a = normals(new Rng(6), 400);
    expect(wasserstein1(a, a)).toBe(0);
    expectClose(wasserstein1(a, a.map((x) => x + 2.5)), 2.5, 1e-12);
    expect(wasserstein1(a, [0, 1])).toBe(wasserstein1([0, 1], a));
  });
});

describe("chiSquareTest", () => {
  it.each(fixture.chiSquare)("$name matches scipy.stats.chi2_contingency(correction=False)", ({ a, b, statistic, pValue, dof }) => {
    const r = chiSquareTest(a, b);
    expect(r.dof).toBe(dof);
    expectClose(r.statistic, statistic, 1e-9, 1e-12, "statistic");
    expectClose(r.pValue, pValue, 1e-6, 1e-300, "pValue");
  });

  it("is symmetric and gives p = 1 for proportional tables", () => {
    const a = { x: 10, y: 20, z: 30 };
    const b = { x: 30, y: 60, z: 90 };
    expect(chiSquareTest(a, b)).toEqual({ statistic: 0, pValue: 1, dof: 2 });
    const c = { x: 12, y: 25, w: 4 };
    expect(chiSquareTest(a, c).statistic).toBeCloseTo(chiSquareTest(c, a).statistic, 12);
  });

  it("rejects a side without observations", () => {
    expect(() => chiSquareTest({ a: 1 }, { a: 0 })).toThrow(RangeError);
    expect(() => chiSquareTest({ a: -1, b: 2 }, { a: 1, b: 1 })).toThrow(RangeError);
  });
});

describe("jensenShannon", () => {
  it.each(fixture.jensenShannon)("$p vs $q matches scipy.spatial.distance.jensenshannon(base=2)", ({ p, q, distance }) => {
    expectClose(jensenShannon(p, q), distance, 1e-12, 1e-15);
  });

  it("lies in [0, 1], is symmetric and zero on identical inputs", () => {
    const rng = new Rng(12);
    for (let t = 0; t < 50; t++) {
      const p = Array.from({ length: 8 }, () => rng.nextInt(5));
      const q = Array.from({ length: 8 }, () => rng.nextInt(5));
      if (p.every((x) => x === 0) || q.every((x) => x === 0)) continue;
      const d = jensenShannon(p, q);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(1);
      expect(d).toBe(jensenShannon(q, p));
      expect(jensenShannon(p, p)).toBe(0);
    }
  });
});

describe("psi and binCounts", () => {
  it.each(fixture.psi)("$name matches the numpy formula", ({ edges, refCounts, values, curCounts, psi: expected }) => {
    if (values !== null) expect(binCounts(values, edges)).toEqual(curCounts);
    expectClose(psi(edges, refCounts, curCounts), expected, 1e-12, 1e-15);
  });

  it("is zero for identical or proportional distributions and positive otherwise", () => {
    const edges = [0, 1, 2, 3, 4];
    expect(psi(edges, [1, 2, 3, 4], [1, 2, 3, 4])).toBe(0);
    expectClose(psi(edges, [1, 2, 3, 4], [10, 20, 30, 40]), 0, 0, 1e-15);
    expect(psi(edges, [1, 2, 3, 4], [4, 3, 2, 1])).toBeGreaterThan(0);
    expect(psi(edges, [1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(psi(edges, [4, 3, 2, 1], [1, 2, 3, 4]), 12);
  });

  it("rejects mismatched lengths and empty sides", () => {
    expect(() => psi([0, 1, 2], [1, 2, 3], [1, 2, 3])).toThrow(RangeError);
    expect(() => psi([0, 1, 2], [0, 0], [1, 2])).toThrow(RangeError);
  });

  it("bins values like numpy and sends outliers to the end bins", () => {
    expect(binCounts([-10, 0, 0.5, 1, 1.99, 2, 3, 99, NaN], [0, 1, 2, 3])).toEqual([3, 2, 3]);
    const rng = new Rng(2);
    const values = Array.from({ length: 1000 }, () => rng.next() * 20 - 5);
    expect(binCounts(values, [0, 2.5, 5, 10]).reduce((a, b) => a + b, 0)).toBe(1000);
  });
});

describe("categoricalPsi", () => {
  it.each(fixture.categoricalPsi)("$name matches the numpy formula over the union of categories", ({ ref, cur, psi: expected }) => {
    expectClose(categoricalPsi(ref, cur), expected, 1e-12, 1e-15);
  });

  it("does not depend on the order of the top lists", () => {
    const ref = { top: [{ value: "a", count: 5 }, { value: "b", count: 3 }], otherCount: 2 };
    const cur = { top: [{ value: "b", count: 4 }, { value: "a", count: 4 }], otherCount: 1 };
    const reversed = { top: [...cur.top].reverse(), otherCount: 1 };
    expect(categoricalPsi(ref, cur)).toBeCloseTo(categoricalPsi(ref, reversed), 14);
    expect(categoricalPsi(ref, ref)).toBe(0);
  });
});
