import { describe, expect, it } from "vitest";
import { calibratedVerdict, calibrateThreshold, calibrationKey, exceeds, referenceFingerprint } from "./calibrated";
import { AliasTable, SortedReference } from "./calibration-windows";
import { ks2samp, wasserstein1 } from "./drift";
import { categoricalColumnData, monitorColumnStats, numericColumnData } from "./monitor-stats";
import { Rng } from "./random";
import { expectClose } from "./test-helpers";

const normal = (rng: Rng, shift = 0) => Math.sqrt(-2 * Math.log(rng.nextOpen())) * Math.cos(2 * Math.PI * rng.next()) + shift;

describe("bootstrap windows", () => {
  it("computes KS and Wasserstein of a window against the reference exactly as ks2samp and wasserstein_distance", () => {
    const rng = new Rng(3);
    // Rounded values: ties inside the reference and between reference and window.
    const ref = Float64Array.from({ length: 3000 }, () => Math.round(normal(rng) * 50) / 50).sort();
    const sorted = new SortedReference(ref);
    for (const n of [1, 7, 100, 2500, 20000]) {
      const idx = Uint32Array.from({ length: n }, () => rng.nextInt(ref.length));
      const window = Float64Array.from(idx, (i) => ref[i]!);
      const tally = new Map<number, number>();
      for (const i of idx) tally.set(sorted.distinctOf[i]!, (tally.get(sorted.distinctOf[i]!) ?? 0) + 1);
      const ms = Uint32Array.from([...tally.keys()].sort((a, b) => a - b));
      const counts = Uint32Array.from(ms, (m) => tally.get(m)!);
      const r = sorted.compare(ms, counts, ms.length, n, true);
      expectClose(r.ks, ks2samp(ref, window, "asymp").statistic, 1e-12, 1e-15, `ks n=${n}`);
      expectClose(r.wasserstein, wasserstein1(ref, window), 1e-9, 1e-13, `wasserstein n=${n}`);
    }
  });

  it("draws bins with the alias table's probabilities", () => {
    const weights = [5, 0, 1, 3, 0.5, 10];
    const counts = new Float64Array(weights.length);
    const draws = 2_000_000;
    new AliasTable(weights).addDraws(counts, draws, new Rng(8), new Uint32Array(4096));
    const total = weights.reduce((s, w) => s + w, 0);
    weights.forEach((w, i) => {
      const p = w / total;
      const sd = Math.sqrt(draws * p * (1 - p));
      expect(Math.abs(counts[i]! - draws * p), `bin ${i}`).toBeLessThanOrEqual(5 * sd + 1e-9);
    });
    expect(counts[1]).toBe(0);
  });
});

describe("calibrateThreshold", () => {
  it("refuses too few bootstraps for alpha, bad alpha and bad window sizes", () => {
    const ref = numericColumnData([1, 2, 3, 4]);
    expect(() => calibrateThreshold("psi", ref, 10, { alpha: 0.01, bootstraps: 50 })).toThrow(/too few/);
    expect(() => calibrateThreshold("psi", ref, 10, { alpha: 1.5 })).toThrow(/alpha/);
    expect(() => calibrateThreshold("ks", ref, 0)).toThrow(/positive integer/);
    expect(() => calibrateThreshold("chisquare", ref, 10)).toThrow(/categorical/);
  });

  it("is deterministic for a seed, keyed by the reference's content", () => {
    const a = numericColumnData(Array.from({ length: 500 }, (_, i) => Math.sin(i)));
    const b = numericColumnData(Array.from({ length: 500 }, (_, i) => Math.sin(i + 1)));
    expect(calibrateThreshold("ks", a, 50, { bootstraps: 200 })).toEqual(calibrateThreshold("ks", a, 50, { bootstraps: 200 }));
    expect(referenceFingerprint(a)).toBe(referenceFingerprint(numericColumnData(Array.from({ length: 500 }, (_, i) => Math.sin(i)))));
    expect(referenceFingerprint(a)).not.toBe(referenceFingerprint(b));
    expect(calibrationKey(referenceFingerprint(a), "ks", 50)).toBe(`${referenceFingerprint(a)}:ks:n=50:alpha=0.05:B=1000:seed=24301`);
    expect(exceeds(0.1 + 1e-17, 0.1)).toBe(false);
    expect(exceeds(0.1001, 0.1)).toBe(true);
  });
});

// Smallest k with P(Binomial(n, p) ≤ k) ≥ q.
function binomialQuantile(n: number, p: number, q: number): number {
  let cdf = 0;
  let logPmf = n * Math.log1p(-p);
  for (let k = 0; k <= n; k++) {
    cdf += Math.exp(logPmf);
    if (cdf >= q) return k;
    logPmf += Math.log((n - k) / (k + 1)) + Math.log(p / (1 - p));
  }
  return n;
}

describe("calibrated thresholds by simulation: windows drawn from the reference", () => {
  const ALPHA = 0.05;
  const WINDOWS = 400;
  const allowed = binomialQuantile(WINDOWS, ALPHA, 0.999);
  const rng = new Rng(2026);
  const refValues = Float64Array.from({ length: 20_000 }, () => normal(rng));
  const reference = numericColumnData(refValues);
  const letters = Array.from({ length: 20 }, (_, i) => `c${i}`);
  const weights = letters.map((_, i) => 1 / (i + 1));
  const weightTotal = weights.reduce((s, w) => s + w, 0);
  const pick = (r: Rng) => {
    let u = r.next() * weightTotal;
    for (let i = 0; i < letters.length; i++) if ((u -= weights[i]!) < 0) return letters[i]!;
    return letters.at(-1)!;
  };
  const refCategories = Array.from({ length: 20_000 }, () => pick(rng));
  const categoricalRef = categoricalColumnData(refCategories);

  it.each([100, 1_000, 100_000])(`PSI and KS alarm at most at α = ${ALPHA} on %i-row windows (≤ the binomial 99.9 %% bound of ${WINDOWS} windows)`, (n) => {
    const psiT = calibrateThreshold("psi", reference, n, { bootstraps: 500 });
    const ksT = calibrateThreshold("ks", reference, n, { bootstraps: 500 });
    const jsT = calibrateThreshold("jensenshannon", categoricalRef, n, { bootstraps: 500 });
    const draw = new Rng(n);
    let psiAlarms = 0;
    let ksAlarms = 0;
    let jsAlarms = 0;
    const windowValues = new Float64Array(n);
    for (let w = 0; w < WINDOWS; w++) {
      for (let i = 0; i < n; i++) windowValues[i] = refValues[draw.nextInt(refValues.length)]!;
      const s = monitorColumnStats("x", reference, numericColumnData(windowValues));
      if (exceeds(s.psi, psiT.threshold)) psiAlarms++;
      if (exceeds(s.ks!.statistic, ksT.threshold)) ksAlarms++;
      const cats = categoricalColumnData(Array.from({ length: n }, () => refCategories[draw.nextInt(refCategories.length)]!));
      if (exceeds(monitorColumnStats("region", categoricalRef, cats).jensenShannon, jsT.threshold)) jsAlarms++;
    }
    console.log(`n=${n}: alarms of ${WINDOWS} reference windows: PSI ${psiAlarms} (threshold ${psiT.threshold.toPrecision(3)}), KS ${ksAlarms} (D > ${ksT.threshold.toPrecision(3)}), JS ${jsAlarms} (> ${jsT.threshold.toPrecision(3)}); allowed ≤ ${allowed}`);
    expect(psiAlarms).toBeLessThanOrEqual(allowed);
    expect(ksAlarms).toBeLessThanOrEqual(allowed);
    expect(jsAlarms).toBeLessThanOrEqual(allowed);
    // The thresholds shrink with the window: one fixed number cannot be right for every n.
    if (n === 100) expect(psiT.threshold).toBeGreaterThan(0.1);
    if (n === 100_000) expect(psiT.threshold).toBeLessThan(0.01);
  }, 600_000);
});
