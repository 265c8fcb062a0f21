import { describe, expect, it } from "vitest";
import { loadClassificationCases } from "./classification-fixture";
import { MAX_CURVE_POINTS, calibrationCurve, downsampleCurve, prCurve, rocCurve, thresholdCounts } from "./curves";
import { expectAllClose } from "./test-support";

const { cases, get } = await loadClassificationCases();

describe("ROC curve", () => {
  it.each(cases.filter((c) => c.roc))("$name matches roc_curve(drop_intermediate=True)", (c) => {
    const roc = rocCurve(c.yTrue, c.scores, Infinity);
    expect(roc.reason).toBeNull();
    const points = roc.points!;
    expectAllClose(
      points.map((p) => p.fpr),
      c.roc!.fpr,
      "fpr",
    );
    expectAllClose(
      points.map((p) => p.tpr),
      c.roc!.tpr,
      "tpr",
    );
    // sklearn 1.2 puts max + 1 before the first threshold; the origin carries none here.
    expect(points[0]!.threshold).toBeNull();
    expect(points.slice(1).map((p) => p.threshold)).toEqual(c.roc!.thresholds);
  });

  it("is not drawn for a single class, with the reason", () => {
    for (const name of ["single_class_negative", "single_class_positive"]) {
      const roc = rocCurve(get(name).yTrue, get(name).scores);
      expect(roc.points).toBeNull();
      expect(roc.reason).toMatch(/one class/);
    }
  });

  it("keeps the drawable shape within 200 points: ends kept, points taken from the full curve in order", () => {
    const c = get("logistic");
    const full = rocCurve(c.yTrue, c.scores, Infinity).points!;
    const roc = rocCurve(c.yTrue, c.scores);
    expect(full.length).toBeGreaterThan(MAX_CURVE_POINTS);
    expect(roc.reason === null && roc.fullLength).toBe(full.length);
    const points = roc.points!;
    expect(points).toHaveLength(MAX_CURVE_POINTS);
    expect(points[0]).toEqual(full[0]);
    expect(points.at(-1)).toEqual({ fpr: 1, tpr: 1, threshold: Math.min(...c.scores) });
    const positions = points.map((p) => full.findIndex((q) => q.threshold === p.threshold && q.fpr === p.fpr && q.tpr === p.tpr));
    expect(positions.every((pos, i) => pos >= 0 && (i === 0 || pos > positions[i - 1]!))).toBe(true);
  });
});

describe("precision–recall curve", () => {
  it.each(cases.filter((c) => c.pr))("$name matches precision_recall_curve, in rising recall", (c) => {
    const pr = prCurve(c.yTrue, c.scores, Infinity);
    const points = pr.points!;
    expectAllClose(
      points.map((p) => p.recall),
      [...c.pr!.recall].reverse(),
      "recall",
    );
    expectAllClose(
      points.map((p) => p.precision),
      [...c.pr!.precision].reverse(),
      "precision",
    );
    expect(points.slice(1).map((p) => p.threshold)).toEqual([...c.pr!.thresholds].reverse());
  });

  it("is not drawn without positive labels, and is downsampled to 200 points otherwise", () => {
    const none = prCurve(get("single_class_negative").yTrue, get("single_class_negative").scores);
    expect(none.reason).toMatch(/no positive/);
    const pr = prCurve(get("logistic").yTrue, get("logistic").scores);
    expect(pr.reason === null && pr.fullLength).toBe(1001);
    expect(pr.points).toHaveLength(MAX_CURVE_POINTS);
    expect(pr.points![0]).toEqual({ recall: 0, precision: 1, threshold: null });
    expect(pr.points!.at(-1)!.recall).toBe(1);
  });
});

describe("calibration curve", () => {
  it.each(cases.filter((c) => c.calibration))("$name matches calibration_curve(n_bins=10, strategy='uniform')", (c) => {
    const cal = calibrationCurve(c.yTrue, c.scores);
    const bins = cal.points!;
    expect(bins.map((b) => b.count)).toEqual(c.calibration!.counts);
    expect(bins.map((b) => Math.round(b.lower * 10))).toEqual(c.calibration!.binIndex);
    expectAllClose(
      bins.map((b) => b.meanPredicted),
      c.calibration!.meanPredicted,
      "mean predicted",
    );
    expectAllClose(
      bins.map((b) => b.fractionPositive),
      c.calibration!.fractionPositive,
      "fraction positive",
    );
  });

  it("puts a probability on an inner edge in the bin below it, and 0 in the first bin", () => {
    const bins = calibrationCurve([0, 1, 1, 0], [0, 0.1, 0.30000000000000004, 1]).points!;
    expect(bins.map((b) => [b.lower, b.count])).toEqual([
      [0, 2],
      [0.2, 1],
      [0.9, 1],
    ]);
  });

  it("is not drawn for scores outside [0, 1] or no rows", () => {
    expect(calibrationCurve(get("decision_function").yTrue, get("decision_function").scores).reason).toMatch(/not probabilities/);
    expect(calibrationCurve([], []).reason).toBe("no rows");
    expect(() => calibrationCurve([0], [0.5], 0)).toThrow(RangeError);
  });
});

describe("threshold counts", () => {
  it("merges equal scores, including −0 and +0, into one threshold", () => {
    const counts = thresholdCounts([1, 0, 1, 0, 0], [0.5, -0, 0, 0.5, 1]);
    expect(Array.from(counts.thresholds)).toEqual([1, 0.5, 0]);
    expect(Array.from(counts.tps)).toEqual([0, 1, 2]);
    expect(Array.from(counts.fps)).toEqual([1, 2, 3]);
  });

  it("downsamples only curves longer than the limit", () => {
    const pts = Array.from({ length: 10 }, (_, i) => ({ x: i, y: i * i }));
    expect(downsampleCurve(pts, (p) => p.x, (p) => p.y, 10)).toEqual(pts);
    const few = downsampleCurve(pts, (p) => p.x, (p) => p.y, 4);
    expect(few).toHaveLength(4);
    expect([few[0], few.at(-1)]).toEqual([pts[0], pts[9]]);
  });
});
