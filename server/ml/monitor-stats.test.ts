import { describe, expect, it } from "vitest";
import { jensenShannon } from "./drift";
import { categoricalColumnData, datasetDriftShare, monitorColumnStats, numericColumnData, populationStd, predictionDrift, wassersteinNormed } from "./monitor-stats";
import { psiOfCounts } from "./psi";
import { expectClose, loadFixture } from "./test-helpers";

interface MonitorFixture {
  wasserstein: { name: string; a: number[]; b: number[]; distance: number; std: number; normed: number }[];
  jsNatural: { p: number[]; q: number[]; distance: number }[];
  monitor: {
    numeric: { name: string; ref: (number | null)[]; cur: (number | null)[]; reference: number[]; current: number[]; psi: number; jensenShannon: number; missingShare: { reference: number; current: number } }[];
    categorical: { name: string; ref: Record<string, number>; refMissing: number; cur: Record<string, number>; curMissing: number; jensenShannon: number; missingShare: { reference: number; current: number }; unseenShare: number }[];
  };
}

const fixture = await loadFixture<MonitorFixture>("monitor");
const nums = (xs: (number | null)[]) => xs.map((x) => (x === null ? NaN : x));

function categorical(counts: Record<string, number>, missing: number) {
  const values: (string | null)[] = Array.from({ length: missing }, () => null);
  for (const [k, c] of Object.entries(counts)) for (let i = 0; i < c; i++) values.push(k);
  return categoricalColumnData(values);
}

describe("normed Wasserstein (Evidently's wasserstein_distance_norm)", () => {
  it.each(fixture.wasserstein)("$name matches scipy.stats.wasserstein_distance / max(np.std(reference), 0.001)", (c) => {
    const r = wassersteinNormed(c.a, c.b);
    expectClose(r.distance, c.distance, 1e-9, 1e-15, "distance");
    expectClose(r.referenceStd, c.std, 1e-12, 1e-15, "std");
    expectClose(r.normed, c.normed, 1e-9, 1e-12, "normed");
  });

  it("floors a zero spread at 0.001 instead of dividing by 0, and leaves out non-finite values", () => {
    expect(populationStd([4, 4, 4])).toBe(0);
    expect(wassersteinNormed([4, 4, 4], [4, 4, 5]).normed).toBeCloseTo(1 / 3 / 0.001, 9);
    expect(wassersteinNormed([1, 2, Infinity, 3], [2, NaN, 3, -Infinity])).toEqual(wassersteinNormed([1, 2, 3], [2, 3]));
  });
});

describe("Jensen–Shannon in natural-log units", () => {
  it.each(fixture.jsNatural)("$p vs $q matches scipy's jensenshannon(p, q) (base e)", ({ p, q, distance }) => {
    expectClose(jensenShannon(p, q, Math.E), distance, 1e-12, 1e-15);
  });
});

describe("monitorColumnStats", () => {
  it.each(fixture.monitor.numeric)("numeric $name: PSI, JS on the PSI bins and missing shares match numpy/scipy", (c) => {
    const s = monitorColumnStats("x", numericColumnData(nums(c.ref)), numericColumnData(nums(c.cur)));
    expectClose(s.psi, c.psi, 1e-12, 1e-15, "psi");
    expectClose(s.jensenShannon, c.jensenShannon, 1e-12, 1e-15, "js");
    expectClose(s.missingShare.reference, c.missingShare.reference, 1e-15, 0, "missing ref");
    expectClose(s.missingShare.current, c.missingShare.current, 1e-15, 0, "missing cur");
    expect(s.unseenShare).toBe(0);
    expect(s.ks).not.toBeNull();
    expect(s.wasserstein).not.toBeNull();
    expect([s.nRef, s.nCur]).toEqual([c.ref.length, c.cur.length]);
  });

  it.each(fixture.monitor.categorical)("categorical $name: JS, missing and unseen shares match numpy/scipy", (c) => {
    const s = monitorColumnStats("region", categorical(c.ref, c.refMissing), categorical(c.cur, c.curMissing));
    expectClose(s.jensenShannon, c.jensenShannon, 1e-12, 1e-15, "js");
    expectClose(s.missingShare.current, c.missingShare.current, 1e-15, 0, "missing");
    expectClose(s.unseenShare, c.unseenShare, 1e-15, 0, "unseen");
    expect(s.ks).toBeNull();
    expect(s.chiSquare ?? s.chiSquareNote).not.toBeNull();
  });

  it("computes PSI and JS from the same binned counts (JS = 0 exactly when the shares agree)", () => {
    const c = fixture.monitor.categorical.find((x) => x.name === "same")!;
    const s = monitorColumnStats("region", categorical(c.ref, 0), categorical(c.cur, 0));
    expect(s.jensenShannon).toBe(0);
    expect(s.psi).toBeCloseTo(psiOfCounts([0, 60, 40, 0], [0, 600, 400, 0]), 15);
  });

  it("skips identifier-like columns but never the prediction column", () => {
    const ref = categoricalColumnData(Array.from({ length: 50 }, (_, i) => `u${i}`));
    const cur = categoricalColumnData(Array.from({ length: 50 }, (_, i) => `u${i + 25}`));
    expect(monitorColumnStats("user_id", ref, cur).skipped).toBe("identifier-like");
    expect(predictionDrift(ref, cur).skipped).toBeNull();
    expect(predictionDrift(ref, cur).unseenShare).toBe(0.5);
  });

  it("refuses mixed kinds and empty sides with a clear error", () => {
    expect(() => monitorColumnStats("x", numericColumnData([1, 2]), categoricalColumnData(["a"]))).toThrow(/numeric in the reference/);
    expect(() => monitorColumnStats("x", numericColumnData([1, 2]), numericColumnData([]))).toThrow(/rows on both sides/);
  });
});

describe("datasetDriftShare", () => {
  it("declares dataset drift at a drifted share ≥ the threshold (Evidently: 0.5)", () => {
    const v = (...d: boolean[]) => d.map((drifted) => ({ drifted }));
    expect(datasetDriftShare(v(true, false))).toEqual({ columns: 2, drifted: 1, share: 0.5, datasetDrift: true });
    expect(datasetDriftShare(v(true, false, false))).toMatchObject({ share: 1 / 3, datasetDrift: false });
    expect(datasetDriftShare(v(true, false, false), 0.3).datasetDrift).toBe(true);
    expect(datasetDriftShare([])).toEqual({ columns: 0, drifted: 0, share: 0, datasetDrift: false });
  });
});
