import { describe, expect, it } from "vitest";
import { Rng } from "../../random";
import { binColumns, binOf, cutsOfSorted, MISSING_BIN, thresholdOf } from "./binning";

describe("binning", () => {
  it("gives each distinct value its own bin when they fit", () => {
    const column = Float32Array.of(3, 1, NaN, 2, 1, 3, -0, 0);
    const { bins, cuts } = binColumns([column], column.length, 255);
    expect(Array.from(cuts[0]!)).toEqual([0, 1, 2, 3]);
    expect(Array.from(bins)).toEqual([3, 1, MISSING_BIN, 2, 1, 3, 0, 0]);
  });

  it("cuts many values into equal-count bins at float32 training values", () => {
    const rng = new Rng(5);
    const n = 20_000;
    const column = Float32Array.from({ length: n }, () => (rng.next() < 0.05 ? NaN : Math.exp(4 * rng.next())));
    const { bins, cuts } = binColumns([column], n, 255);
    const c = cuts[0]!;
    expect(c.length).toBe(255);
    for (let b = 1; b < c.length; b++) expect(c[b]!).toBeGreaterThan(c[b - 1]!);
    for (const cut of c) expect(Math.fround(cut)).toBe(cut);
    expect(c[c.length - 1]).toBe(Math.max(...column.filter((v) => !Number.isNaN(v))));
    const counts = new Array<number>(256).fill(0);
    for (const b of bins) counts[b]!++;
    const finite = n - counts[MISSING_BIN]!;
    for (let b = 0; b < 255; b++) expect(Math.abs(counts[b]! - finite / 255)).toBeLessThanOrEqual(2);
  });

  it("agrees with the thresholds a split exports: bin ≤ b exactly when x ≤ threshold", () => {
    const rng = new Rng(6);
    const n = 5000;
    const column = Float32Array.from({ length: n }, () => Math.round(rng.next() * 1e4) / 7);
    const { bins, cuts } = binColumns([column], n, 63);
    const c = cuts[0]!;
    const probes = [...column.slice(0, 500), -1e9, 1e9, Infinity, -Infinity];
    for (let b = 0; b < c.length; b++) {
      const t = thresholdOf(c, b);
      for (let i = 0; i < 500; i++) expect(bins[i]! <= b).toBe(column[i]! <= t);
      for (const x of probes) expect(binOf(x, c) <= b).toBe(Math.fround(x) <= t);
    }
    expect(thresholdOf(c, c.length - 1)).toBe(Infinity);
  });

  it("keeps one cut per run of tied values", () => {
    const sorted = Float32Array.from([...new Array<number>(90).fill(1), ...Array.from({ length: 10 }, (_, i) => 2 + i)]);
    expect(Array.from(cutsOfSorted(sorted, sorted.length, 4))).toEqual([1, 5, 8, 11]);
    expect(cutsOfSorted(sorted, 0, 4)).toHaveLength(0);
  });

  it("leaves all-missing columns without value bins", () => {
    const { bins, cuts } = binColumns([Float32Array.of(NaN, NaN)], 2, 255);
    expect(cuts[0]).toHaveLength(0);
    expect(Array.from(bins)).toEqual([MISSING_BIN, MISSING_BIN]);
  });
});
