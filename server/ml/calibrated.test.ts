import { describe, expect, it } from "vitest";
import { calibratedVerdict, calibrateThreshold, calibrationKey, exceeds, referenceFingerprint } from "./calibrated";
import { BinSampler, compareTallies, drawTally, SortedReference } from "./calibration-windows";
import type { ColumnData } from "./column-data";
import { ks2samp, wasserstein1 } from "./drift";
import { evidentlyVerdict } from "./evidently";
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

  it("computes KS and Wasserstein of a redrawn reference against a window exactly as ks2samp and wasserstein_distance", () => {
    const rng = new Rng(4);
    const ref = Float64Array.from({ length: 2000 }, () => Math.round(normal(rng) * 20) / 20).sort();
    const sorted = new SortedReference(ref);
    const draws = new Uint32Array(512);
    for (const [na, nb, missing] of [[2000, 300, 0], [2000, 5000, 100], [50, 3, 0]] as const) {
      const a = new Uint32Array(sorted.distinct.length);
      const b = new Uint32Array(sorted.distinct.length);
      const presentA = drawTally(sorted, na, 0, rng, draws, a);
      const presentB = drawTally(sorted, nb, missing, rng, draws, b);
      expect(presentA).toBe(na);
      expect(presentB).toBeLessThanOrEqual(nb);
      if (missing > 0) expect(presentB).toBeLessThan(nb);
      const expand = (t: Uint32Array) => Float64Array.from([...t].flatMap((c, m) => Array<number>(c).fill(sorted.distinct[m]!)));
      const r = compareTallies(sorted, a, presentA, b, presentB, true);
      expectClose(r.ks, ks2samp(expand(a), expand(b), "asymp").statistic, 1e-12, 1e-15, `ks ${na}/${nb}`);
      expectClose(r.wasserstein, wasserstein1(expand(a), expand(b)), 1e-9, 1e-13, `wasserstein ${na}/${nb}`);
    }
  });

  it("draws bins with the weights' probabilities", () => {
    const weights = [5, 0, 1, 3, 0.5, 10];
    const counts = new Float64Array(weights.length);
    const draws = 2_000_000;
    new BinSampler(weights).addDraws(counts, draws, new Rng(8), new Uint32Array(4096));
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
    expect(calibrationKey(referenceFingerprint(a), "ks", 50)).toBe(`${referenceFingerprint(a)}:ks:n=50:alpha=0.05:B=1000:seed=24301:reference=auto`);
    expect(calibrateThreshold("psi", a, 10, { bootstraps: 100 }).referenceResampled).toBe(false);
    expect(calibrateThreshold("psi", a, 26, { bootstraps: 100 }).referenceResampled).toBe(true);
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
  const atLeast = binomialQuantile(WINDOWS, ALPHA, 0.001);
  const rng = new Rng(2026);
  const refValues = Float64Array.from({ length: 20_000 }, () => normal(rng));
  const reference = numericColumnData(refValues);
  const letters = Array.from({ length: 20 }, (_, i) => `c${i}`);
  const weights = letters.map((_, i) => 1 / (i + 1));
  const weightTotal = weights.reduce((s, w) => s + w, 0);
  const pick = (r: Rng) => {
    let u = r.next() * weightTotal;
    for (let i = 0; i < letters.length; i++) if ((u -= weights[i]!) < 0) return i;
    return letters.length - 1;
  };
  const refCategories = Uint8Array.from({ length: 20_000 }, () => pick(rng));
  const categoricalRef = categoricalColumnData(Array.from(refCategories, (i) => letters[i]!));
  // A window of category rows drawn from the reference, counted without building n strings.
  const categoryWindow = (n: number, r: Rng): ColumnData => {
    const tally = new Float64Array(letters.length);
    for (let i = 0; i < n; i++) tally[refCategories[r.nextInt(refCategories.length)]!]!++;
    const counts = new Map(letters.map((k, i) => [k, tally[i]!] as const).filter(([, c]) => c > 0));
    return { kind: "categorical", type: "categorical", counts, missing: 0, distinct: counts.size, approx: false };
  };

  it.each([100, 1_000, 100_000])(`PSI and KS alarm at most at α = ${ALPHA} on %i-row windows (at most the binomial 99.9th percentile of ${WINDOWS} windows)`, (n) => {
    // α = 0.05, B = 1000 bootstrap windows (the defaults), the reference as the population ("fixed":
    // the windows here are drawn from it; the test below covers windows from the population).
    const psiT = calibrateThreshold("psi", reference, n, { reference: "fixed" });
    const ksT = calibrateThreshold("ks", reference, n, { reference: "fixed" });
    const jsT = calibrateThreshold("jensenshannon", categoricalRef, n, { reference: "fixed" });
    const draw = new Rng(n);
    const alarms = { psi: 0, ks: 0, js: 0, evidentlyNumeric: 0, evidentlyCategorical: 0 };
    const windowValues = new Float64Array(n);
    for (let w = 0; w < WINDOWS; w++) {
      for (let i = 0; i < n; i++) windowValues[i] = refValues[draw.nextInt(refValues.length)]!;
      const current = numericColumnData(windowValues);
      const s = monitorColumnStats("x", reference, current);
      if (exceeds(s.psi, psiT.threshold)) alarms.psi++;
      if (exceeds(s.ks!.statistic, ksT.threshold)) alarms.ks++;
      const cats = categoryWindow(n, draw);
      if (exceeds(monitorColumnStats("region", categoricalRef, cats).jensenShannon, jsT.threshold)) alarms.js++;
      if (n <= 1000 && evidentlyVerdict(reference, current).drifted) alarms.evidentlyNumeric++;
      if (n <= 1000 && evidentlyVerdict(categoricalRef, cats).drifted) alarms.evidentlyCategorical++;
    }
    const rate = (k: number) => `${k}/${WINDOWS} (${((100 * k) / WINDOWS).toFixed(1)} %)`;
    console.log(
      `n=${n}: false alarms on windows drawn from the reference (expected ${atLeast}–${allowed}): calibrated PSI ${rate(alarms.psi)} [threshold ${psiT.threshold.toPrecision(3)}], ` +
        `KS ${rate(alarms.ks)} [D > ${ksT.threshold.toPrecision(3)}], JS ${rate(alarms.js)} [> ${jsT.threshold.toPrecision(3)}]; ` +
        (n <= 1000 ? `Evidently's defaults: numeric (normed Wasserstein ≥ 0.1) ${rate(alarms.evidentlyNumeric)}, categorical (JS ≥ 0.1) ${rate(alarms.evidentlyCategorical)}` : "Evidently not run"),
    );
    for (const k of [alarms.psi, alarms.ks, alarms.js]) {
      expect(k).toBeLessThanOrEqual(allowed);
      // …and the thresholds are not merely conservative: the rate is α within sampling error.
      expect(k).toBeGreaterThanOrEqual(atLeast);
    }
    if (n === 100) {
      // Evidently's fixed thresholds cry wolf on small windows: far beyond what α allows.
      expect(alarms.evidentlyNumeric).toBeGreaterThan(allowed);
      expect(alarms.evidentlyCategorical).toBeGreaterThan(allowed);
      expect(alarms.evidentlyNumeric).toBeGreaterThan(2 * Math.max(alarms.psi, alarms.ks));
      expect(psiT.threshold).toBeGreaterThan(0.1);
    }
    if (n === 100_000) expect(psiT.threshold).toBeLessThan(0.01);
  }, 600_000);

  it("calibrates chi-square and JS on categorical columns and flags a real shift with Cramér's V as effect", () => {
    const chiT = calibrateThreshold("chisquare", categoricalRef, 2000, { bootstraps: 400 });
    // ≈ the χ²(19) 95 % quantile (30.1) shrunk by n_ref / (n_ref + n) for a window drawn from the reference.
    expect(chiT.threshold).toBeGreaterThan(22);
    expect(chiT.threshold).toBeLessThan(34);
    const r = new Rng(77);
    const tilted = categoricalColumnData(Array.from({ length: 2000 }, () => letters[r.next() < 0.2 ? letters.length - 1 : pick(r)]!));
    const stats = monitorColumnStats("region", categoricalRef, tilted);
    const chi = calibratedVerdict(stats, chiT)!;
    expect(chi).toMatchObject({ statistic: "chisquare", drifted: true, nRef: 20_000, nCur: 2000 });
    expectClose(chi.effect, Math.sqrt(stats.chiSquare!.statistic / 22_000), 1e-12);
    expect(calibratedVerdict(stats, calibrateThreshold("jensenshannon", categoricalRef, 2000, { bootstraps: 400 }))!.drifted).toBe(true);
  });

  it("holds α for windows from the reference's population when n is close to n_ref only with the reference resampled", () => {
    const n = 20_000;
    const fresh = new Rng(99);
    const counts = { fixedKs: 0, resampledKs: 0, fixedPsi: 0, resampledPsi: 0 };
    const t = {
      fixedKs: calibrateThreshold("ks", reference, n, { reference: "fixed", bootstraps: 400 }),
      resampledKs: calibrateThreshold("ks", reference, n, { bootstraps: 400 }),
      fixedPsi: calibrateThreshold("psi", reference, n, { reference: "fixed", bootstraps: 400 }),
      resampledPsi: calibrateThreshold("psi", reference, n, { bootstraps: 400 }),
    };
    expect(t.resampledKs.referenceResampled && !t.fixedKs.referenceResampled).toBe(true);
    const values = new Float64Array(n);
    for (let w = 0; w < WINDOWS; w++) {
      for (let i = 0; i < n; i++) values[i] = normal(fresh);
      const s = monitorColumnStats("x", reference, numericColumnData(values));
      if (exceeds(s.ks!.statistic, t.fixedKs.threshold)) counts.fixedKs++;
      if (exceeds(s.ks!.statistic, t.resampledKs.threshold)) counts.resampledKs++;
      if (exceeds(s.psi, t.fixedPsi.threshold)) counts.fixedPsi++;
      if (exceeds(s.psi, t.resampledPsi.threshold)) counts.resampledPsi++;
    }
    console.log(`n = n_ref = 20,000, windows from the population: alarms KS fixed ${counts.fixedKs}, resampled ${counts.resampledKs}; PSI fixed ${counts.fixedPsi}, resampled ${counts.resampledPsi} (of ${WINDOWS}; allowed ≤ ${allowed})`);
    expect(counts.resampledKs).toBeLessThanOrEqual(allowed);
    expect(counts.resampledPsi).toBeLessThanOrEqual(allowed);
    expect(counts.fixedKs).toBeGreaterThan(allowed);
    expect(counts.fixedPsi).toBeGreaterThan(allowed);
  }, 600_000);

  it("alarms on a real shift but not on a trivial one in a huge window (the effect floor)", () => {
    const shifted = (n: number, shift: number, seed: number) => {
      const r = new Rng(seed);
      return numericColumnData(Array.from({ length: n }, () => refValues[r.nextInt(refValues.length)]! + shift));
    };
    const big = monitorColumnStats("x", reference, shifted(100_000, 0.05, 1));
    const bigT = calibrateThreshold("ks", reference, 100_000, { bootstraps: 200 });
    expect(exceeds(big.ks!.statistic, bigT.threshold)).toBe(true);
    // A fixed p < 0.05 would call it drift.
    expect(big.ks!.pValue).toBeLessThan(0.05);
    const trivial = calibratedVerdict(big, bigT)!;
    expect(trivial).toMatchObject({ statistic: "ks", drifted: false, floor: 0.1, nRef: 20_000, nCur: 100_000 });
    expect(trivial.effect).toBeLessThan(0.1);
    const real = monitorColumnStats("x", reference, shifted(1000, 0.5, 2));
    for (const statistic of ["ks", "psi", "wasserstein"] as const) {
      const v = calibratedVerdict(real, calibrateThreshold(statistic, reference, 1000, { bootstraps: 200 }))!;
      expect(v.drifted, statistic).toBe(true);
      expect(v.value).toBeGreaterThan(v.threshold);
    }
  });
});
