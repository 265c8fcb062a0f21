import { describe, expect, it } from "vitest";
import { chiSquareTest, jensenShannon, ks2samp, wasserstein1 } from "./drift";
import { Rng } from "./random";
import { expectClose, loadFixture } from "./test-helpers";

interface DriftFixture {
  ks: { name: string; a: number[]; b: number[]; statistic: number; pValue: number | null }[];
  wasserstein: { name: string; samplesOf: string; distance: number }[];
  chiSquare: { name: string; a: Record<string, number>; b: Record<string, number>; statistic: number; pValue: number; dof: number }[];
  jensenShannon: { p: number[]; q: number[]; distance: number }[];
  ksAuto: { name?: string; samplesOf?: string; a?: number[]; b?: number[]; statistic: number; pValue: number | null }[];
}

const fixture = await loadFixture<DriftFixture>("drift");
const samples = new Map(fixture.ks.map((c) => [c.name, c] as const));

function normals(rng: Rng, n: number, shift = 0): number[] {
  return Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(rng.nextOpen())) * Math.cos(2 * Math.PI * rng.next()) + shift);
}

describe("ks2samp", () => {
  it.each(fixture.ks)("$name matches scipy.stats.ks_2samp(method='asymp')", ({ a, b, statistic, pValue }) => {
    const r = ks2samp(a, b, "asymp");
    expectClose(r.statistic, statistic, 1e-15, 0, "statistic");
    expectClose(r.pValue, pValue, 1e-6, 1e-12, "pValue");
    expect(r.method).toBe("asymp");
  });

  // scipy's default: exact while the larger sample has ≤ 10,000 values (statistic snapped to h/lcm), asymp beyond.
  it.each(fixture.ksAuto.map((c) => ({ ...c, label: c.name ?? c.samplesOf! })))("$label matches scipy.stats.ks_2samp(method='auto') to 1e-10", (c) => {
    const a = c.a ?? samples.get(c.samplesOf!)!.a;
    const b = c.b ?? samples.get(c.samplesOf!)!.b;
    const r = ks2samp(a, b);
    expect(r.method).toBe(Math.max(a.length, b.length) <= 10_000 && r.pValue !== null ? "exact" : "asymp");
    expect([r.n1, r.n2]).toEqual([a.length, b.length]);
    expectClose(r.statistic, c.statistic, 0, 1e-15, "statistic");
    // scipy answers NaN for two single values (asymp with an effective size of 0); exact gives 1.
    if (c.pValue !== null) expectClose(r.pValue, c.pValue, 0, 1e-10, "pValue");
  });

  it("runs the full 20k-value columns exactly as scipy, where a 5,000-value sample disagrees", () => {
    const full = fixture.ksAuto.find((c) => c.name === "full_columns_20k")!;
    const r = ks2samp(full.a!, full.b!);
    expect(r).toMatchObject({ method: "asymp", n1: 20_000, n2: 19_000 });
    expectClose(r.pValue, full.pValue, 0, 1e-10, "pValue");
    const sample = ks2samp(full.a!.slice(0, 5000), full.b!.slice(0, 5000));
    expect(Math.abs(sample.pValue - r.pValue)).toBeGreaterThan(0.01);
  });

  it("is symmetric in its samples", () => {
    const rng = new Rng(31);
    for (let t = 0; t < 10; t++) {
      const a = normals(rng, 10 + rng.nextInt(300));
      const b = normals(rng, 10 + rng.nextInt(300), 0.2);
      const [ab, ba] = [ks2samp(a, b), ks2samp(b, a)];
      expect({ ...ab, n1: ab.n2, n2: ab.n1 }).toEqual(ba);
    }
  });

  it("gives D = 0 and p = 1 for identical samples, and rejects empty ones", () => {
    const a = normals(new Rng(4), 500);
    expect(ks2samp(a, a)).toEqual({ statistic: 0, pValue: 1, method: "exact", n1: 500, n2: 500 });
    expect(ks2samp(a, a, "asymp")).toMatchObject({ statistic: 0, pValue: 1 });
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
