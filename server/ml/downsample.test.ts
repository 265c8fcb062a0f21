import { describe, expect, it } from "vitest";
import { downsample, downsampleSummaries, lttb, summarise, type SeriesPoint } from "./downsample";

function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomSeries(r: () => number, n: number): SeriesPoint[] {
  let v = 0;
  return Array.from({ length: n }, (_, i) => {
    v += r() - 0.5;
    const spike = r() < 0.001 ? (r() - 0.5) * 1000 : 0;
    return { step: i * (1 + Math.floor(r() * 3)), value: v + spike, ts: 1_700_000_000_000 + i };
  }).sort((a, b) => a.step - b.step);
}

describe("downsampling properties", () => {
  const r = seeded(11);
  for (let trial = 0; trial < 40; trial++) {
    const n = 10 + Math.floor(r() * 50_000);
    const target = 10 + Math.floor(r() * 1500);
    const series = randomSeries(r, n);
    it(`min/max buckets keep first, last and extremes (n=${n}, target=${target})`, () => {
      const out = downsample(series, target);
      expect(out.length).toBeLessThanOrEqual(Math.max(target, n <= target ? n : target));
      expect(out[0]).toBe(series[0]);
      expect(out.at(-1)).toBe(series.at(-1));
      const min = Math.min(...series.map((p) => p.value));
      const max = Math.max(...series.map((p) => p.value));
      expect(out.some((p) => p.value === min)).toBe(true);
      expect(out.some((p) => p.value === max)).toBe(true);
      for (let i = 1; i < out.length; i++) expect(out[i]!.step).toBeGreaterThanOrEqual(out[i - 1]!.step);
    });
    it(`LTTB returns exactly target points with the ends (n=${n}, target=${target})`, () => {
      const out = lttb(series, target);
      expect(out.length).toBe(Math.min(target, n));
      expect(out[0]).toBe(series[0]);
      expect(out.at(-1)).toBe(series.at(-1));
    });
  }

  it("summaries of summaries equal the summary of all points", () => {
    const s = randomSeries(seeded(3), 5000);
    const parts = [s.slice(0, 1000), s.slice(1000, 3000), s.slice(3000)].map((p) => summarise(p)!);
    const viaParts = downsampleSummaries(parts, 4);
    const direct = downsample(s, 4);
    expect(viaParts.map((p) => p.value).sort()).toEqual(direct.map((p) => p.value).sort());
  });

  it("keeps NaN and infinities out of min/max but never drops the ends", () => {
    const pts: SeriesPoint[] = [NaN, 1, Infinity, -2, NaN].map((value, step) => ({ step, value, ts: step }));
    const s = summarise(pts)!;
    expect(s.max!.value).toBe(Infinity);
    expect(s.min!.value).toBe(-2);
    expect(Number.isNaN(s.first.value)).toBe(true);
  });
});
