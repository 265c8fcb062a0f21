/**
 * The always-valid interval against references from fixtures/sequential.py (numpy/scipy, including the
 * normal-mixture likelihood ratio integrated numerically and inverted), and a seeded simulation of
 * peeking: under no difference it stays within α over many looks, where a fixed-n t-interval does not.
 */
import { describe, expect, it } from "vitest";
import { studentTSf } from "./gates/distributions";
import { Rng } from "./random";
import { differenceSequence, meanSequence, mixtureHalfWidth, mixtureRhoSquared, SequentialDifference } from "./sequential";
import { RunningMoments } from "./stats";
import { expectClose } from "./test-helpers";

interface Fixture {
  versions: Record<string, string>;
  oneSample: { alpha: number; tightestAt: number; x: number[]; looks: { t: number; mean: number; lower: number; upper: number }[] }[];
  twoSample: {
    alpha: number;
    tightestAt: number;
    arms: number[];
    values: number[];
    looks: { k: number; estimate: number; lower: number; upper: number; variance: number; numericLower: number; numericUpper: number }[];
  }[];
  tightness: { alpha: number; tightestAt: number; rho2: number; argmin: number }[];
}

const fixture = (await import("./fixtures/sequential.json")).default as unknown as Fixture;
const TOL = 1e-9;

describe("always-valid interval matches the Python reference", () => {
  it("one mean: Waudby-Smith et al.'s asymptotic confidence sequence at every look", () => {
    let n = 0;
    for (const c of fixture.oneSample) {
      for (const ref of c.looks) {
        const m = new RunningMoments();
        c.x.slice(0, ref.t).forEach((v) => m.push(v));
        const got = meanSequence({ count: m.count, mean: m.mean, variance: m.variance }, { alpha: c.alpha, tightestAt: c.tightestAt })!;
        expectClose(got.lower, ref.lower, TOL, TOL, `one-sample t=${ref.t} lower`);
        expectClose(got.upper, ref.upper, TOL, TOL, `one-sample t=${ref.t} upper`);
        n++;
      }
    }
    expect(n).toBe(15);
  });

  it("difference of two arms streamed row by row: the closed form and the numerically inverted mixture", () => {
    let n = 0;
    for (const c of fixture.twoSample) {
      const seq = new SequentialDifference({ alpha: c.alpha, tightestAt: c.tightestAt });
      let k = 0;
      for (const ref of c.looks) {
        for (; k < ref.k; k++) seq.push(c.arms[k] === 1 ? "candidate" : "stable", c.values[k]!);
        const got = seq.interval()!;
        const label = `alpha=${c.alpha} k=${ref.k}`;
        expectClose(got.estimate, ref.estimate, TOL, TOL, `${label} estimate`);
        expectClose(got.variance, ref.variance, TOL, 0, `${label} variance`);
        expectClose(got.lower, ref.lower, TOL, TOL, `${label} lower`);
        expectClose(got.upper, ref.upper, TOL, TOL, `${label} upper`);
        expectClose(got.lower, ref.numericLower, TOL, TOL, `${label} lower (mixture integral)`);
        expectClose(got.upper, ref.numericUpper, TOL, TOL, `${label} upper (mixture integral)`);
        n++;
      }
    }
    expect(n).toBe(18);
  });

  it("ρ makes the interval narrowest (relative to a fixed-n one) near the requested number of rows", () => {
    for (const ref of fixture.tightness) {
      expectClose(mixtureRhoSquared(ref.alpha, ref.tightestAt), ref.rho2, 1e-12, 0, `rho² alpha=${ref.alpha}`);
      expect(Math.abs(ref.argmin / ref.tightestAt - 1)).toBeLessThan(0.05);
    }
  });

  it("refuses what has no interval: one row, zero variance, a bad alpha", () => {
    expect(differenceSequence({ count: 1, mean: 1, variance: NaN }, { count: 5, mean: 1, variance: 1 }, { alpha: 0.05 })).toBeNull();
    expect(differenceSequence({ count: 5, mean: 1, variance: 0 }, { count: 5, mean: 1, variance: 0 }, { alpha: 0.05 })).toBeNull();
    expect(() => mixtureHalfWidth(1, 1, 0)).toThrow(RangeError);
    expect(() => new SequentialDifference({ alpha: 0.05 }).push("stable", NaN)).toThrow(RangeError);
  });
});

/** Box–Muller standard normal from the seeded generator. */
const normal = (rng: Rng) => Math.sqrt(-2 * Math.log(rng.nextOpen())) * Math.cos(2 * Math.PI * rng.next());

const tQuantiles = new Map<number, number>();
/** Two-sided 1 − α/2 quantile of Student's t by bisection on its survival function. */
function tQuantile(dof: number, alpha: number): number {
  const key = dof * 1000 + alpha;
  let q = tQuantiles.get(key);
  if (q === undefined) {
    let lo = 0;
    let hi = 50;
    for (let i = 0; i < 80; i++) {
      const mid = (lo + hi) / 2;
      if (studentTSf(mid, dof) > alpha / 2) lo = mid;
      else hi = mid;
    }
    tQuantiles.set(key, (q = (lo + hi) / 2));
  }
  return q;
}

/**
 * `sequences` experiments of `rows` rows assigned 50/50 at random, looked at every `every` rows from
 * row 20 on: the share whose always-valid interval, and whose fixed-n pooled t-interval, ever
 * excluded `truth` (a false discovery when truth is the real difference).
 */
function simulate(opts: { seed: number; sequences: number; rows: number; every: number; alpha: number; draw: (rng: Rng, arm: "stable" | "candidate") => number; truth: number }) {
  const rng = new Rng(opts.seed);
  let mixtureMisses = 0;
  let tMisses = 0;
  let excludesZeroAtEnd = 0;
  for (let s = 0; s < opts.sequences; s++) {
    const seq = new SequentialDifference({ alpha: opts.alpha });
    let mixtureMissed = false;
    let tMissed = false;
    for (let i = 1; i <= opts.rows; i++) {
      const arm = rng.next() < 0.5 ? "candidate" : "stable";
      seq.push(arm, opts.draw(rng, arm));
      if (i < 20 || i % opts.every !== 0) continue;
      const ci = seq.interval();
      if (ci && (ci.lower > opts.truth || ci.upper < opts.truth)) mixtureMissed = true;
      const a = seq.stable;
      const b = seq.candidate;
      if (a.count >= 2 && b.count >= 2) {
        const dof = a.count + b.count - 2;
        const pooled = ((a.count - 1) * a.variance + (b.count - 1) * b.variance) / dof;
        const half = tQuantile(dof, opts.alpha) * Math.sqrt(pooled * (1 / a.count + 1 / b.count));
        if (Math.abs(b.mean - a.mean - opts.truth) > half) tMissed = true;
      }
      if (i === opts.rows && ci && (ci.lower > 0 || ci.upper < 0)) excludesZeroAtEnd++;
    }
    if (mixtureMissed) mixtureMisses++;
    if (tMissed) tMisses++;
  }
  return { mixture: mixtureMisses / opts.sequences, t: tMisses / opts.sequences, detected: excludesZeroAtEnd / opts.sequences };
}

describe("peeking after every batch of labels", () => {
  const alpha = 0.05;
  // α plus three binomial standard errors of the simulated share.
  const bound = (m: number) => alpha + 3 * Math.sqrt((alpha * (1 - alpha)) / m);

  it("keeps false discoveries within α under no difference, where a fixed-n t-interval does not", () => {
    const m = 2000;
    const r = simulate({ seed: 7, sequences: m, rows: 1000, every: 10, alpha, draw: (rng) => normal(rng), truth: 0 });
    expect(r.mixture).toBeLessThanOrEqual(bound(m));
    expect(r.t).toBeGreaterThan(0.15);
  });

  it("does so for 0/1 per-row values (accuracy) too", () => {
    const m = 1000;
    const r = simulate({ seed: 11, sequences: m, rows: 1000, every: 10, alpha, draw: (rng) => (rng.next() < 0.8 ? 1 : 0), truth: 0 });
    expect(r.mixture).toBeLessThanOrEqual(bound(m));
    expect(r.t).toBeGreaterThan(0.15);
  });

  it("covers a real difference at every look and finds it by the end", () => {
    const m = 1000;
    const r = simulate({ seed: 13, sequences: m, rows: 1000, every: 10, alpha, draw: (rng, arm) => normal(rng) + (arm === "candidate" ? 0.4 : 0), truth: 0.4 });
    expect(r.mixture).toBeLessThanOrEqual(bound(m));
    expect(r.detected).toBeGreaterThan(0.9);
  });
});
