import { describe, expect, it } from "vitest";
import { delongTest, holmBonferroni, mcnemar, normalQuantile, pairedBootstrap } from "../ml/gates";
import { Rng } from "../ml/random";
import { championCheck, fairnessCheck, relativeCheck, thresholdsCheck, type Scored } from "./checks";
import { lineageDiff } from "./compare";
import { signatureCheck } from "./model-checks";
import { parsePolicyYaml } from "./policy";

/** Binary labels with a good model (scores follow the label) and a noisier one, on the same rows. */
function binaryPair(n: number, seed = 11): { good: Scored; noisy: Scored } {
  const rng = new Rng(seed);
  const y = new Float64Array(n);
  const good = new Float64Array(n);
  const noisy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rng.next() < 0.4 ? 1 : 0;
    const signal = y[i] === 1 ? 0.7 : 0.3;
    good[i] = Math.min(0.999, Math.max(0.001, signal + 0.25 * (rng.next() - 0.5)));
    noisy[i] = Math.min(0.999, Math.max(0.001, 0.5 + 0.4 * (signal - 0.5) + 0.9 * (rng.next() - 0.5)));
  }
  return { good: { task: "binary", yTrue: y, scores: good, threshold: 0.5 }, noisy: { task: "binary", yTrue: y, scores: noisy, threshold: 0.5 } };
}

const policy = (yaml: string) => parsePolicyYaml(yaml, "binary");

describe("championCheck on a binary model", () => {
  const { good, noisy } = binaryPair(600);
  const p = policy("checks:\n  champion:\n    metrics: [rocAuc, accuracy, logLoss]\n    resamples: 500\n    seed: 5\n");

  it("uses DeLong for ROC AUC, McNemar for accuracy, Holm across the three, and passes a better challenger", () => {
    const check = championCheck(p, good, noisy);
    expect(check.status).toBe("pass");
    const [auc, acc, ll] = check.evidence!.metrics;
    const d = delongTest(good.yTrue, noisy.scores, good.scores);
    const half = normalQuantile(0.975) * Math.sqrt(d.variance);
    expect(auc).toMatchObject({ metric: "rocAuc", interval: "delong", difference: d.difference, lower: d.difference - half, upper: d.difference + half });
    expect(auc!.tests).toEqual([{ name: "DeLong", statistic: d.z, pValue: d.pValue }]);
    const correct = (s: Scored) => Float64Array.from(s.yTrue, (y, i) => ((s.scores[i]! >= 0.5 ? 1 : 0) === y ? 1 : 0));
    const m = mcnemar(correct(noisy), correct(good));
    expect(acc!.tests[0]).toMatchObject({ statistic: m.statistic, pValue: m.pValue });
    const boot = pairedBootstrap({ a: correct(noisy), b: correct(good), statistic: "mean", resamples: 500, seed: 5, confidence: 0.95 });
    expect([acc!.lower, acc!.upper]).toEqual([boot.lower, boot.upper]);
    expect(ll!.direction).toBe("lower");
    expect(ll!.upper!).toBeLessThan(0);
    const holm = holmBonferroni([auc!.tests[0]!.pValue!, acc!.tests[0]!.pValue!, ll!.tests[0]!.pValue!], 0.05);
    expect(check.evidence!.metrics.map((x) => x.pAdjusted)).toEqual(holm.adjusted);
  });

  it("fails the worse challenger, and non-inferiority with a wide margin lets it through", () => {
    expect(championCheck(p, noisy, good).status).toBe("fail");
    const lenient = policy("checks:\n  champion:\n    mode: non_inferiority\n    metrics: [rocAuc]\n    margin: 0.5\n");
    const check = championCheck(lenient, noisy, good);
    expect(check.status).toBe("pass");
    expect(check.evidence!.metrics[0]!.decision.threshold).toBe(-0.5);
  });

  it("skips (and passes) without a champion", () => {
    expect(championCheck(p, good, null)).toMatchObject({ status: "pass", skipped: "no champion", evidence: null });
    expect(relativeCheck(p, good, null)).toMatchObject({ status: "pass", skipped: "no champion" });
  });
});

describe("thresholds, relative and fairness", () => {
  const { good, noisy } = binaryPair(400, 3);
  it("compares metrics with their bounds and the champion's value", () => {
    const p = policy("checks:\n  thresholds:\n    - metric: rocAuc\n      min: 0.9\n    - metric: logLoss\n      max: 0.0001\n  relative:\n    - metric: accuracy\n      better_by: 5%\n");
    const t = thresholdsCheck(p, good);
    expect(t.evidence!.items.map((i) => i.passed)).toEqual([true, false]);
    expect(t.status).toBe("fail");
    const r = relativeCheck(p, good, noisy);
    const item = r.evidence!.items[0]!;
    expect(item.required).toBeCloseTo(item.champion! * 1.05, 12);
    expect(item.passed).toBe(item.challenger! >= item.required!);
  });

  it("reports a too-small group as insufficient and never passes it", () => {
    const groups = Array.from({ length: 400 }, (_, i) => (i < 5 ? "tiny" : i % 2 ? "a" : "b"));
    const p = policy("checks:\n  fairness:\n    column: g\n    max_gap: 1\n    min_group_size: 10\n    resamples: 200\n");
    const f = fairnessCheck(p, good, { name: "g", values: groups });
    expect(f.status).toBe("fail");
    expect(f.evidence!.outcome).toBe("insufficient");
    expect(f.evidence!.groups.find((g) => g.name === "tiny")).toMatchObject({ size: 5, status: "too_small" });
    const fine = fairnessCheck(p, good, { name: "g", values: groups.map((g) => (g === "tiny" ? "a" : g)) });
    expect(fine).toMatchObject({ status: "pass", evidence: { outcome: "pass" } });
    expect(fairnessCheck(p, good, null).status).toBe("error");
  });
});

describe("signature and lineage differences", () => {
  const sig = (inputs: [string, string][]) => ({ inputs: inputs.map(([name, type]) => ({ name, type, shape: ["N", 1] })) });
  it("a removed, added or retyped input breaks compatibility unless allowed", () => {
    const champion = sig([["x", "float32"], ["city", "string"]]);
    const strict = policy("checks:\n  signature: {}\n");
    expect(signatureCheck(strict, sig([["x", "float32"], ["city", "string"]]), champion).status).toBe("pass");
    const changed = signatureCheck(strict, sig([["x", "float64"], ["extra", "float32"]]), champion);
    expect(changed.status).toBe("fail");
    expect(changed.evidence!.changes).toEqual([
      { input: "x", change: "type", from: "float32", to: "float64" },
      { input: "city", change: "removed", from: "string", to: null },
      { input: "extra", change: "added", from: null, to: "float32" },
    ]);
    expect(signatureCheck(policy("checks:\n  signature:\n    allow_breaking: true\n"), sig([["y", "float32"]]), champion)).toMatchObject({ status: "pass", evidence: { breaking: true } });
  });

  it("lineage differences are listed by path", () => {
    expect(lineageDiff({ run: { id: "r1" }, params: { rounds: 10, depth: 3 } }, { run: { id: "r2" }, params: { rounds: 10 }, code: null })).toEqual([
      { path: "code", a: null, b: "null" },
      { path: "params.depth", a: "3", b: null },
      { path: "run.id", a: "r1", b: "r2" },
    ]);
  });

  it("normalQuantile inverts the normal CDF (scipy.stats.norm.ppf)", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 10);
  });
});
