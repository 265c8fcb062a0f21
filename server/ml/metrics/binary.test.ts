import { describe, expect, it } from "vitest";
import { binaryMetrics, confusionMatrix, logLoss, rowLogLoss, thresholdMetrics } from "./binary";
import { loadClassificationCases } from "./classification-fixture";
import { averagePrecision, rocAuc, rocCurve } from "./curves";
import { expectAllClose, expectMetric } from "./test-support";
import { Rng } from "../stats";

const { cases, get } = await loadClassificationCases();
const thresholdRows = cases.flatMap((c) => c.atThreshold.map((t) => ({ name: c.name, yTrue: c.yTrue, scores: c.scores, ...t })));

describe("threshold metrics", () => {
  it.each(thresholdRows)("$name at $threshold matches sklearn (zero_division=0)", (c) => {
    const cm = confusionMatrix(c.yTrue, c.scores, c.threshold);
    expect(cm).toEqual(c.confusion);
    const m = thresholdMetrics(cm);
    expectMetric(m.accuracy, c.accuracy, "accuracy");
    expectMetric(m.precision, c.precision, "precision");
    expectMetric(m.recall, c.recall, "recall");
    expectMetric(m.f1, c.f1, "f1");
  });

  it("notes zero division when nothing is predicted positive", () => {
    const m = thresholdMetrics(confusionMatrix(get("logistic").yTrue, get("logistic").scores, 1.1));
    expect(m.precision).toMatchObject({ value: 0, reason: null, note: expect.stringMatching(/zero_division/) });
    expect(m.f1).toMatchObject({ value: 0, note: expect.stringMatching(/zero_division/) });
    expect(m.recall).toEqual({ value: 0, reason: null });
  });

  it("counts a score equal to the threshold as positive, matching the ROC point at that threshold", () => {
    const c = get("tied_scores");
    const roc = rocCurve(c.yTrue, c.scores, Infinity);
    const positives = c.yTrue.filter((y) => y === 1).length;
    for (const p of roc.points!.slice(1)) {
      const cm = confusionMatrix(c.yTrue, c.scores, p.threshold!);
      expect(cm.tp / positives).toBe(p.tpr);
      expect(cm.fp / (c.yTrue.length - positives)).toBe(p.fpr);
    }
  });

  it("is undefined with no rows and rejects labels other than 0 and 1", () => {
    for (const m of Object.values(thresholdMetrics({ tn: 0, fp: 0, fn: 0, tp: 0 }))) expect(m.value).toBeNull();
    expect(() => confusionMatrix([0, 2], [0.1, 0.2], 0.5)).toThrow(/expected 0 or 1/);
    expect(() => confusionMatrix([0, 1], [0.1, NaN], 0.5)).toThrow(RangeError);
    expect(() => confusionMatrix([0, 1], [0.1, 0.2], NaN)).toThrow(RangeError);
  });
});

describe("ranking metrics", () => {
  it.each(cases)("$name: ROC AUC matches roc_auc_score, null for a single class", (c) => {
    expectMetric(rocAuc(c.yTrue, c.scores), c.rocAuc, "rocAuc");
  });

  it.each(cases)("$name: PR AUC matches average_precision_score, null without positives", (c) => {
    expectMetric(averagePrecision(c.yTrue, c.scores), c.positives === 0 ? null : c.prAucSklearn, "prAuc");
  });

  it("says why AUC is undefined for a single class", () => {
    expect(rocAuc(get("single_class_positive").yTrue, get("single_class_positive").scores).reason).toMatch(/only one class/);
    expect(averagePrecision(get("single_class_negative").yTrue, get("single_class_negative").scores).reason).toMatch(/no positive/);
  });

  it("equals the share of correctly ordered positive–negative pairs, ties counting one half", () => {
    const rng = new Rng(17);
    const y = Array.from({ length: 300 }, () => (rng.next() < 0.4 ? 1 : 0));
    const s = y.map((v) => Math.round((rng.next() + 0.3 * v) * 8) / 8);
    let pairs = 0;
    let wins = 0;
    for (let i = 0; i < y.length; i++) {
      for (let j = 0; j < y.length; j++) {
        if (y[i] !== 1 || y[j] !== 0) continue;
        pairs++;
        wins += s[i]! > s[j]! ? 1 : s[i] === s[j] ? 0.5 : 0;
      }
    }
    expect(rocAuc(y, s).value).toBe(wins / pairs);
  });
});

describe("log loss", () => {
  it.each(cases)("$name matches log_loss(labels=[0, 1]), null for non-probability scores", (c) => {
    expectMetric(logLoss(c.yTrue, c.scores), c.logLoss, "logLoss");
  });

  it.each(cases.filter((c) => c.rowLogLoss))("$name: per-row losses match sklearn's clipped terms", (c) => {
    expectAllClose(Array.from(rowLogLoss(c.yTrue, c.scores)), c.rowLogLoss!, "row log loss");
  });

  it("clips probabilities of exactly 0 and 1 to machine epsilon", () => {
    expect(rowLogLoss([1, 0], [0, 1])[0]).toBeCloseTo(-Math.log(2.220446049250313e-16), 12);
    expect(Number.isFinite(logLoss([1, 0], [0, 1]).value)).toBe(true);
  });

  it("refuses per-row losses of scores outside [0, 1]", () => {
    expect(() => rowLogLoss([1], [1.5])).toThrow(/not probabilities/);
    expect(logLoss(get("decision_function").yTrue, get("decision_function").scores).reason).toMatch(/not probabilities/);
  });
});

describe("binaryMetrics", () => {
  it.each(cases)("$name bundles the metrics above at 0.5", (c) => {
    const m = binaryMetrics(c.yTrue, c.scores, 0.5);
    expectMetric(m.rocAuc, c.rocAuc, "rocAuc");
    expectMetric(m.logLoss, c.logLoss, "logLoss");
    const at = c.atThreshold.find((t) => t.threshold === 0.5);
    if (at) expectMetric(m.f1, at.f1, "f1");
    expect(m.accuracy.value).toBe(thresholdMetrics(confusionMatrix(c.yTrue, c.scores, 0.5)).accuracy.value);
  });
});
