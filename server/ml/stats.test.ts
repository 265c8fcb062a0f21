import { describe, expect, it } from "vitest";
import {
  HyperLogLog,
  Reservoir,
  Rng,
  RunningMoments,
  chiSquareSf,
  countDistinctSorted,
  hash64,
  histogram,
  histogramSorted,
  kolmogorovSf,
  kolmogorovTwoSidedSf,
  logGamma,
  meanVariance,
  quantile,
  regularizedGammaP,
  regularizedGammaQ,
  sampleIndices,
  smirnovSf,
  sortCountDistinct,
  sortFloat64,
} from "./stats";
import { expectClose, loadFixture } from "./test-helpers";

interface StatsFixture {
  quantiles: { values: number[]; q: number[]; expected: number[] }[];
  moments: { values: number[]; mean: number; std: number | null }[];
  histograms: { values: number[]; bins: number; range: [number, number] | null; edges: number[]; counts: number[] }[];
  logGamma: { x: number; expected: number }[];
  gammaincc: { a: number; x: number; q: number; p: number }[];
  chi2: { x: number; dof: number; sf: number }[];
  kolmogorovLimit: { x: number; sf: number }[];
  smirnov: { n: number; x: number; sf: number }[];
  kstwo: { n: number; x: number; sf: number }[];
  hashes: { text: string; fnv: string; hash: string }[];
  numberHashes: { x: number; hash: string }[];
  xoshiro: { seed: number; outputs: number[] }[];
}

const fixture = await loadFixture<StatsFixture>("stats");
const hex = (hi: number, lo: number) => hi.toString(16).padStart(8, "0") + lo.toString(16).padStart(8, "0");

describe("moments", () => {
  it.each(fixture.moments.map((c, i) => [i, c] as const))("case %i matches pandas mean and std (ddof=1)", (_, c) => {
    const exact = meanVariance(c.values);
    expectClose(exact.mean, c.mean, 1e-12, 1e-15, "two-pass mean");
    expectClose(c.values.length > 1 ? Math.sqrt(exact.variance) : null, c.std, 1e-12, 0, "two-pass std");
    const running = new RunningMoments();
    for (const x of c.values) running.push(x);
    expectClose(running.mean, c.mean, 1e-9, 1e-12, "Welford mean");
    expectClose(c.values.length > 1 ? running.std : null, c.std, 1e-9, 0, "Welford std");
  });

  it("merges partial Welford results into the moments of the whole", () => {
    const rng = new Rng(5);
    const values = Array.from({ length: 1000 }, () => rng.next() * 100 - 20);
    const left = new RunningMoments();
    const right = new RunningMoments();
    values.forEach((x, i) => (i < 337 ? left : right).push(x));
    left.merge(right);
    const exact = meanVariance(values);
    expectClose(left.mean, exact.mean, 1e-12);
    expectClose(left.variance, exact.variance, 1e-12);
    expect(left.count).toBe(1000);
  });

  it("keeps precision for values with a huge common offset", () => {
    const values = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16];
    const running = new RunningMoments();
    for (const x of values) running.push(x);
    expect(meanVariance(values).variance).toBe(30);
    expectClose(running.variance, 30, 1e-12);
  });
});

describe("quantile", () => {
  it.each(fixture.quantiles.map((c, i) => [i, c] as const))("case %i matches numpy's linear method bit for bit", (_, c) => {
    const sorted = Float64Array.from(c.values);
    c.q.forEach((q, k) => expect(quantile(sorted, q), `q=${q}`).toBe(c.expected[k]));
  });

  it("is monotone in q on random data", () => {
    const rng = new Rng(11);
    for (let trial = 0; trial < 20; trial++) {
      const n = 1 + rng.nextInt(200);
      const data = sortFloat64(Float64Array.from({ length: n }, () => Math.round(rng.next() * 20) / 4));
      let previous = -Infinity;
      for (let q = 0; q <= 1; q += 0.01) {
        const v = quantile(data, Math.min(q, 1));
        expect(v).toBeGreaterThanOrEqual(previous);
        expect(v).toBeGreaterThanOrEqual(data[0]!);
        expect(v).toBeLessThanOrEqual(data[n - 1]!);
        previous = v;
      }
    }
  });

  it("rejects q outside [0, 1] and gives NaN without data", () => {
    expect(() => quantile(new Float64Array([1]), 1.5)).toThrow(RangeError);
    expect(quantile(new Float64Array(0), 0.5)).toBeNaN();
  });
});

describe("histogram", () => {
  it.each(fixture.histograms.map((c, i) => [i, c] as const))("case %i matches numpy.histogram edges and counts exactly", (_, c) => {
    const h = histogram(c.values, c.bins, c.range ?? undefined);
    expect(h.edges).toEqual(c.edges);
    expect(h.counts).toEqual(c.counts);
  });

  it.each(fixture.histograms.map((c, i) => [i, c] as const))("case %i: the sorted-input variant agrees exactly", (_, c) => {
    const sorted = sortFloat64(Float64Array.from(c.values));
    const h = histogramSorted(sorted, c.bins, c.range ?? undefined);
    expect(h.edges).toEqual(c.edges);
    expect(h.counts).toEqual(c.counts);
  });

  it("agrees between the sorted and unsorted variants on random and tied data", () => {
    const rng = new Rng(21);
    for (let trial = 0; trial < 40; trial++) {
      const offset = trial % 3 === 0 ? 1e16 : trial % 3 === 1 ? 1e9 : 0;
      const values = Array.from({ length: 1 + rng.nextInt(3000) }, () => offset + Math.round((rng.next() - 0.5) * 10 ** rng.nextInt(5)) / 4);
      const sorted = sortFloat64(Float64Array.from(values));
      const bins = 1 + rng.nextInt(40);
      const range: [number, number] | undefined = trial % 2 === 0 ? undefined : [sorted[0]! + 1, sorted.at(-1)! - 1];
      if (range && range[0] > range[1]) continue;
      expect(histogramSorted(sorted, bins, range)).toEqual(histogram(values, bins, range));
    }
  });

  it("counts every in-range value exactly once", () => {
    const rng = new Rng(3);
    for (let trial = 0; trial < 20; trial++) {
      const values = Array.from({ length: 500 }, () => (rng.next() - 0.5) * 10 ** rng.nextInt(6));
      const h = histogram(values, 1 + rng.nextInt(30));
      expect(h.counts.reduce((a, b) => a + b, 0)).toBe(values.length);
      expect(h.edges.length).toBe(h.counts.length + 1);
    }
  });

  it("ignores NaN and values outside an explicit range", () => {
    const h = histogram([NaN, -5, 0, 0.5, 1, 9], 2, [0, 1]);
    expect(h.counts).toEqual([1, 2]);
  });
});

describe("sortFloat64", () => {
  it("agrees with a comparison sort on mixed signs, zeros, infinities and ties", () => {
    const rng = new Rng(17);
    const values = Float64Array.from({ length: 50_000 }, (_, i) => {
      if (i % 997 === 0) return [Infinity, -Infinity, 0, -0][i % 4]!;
      return rng.next() < 0.3 ? rng.nextInt(7) - 3 : (rng.next() - 0.5) * 10 ** (rng.nextInt(40) - 20);
    });
    const expected = Array.from(values).sort((a, b) => a - b);
    const sorted = values.slice();
    expect(sortCountDistinct(sorted)).toBe(new Set(expected).size);
    expect(Array.from(sorted).map((x) => (x === 0 ? 0 : x))).toEqual(expected.map((x) => (x === 0 ? 0 : x)));
  });

  it("finishes runs that share their high 32 bits (large offsets, dense ties)", () => {
    const rng = new Rng(23);
    for (const make of [
      () => 1e9 + rng.next() * 500,
      () => 1e9 + rng.nextInt(5) * 0.25,
      () => -(2 ** 40) - rng.nextInt(1 << 20),
      () => rng.nextInt(3),
    ]) {
      const values = Float64Array.from({ length: 20_000 }, make);
      const expected = Array.from(values).sort((a, b) => a - b);
      expect(sortCountDistinct(values)).toBe(new Set(expected).size);
      expect(Array.from(values)).toEqual(expected);
    }
  });

  it("sorts a subarray view in place", () => {
    const backing = Float64Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 10_007);
    const view = backing.subarray(100, 9_100);
    const expected = Array.from(view).sort((a, b) => a - b);
    sortFloat64(view);
    expect(Array.from(view)).toEqual(expected);
    expect(backing[0]).toBe(0);
    expect(countDistinctSorted(view)).toBe(new Set(expected).size);
  });
});

describe("special functions", () => {
  it.each(fixture.logGamma)("logGamma($x) matches scipy.special.gammaln", ({ x, expected }) => {
    expectClose(logGamma(x), expected, 1e-13, 1e-14);
  });

  it("regularized incomplete gamma matches scipy gammainc/gammaincc", () => {
    for (const c of fixture.gammaincc) {
      expectClose(regularizedGammaQ(c.a, c.x), c.q, 1e-9, 1e-300, `Q(${c.a}, ${c.x})`);
      expectClose(regularizedGammaP(c.a, c.x), c.p, 1e-9, 1e-300, `P(${c.a}, ${c.x})`);
    }
  });

  it("chi-square survival function matches scipy.stats.chi2.sf", () => {
    for (const c of fixture.chi2) expectClose(chiSquareSf(c.x, c.dof), c.sf, 1e-9, 1e-300, `chi2.sf(${c.x}, ${c.dof})`);
  });

  it("Kolmogorov limiting distribution matches scipy.special.kolmogorov", () => {
    for (const c of fixture.kolmogorovLimit) expectClose(kolmogorovSf(c.x), c.sf, 1e-12, 1e-16, `kolmogorov(${c.x})`);
  });

  it("one-sided Smirnov distribution matches scipy.special.smirnov", () => {
    for (const c of fixture.smirnov) expectClose(smirnovSf(c.n, c.x), c.sf, 1e-9, 1e-300, `smirnov(${c.n}, ${c.x})`);
  });

  it("two-sided finite-n distribution matches scipy.stats.kstwo.sf on every algorithm's range", () => {
    for (const c of fixture.kstwo) expectClose(kolmogorovTwoSidedSf(c.n, c.x), c.sf, 1e-9, 1e-15, `kstwo.sf(${c.x}, ${c.n})`);
  });
});

describe("random", () => {
  it.each(fixture.xoshiro)("xoshiro128** seeded with $seed matches the reference algorithm", ({ seed, outputs }) => {
    const rng = new Rng(seed);
    expect(outputs.map(() => rng.nextUint32())).toEqual(outputs);
    // fillUint32 (the calibration bootstrap's bulk draws) continues the same stream.
    const bulk = new Rng(seed);
    const head = new Uint32Array(5);
    bulk.fillUint32(head);
    const middle = bulk.nextUint32();
    const tail = new Uint32Array(outputs.length - 6);
    bulk.fillUint32(tail);
    expect([...head, middle, ...tail]).toEqual(outputs);
  });

  it("draws uniform doubles (chi-square goodness of fit over 20 cells)", () => {
    const rng = new Rng(123);
    const cells = new Array<number>(20).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      expect(u >= 0 && u < 1).toBe(true);
      cells[Math.floor(u * 20)]!++;
    }
    const statistic = cells.reduce((s, c) => s + (c - n / 20) ** 2 / (n / 20), 0);
    expect(chiSquareSf(statistic, 19)).toBeGreaterThan(1e-4);
  });

  it("samples distinct sorted indices", () => {
    const rng = new Rng(9);
    const picked = sampleIndices(1000, 100, rng);
    expect(new Set(picked).size).toBe(100);
    expect(picked).toEqual([...picked].sort((a, b) => a - b));
    expect(picked.every((i) => i >= 0 && i < 1000)).toBe(true);
    expect(sampleIndices(5, 10, rng)).toEqual([0, 1, 2, 3, 4]);
  });

  it("keeps each stream position in a reservoir with equal probability", () => {
    const hits = new Array<number>(10).fill(0);
    const trials = 4000;
    for (let t = 0; t < trials; t++) {
      const reservoir = new Reservoir(3, new Rng(t));
      for (let i = 0; i < 10; i++) reservoir.offer(i);
      for (const v of reservoir.values) hits[v]!++;
    }
    const expected = (trials * 3) / 10;
    const statistic = hits.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chiSquareSf(statistic, 9)).toBeGreaterThan(1e-4);
  });

  it("is reproducible from its seed", () => {
    const a = new Reservoir(50, new Rng(77));
    const b = new Reservoir(50, new Rng(77));
    for (let i = 0; i < 10_000; i++) {
      a.offer(i);
      b.offer(i);
    }
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
    expect(a.count).toBe(10_000);
  });
});

describe("hashing and HyperLogLog", () => {
  it.each(fixture.hashes)("hash64($text) matches FNV-1a 64 and fmix64 computed with Python integers", ({ text, fnv, hash }) => {
    const h = hash64(text);
    expect(hex(h.fnvHi, h.fnvLo)).toBe(fnv);
    expect(hex(h.hi, h.lo)).toBe(hash);
  });

  it("matches the published FNV-1a 64 test vectors", () => {
    const h = hash64("foobar");
    expect(hex(h.fnvHi, h.fnvLo)).toBe("85944171f73967e8");
    const empty = hash64("");
    expect(hex(empty.fnvHi, empty.fnvLo)).toBe("cbf29ce484222325");
  });

  it("hashes numbers by their IEEE bits", () => {
    for (const { x, hash } of fixture.numberHashes) {
      const sketch = new HyperLogLog();
      sketch.addNumber(x);
      const index = parseInt(hash.slice(0, 4), 16) >>> 2;
      expect(sketch.registers[index], `x=${x}`).toBeGreaterThan(0);
    }
  });

  it.each([1, 10, 1000, 20_000, 300_000])("estimates %i distinct strings within 4 standard errors", (n) => {
    const sketch = new HyperLogLog();
    for (let i = 0; i < n; i++) {
      sketch.addString(`item-${i}`);
      if (i % 3 === 0) sketch.addString(`item-${i}`);
    }
    const estimate = sketch.estimate();
    expect(Math.abs(estimate - n)).toBeLessThanOrEqual(Math.max(0.5, 4 * 0.0081 * n));
  });

  it("merges sketches into the union's estimate", () => {
    const a = new HyperLogLog();
    const b = new HyperLogLog();
    for (let i = 0; i < 30_000; i++) a.addNumber(i);
    for (let i = 20_000; i < 50_000; i++) b.addNumber(i);
    a.merge(b);
    expect(Math.abs(a.estimate() - 50_000)).toBeLessThan(4 * 0.0081 * 50_000);
  });
});
