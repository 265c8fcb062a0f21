/** Gate statistics against numpy/scipy references from fixtures/generate.py (fixtures/gates.json). */
import { describe, expect, it } from "vitest";
import { expectClose } from "../test-helpers";
import { pairedBootstrap, type PairedStatistic } from "./bootstrap";
import { delongTest } from "./delong";
import { normalSf, studentTSf } from "./distributions";
import { holmBonferroni, mcnemarFromCounts, pairedTTest, wilcoxonSignedRank, type Alternative } from "./paired-tests";

interface Fixture {
  versions: Record<string, string>;
  distributions: { t: { t: number; dof: number; sf: number }[]; normal: { z: number; sf: number }[] };
  ttest: { x: number[]; y: number[]; results: { alternative: Alternative; statistic: number; pValue: number }[] }[];
  wilcoxon: { x: number[]; y: number[]; results: { alternative: Alternative; correction: boolean; method: "exact" | "asymptotic"; statistic: number; pValue: number; z: number | null }[] }[];
  mcnemar: { onlyA: number; onlyB: number; statistic: number; pValue: number; method: string }[];
  delong: { labels: number[]; a: number[]; b: number[]; aucA: number; aucB: number; difference: number; variance: number; z: number; pValue: number }[];
  holm: { pValues: number[]; adjusted: number[] }[];
  bootstrap: {
    a: number[];
    b: number[];
    indices: number[];
    results: { statistic: PairedStatistic; confidence: number; estimate: number; lower: number; upper: number; mean: number; sd: number; min: number; max: number }[];
  };
}

const fixture = (await import("./fixtures/gates.json")).default as unknown as Fixture;
// Exact computations agree to 1e-10 absolute (p-values) or relative (statistics of any scale).
const TOL = 1e-10;

describe("gate statistics match scipy/numpy", () => {
  it("Student t and normal survival functions keep relative precision into the far tail", () => {
    for (const ref of fixture.distributions.t) expectClose(studentTSf(ref.t, ref.dof), ref.sf, TOL, 0, `t.sf(${ref.t}, ${ref.dof})`);
    for (const ref of fixture.distributions.normal) expectClose(normalSf(ref.z), ref.sf, TOL, 0, `norm.sf(${ref.z})`);
  });

  it("paired t-test matches scipy.stats.ttest_rel", () => {
    let count = 0;
    for (const [c, data] of fixture.ttest.entries()) {
      for (const ref of data.results) {
        const got = pairedTTest(data.x, data.y, ref.alternative);
        expectClose(got.statistic, ref.statistic, TOL, TOL, `ttest ${c} ${ref.alternative} statistic`);
        expectClose(got.pValue, ref.pValue, 0, TOL, `ttest ${c} ${ref.alternative} p`);
        count++;
      }
    }
    expect(count).toBe(12);
  });

  it("Wilcoxon signed-rank matches scipy.stats.wilcoxon (exact and normal approximation, ties and zeros)", () => {
    const methods = new Set<string>();
    for (const [c, data] of fixture.wilcoxon.entries()) {
      for (const ref of data.results) {
        const got = wilcoxonSignedRank(data.x, data.y, { alternative: ref.alternative, correction: ref.correction, method: ref.method === "exact" ? "auto" : "asymptotic" });
        const label = `wilcoxon ${c} ${ref.alternative} correction=${ref.correction}`;
        expect(got.method, label).toBe(ref.method);
        expectClose(got.statistic, ref.statistic, TOL, TOL, `${label} statistic`);
        expectClose(got.pValue, ref.pValue, 0, TOL, `${label} p`);
        expectClose(got.z, ref.z, TOL, TOL, `${label} z`);
        methods.add(got.method);
      }
    }
    expect([...methods].sort()).toEqual(["asymptotic", "exact"]);
  });

  it("McNemar matches scipy binomtest (small discordant counts) and chi2 with continuity correction", () => {
    for (const ref of fixture.mcnemar) {
      const got = mcnemarFromCounts(ref.onlyA, ref.onlyB);
      const label = `mcnemar ${ref.onlyA}/${ref.onlyB}`;
      expect(got.method, label).toBe(ref.method);
      expectClose(got.statistic, ref.statistic, TOL, TOL, `${label} statistic`);
      expectClose(got.pValue, ref.pValue, 0, TOL, `${label} p`);
    }
  });

  it("fast DeLong matches the O(m·n) definition written in numpy, with tied scores", () => {
    for (const [c, ref] of fixture.delong.entries()) {
      const got = delongTest(ref.labels, ref.a, ref.b);
      for (const key of ["aucA", "aucB", "difference", "variance", "z", "pValue"] as const) expectClose(got[key], ref[key], TOL, TOL, `delong ${c} ${key}`);
    }
  });

  it("Holm–Bonferroni matches the step-down reference", () => {
    for (const ref of fixture.holm) {
      const got = holmBonferroni(ref.pValues);
      ref.adjusted.forEach((p, i) => expectClose(got.adjusted[i], p, 0, TOL, `holm ${ref.pValues.join(",")} [${i}]`));
    }
  });

  it("paired bootstrap on numpy's index matrix reproduces numpy's distribution and percentile CI", () => {
    const { a, b, indices } = fixture.bootstrap;
    for (const ref of fixture.bootstrap.results) {
      const got = pairedBootstrap({ a, b, statistic: ref.statistic, confidence: ref.confidence, indices: Uint32Array.from(indices) });
      const label = `bootstrap ${ref.statistic} ${ref.confidence}`;
      expect(got.resamples).toBe(300);
      expectClose(got.estimate, ref.estimate, 0, TOL, `${label} estimate`);
      expectClose(got.lower, ref.lower, 0, TOL, `${label} lower`);
      expectClose(got.upper, ref.upper, 0, TOL, `${label} upper`);
      expectClose(got.distribution.mean, ref.mean, 0, TOL, `${label} mean`);
      expectClose(got.distribution.sd, ref.sd, 0, TOL, `${label} sd`);
      expectClose(got.distribution.min, ref.min, 0, TOL, `${label} min`);
      expectClose(got.distribution.max, ref.max, 0, TOL, `${label} max`);
    }
  });
});
