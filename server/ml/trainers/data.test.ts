import { describe, expect, it } from "vitest";
import { columnsFromRecords, takeTrainingRows, trainingDataFromRecords } from "./data";
import type { FeatureSpec } from "./types";

const features: FeatureSpec[] = [
  { name: "n", kind: "numeric" },
  { name: "c", kind: "categorical" },
];

describe("columnsFromRecords", () => {
  it("parses numbers, treats missing markers as NaN/null and keeps categories as text", () => {
    const records = [
      { n: "1.5", c: "a" },
      { n: "NA", c: "" },
      { n: 2, c: 3 },
      { n: "", c: null },
      { n: "0x10", c: "null" },
      { n: true, c: "b" },
    ];
    const { X, cat } = columnsFromRecords(features, records);
    expect(Array.from(X[0]!)).toEqual([1.5, NaN, 2, NaN, NaN, 1]);
    expect(cat[0]).toEqual(["a", null, "3", null, null, "b"]);
  });

  it("reads the target, booleans included, and slices rows", () => {
    const records = [
      { n: "1", c: "a", t: "true" },
      { n: "2", c: "b", t: "0" },
      { n: "3", c: "a", t: false },
    ];
    const data = trainingDataFromRecords(features, records, "t");
    expect(Array.from(data.y)).toEqual([1, 0, 0]);
    const slice = takeTrainingRows(data, [2, 0]);
    expect(Array.from(slice.X[0]!)).toEqual([3, 1]);
    expect(slice.cat[0]).toEqual(["a", "a"]);
    expect(Array.from(slice.y)).toEqual([0, 1]);
  });
});
