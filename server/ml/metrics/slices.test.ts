import { describe, expect, it } from "vitest";
import { binarySlices, partitionRows, quantileEdges, regressionSlices, type BinarySlice, type RegressionSlice } from "./slices";
import { expectMetric, loadMetricsFixture } from "./test-support";

interface BinaryExpected {
  count: number;
  positives?: number;
  rocAuc?: number | null;
  prAucSklearn?: number;
  logLoss?: number | null;
  accuracy?: number;
  precision?: number;
  recall?: number;
  f1?: number;
}
interface RegressionExpected {
  count: number;
  rmse: number;
  mae: number;
  mape: number;
  r2: number | null;
}
interface Bin {
  lower: number;
  upper: number;
}
interface SlicesFixture {
  binary: {
    yTrue: number[];
    scores: number[];
    segment: (string | null)[];
    categories: string[];
    segments: (BinaryExpected & { value: string | null })[];
    tenure: (number | null)[];
    tenureBins: (BinaryExpected & Bin)[];
    tenureMissing: number;
  };
  regression: {
    yTrue: number[];
    yPred: number[];
    region: string[];
    regions: (RegressionExpected & { value: string })[];
    size: (number | null)[];
    sizeBins: (RegressionExpected & Bin)[];
    sizeMissing: RegressionExpected;
  };
}

const { binary, regression } = await loadMetricsFixture<SlicesFixture>("slices");

function expectBinarySlice(actual: BinarySlice | undefined, e: BinaryExpected, label: string): void {
  expect(actual, label).toBeDefined();
  const s = actual!;
  expect(s.count, `${label} count`).toBe(e.count);
  if (e.count === 0) {
    for (const m of Object.values(s.metrics)) expect(m, label).toEqual({ value: null, reason: "no rows" });
    return;
  }
  expect(s.positives, `${label} positives`).toBe(e.positives);
  expectMetric(s.metrics.rocAuc, e.rocAuc!, `${label} rocAuc`);
  expectMetric(s.metrics.prAuc, e.positives === 0 ? null : e.prAucSklearn!, `${label} prAuc`);
  expectMetric(s.metrics.logLoss, e.logLoss!, `${label} logLoss`);
  expectMetric(s.metrics.accuracy, e.accuracy!, `${label} accuracy`);
  expectMetric(s.metrics.precision, e.precision!, `${label} precision`);
  expectMetric(s.metrics.recall, e.recall!, `${label} recall`);
  expectMetric(s.metrics.f1, e.f1!, `${label} f1`);
}

function expectRegressionSlice(actual: RegressionSlice | undefined, e: RegressionExpected, label: string): void {
  expect(actual, label).toBeDefined();
  expect(actual!.count, `${label} count`).toBe(e.count);
  expectMetric(actual!.metrics.rmse, e.rmse, `${label} rmse`);
  expectMetric(actual!.metrics.mae, e.mae, `${label} mae`);
  expectMetric(actual!.metrics.mape, e.mape, `${label} mape`);
  expectMetric(actual!.metrics.r2, e.r2, `${label} r2`);
}

describe("categorical slices", () => {
  const report = binarySlices(binary.yTrue, binary.scores, 0.5, { name: "segment", values: binary.segment, categories: binary.categories });
  const find = (value: string | null) => report.slices.find((s) => (value === null ? s.key.kind === "missing" : s.key.kind === "value" && s.key.value === value));

  it.each(binary.segments)("segment $value matches sklearn on its rows", (e) => {
    expectBinarySlice(find(e.value), e, String(e.value));
  });

  it("keeps a listed but absent value as an empty slice first, then values by count, missing last", () => {
    expect(report.kind).toBe("categorical");
    expect(report.slices.map((s) => s.label)).toEqual(["tv", "web", "ios", "android", "kiosk", "(missing)"]);
    expect(report.slices.reduce((n, s) => n + s.count, 0)).toBe(binary.yTrue.length);
  });

  it("gives a single-class slice a null AUC with a reason instead of failing", () => {
    const kiosk = find("kiosk")!;
    expect(kiosk.positives).toBe(0);
    expect(kiosk.metrics.rocAuc.reason).toMatch(/only one class/);
    expect(kiosk.metrics.accuracy.value).not.toBeNull();
  });

  it("pools values beyond maxSlices into one 'other' slice", () => {
    const pooled = partitionRows({ name: "segment", values: binary.segment, maxSlices: 2 });
    expect(pooled.slices.map((s) => s.label)).toEqual(["web", "ios", "(other)", "(missing)"]);
    const other = pooled.slices[2]!;
    expect(other.rows.length).toBe(find("android")!.count + find("kiosk")!.count);
    expect(Array.from(other.rows)).toEqual([...other.rows].sort((a, b) => a - b));
  });

  it("slices regression errors per value, with R² undefined for a one-row slice", () => {
    const r = regressionSlices(regression.yTrue, regression.yPred, { name: "region", values: regression.region });
    for (const e of regression.regions) expectRegressionSlice(r.slices.find((s) => s.label === e.value), e, e.value);
    expect(r.slices.find((s) => s.label === "west")!.metrics.r2.reason).toMatch(/two rows/);
  });
});

describe("quantile slices", () => {
  it("cuts bins where pandas.qcut(duplicates='drop') does, bit for bit", () => {
    const edges = quantileEdges(binary.tenure.map((v) => v ?? NaN), 10);
    expect(edges).toEqual([...binary.tenureBins.map((b) => b.lower), binary.tenureBins.at(-1)!.upper]);
  });

  const report = binarySlices(binary.yTrue, binary.scores, 0.5, { name: "tenure", values: binary.tenure, kind: "quantile", bins: 10 });

  it.each(binary.tenureBins.map((b, i) => [i, b] as const))("tenure bin %i matches sklearn on its rows", (i, e) => {
    const s = report.slices[i]!;
    expect(s.key).toEqual({ kind: "bin", index: i, lower: e.lower, upper: e.upper, includesLower: i === 0 });
    expectBinarySlice(s, e, s.label);
  });

  it("reports an empty bin with count 0 and missing values as their own slice", () => {
    expect(report.slices.some((s) => s.count === 0)).toBe(true);
    expect(report.slices.at(-1)).toMatchObject({ key: { kind: "missing" }, count: binary.tenureMissing });
    expect(report.slices[0]!.label).toBe("[0, 0.2]");
    expect(report.slices[1]!.label).toBe("(0.2, 1]");
  });

  it("bins regression errors by quantiles of a numeric column with missing values", () => {
    const r = regressionSlices(regression.yTrue, regression.yPred, { name: "size", values: regression.size, kind: "quantile", bins: 4 });
    expect(r.kind).toBe("quantile");
    regression.sizeBins.forEach((e, i) => expectRegressionSlice(r.slices[i], e, `size bin ${i}`));
    expectRegressionSlice(r.slices[4], regression.sizeMissing, "size missing");
    expect(r.slices).toHaveLength(5);
  });

  it("chooses quantiles automatically only for numbers with more than 20 distinct values", () => {
    expect(partitionRows({ name: "size", values: regression.size }).kind).toBe("quantile");
    expect(partitionRows({ name: "tenure", values: binary.tenure }).kind).toBe("categorical");
    expect(partitionRows({ name: "segment", values: binary.segment }).kind).toBe("categorical");
    expect(() => partitionRows({ name: "segment", values: binary.segment, kind: "quantile" })).toThrow(/need numbers/);
  });

  it("keeps a constant column as one closed bin", () => {
    const p = partitionRows({ name: "c", values: [2, 2, 2, NaN], kind: "quantile" });
    expect(p.slices.map((s) => [s.label, s.rows.length])).toEqual([
      ["[2, 2]", 3],
      ["(missing)", 1],
    ]);
  });

  it("rejects a slice column of another length", () => {
    expect(() => regressionSlices([1, 2], [1, 2], { name: "x", values: [1] })).toThrow(RangeError);
  });
});
