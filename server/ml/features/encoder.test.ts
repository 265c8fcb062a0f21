import { describe, expect, it } from "vitest";
import { MISSING_STRINGS } from "../parse-value";
import { CellReader, DEFAULT_MISSING_TOKENS, encode, encodeRecords, encodeTarget, fitEncodingSpec, parseEncodingSpec, trainerFeatures, type RawRow } from ".";

const reader = new CellReader(DEFAULT_MISSING_TOKENS);

describe("cell rules", () => {
  it("uses parse-value's missing tokens, trimmed", () => {
    expect(new Set(DEFAULT_MISSING_TOKENS)).toEqual(MISSING_STRINGS);
    for (const cell of ["", "NA", " NA ", "null", "None", "NaN", "#N/A", null, undefined, NaN]) expect(reader.float(cell)).toBeNaN();
    for (const cell of ["", "NA", "  ", null]) expect(reader.category(cell)).toBeNull();
  });

  it("reads numbers (with blanks), booleans and ISO dates as floats; anything else is missing", () => {
    expect([" 3.5 ", "7", 7, "-0.25e2", "1e3"].map((c) => reader.float(c))).toEqual([3.5, 7, 7, -25, 1000]);
    expect(["true", "TRUE", " False ", true, false].map((c) => reader.float(c))).toEqual([1, 1, 0, 1, 0]);
    expect(reader.float("2024-03-01")).toBe(19783);
    expect(reader.float("2024-03-01T12:00:00Z")).toBe(19783.5);
    expect(reader.float(new Date("2024-03-01T12:00:00Z"))).toBe(19783.5);
    expect(["0x10", "abc", "1,5"].map((c) => reader.float(c))).toEqual([NaN, NaN, NaN]);
  });

  it("reads categories as trimmed text and labels by value", () => {
    expect([" red ", 3, true, "3"].map((c) => reader.category(c))).toEqual(["red", "3", "true", "3"]);
    expect(["1", "1.0", 1, " 1 ", "TRUE", true, "yes", "NA"].map((c) => reader.labelKey(c))).toEqual(["1", "1", "1", "1", "1", "1", "yes", null]);
  });
});

const train: RawRow[] = [
  { n: "1.5", flag: "true", colour: "red", when: "2024-01-01", y: "yes" },
  { n: " 2 ", flag: "false", colour: "blue", when: "2024-01-02", y: "no" },
  { n: "NA", flag: "", colour: "", when: "", y: "yes" },
  { n: "4", flag: "TRUE", colour: "red", when: "2024-01-04T06:00:00Z", y: "no" },
];

describe("fitEncodingSpec", () => {
  it("infers kinds, keeps training vocabularies and picks the positive label", () => {
    const spec = fitEncodingSpec(train, { features: ["n", "flag", "colour", "when"], target: { name: "y", task: "binary" } });
    expect(spec.features).toEqual([
      { name: "n", kind: "numeric" },
      { name: "flag", kind: "boolean" },
      { name: "colour", kind: "categorical", categories: ["blue", "red"] },
      { name: "when", kind: "date" },
    ]);
    expect(spec.target).toEqual({ name: "y", task: "binary", positive: ["yes"], negative: ["no"] });
    expect(trainerFeatures(spec).map((f) => f.kind)).toEqual(["numeric", "numeric", "categorical", "numeric"]);
    expect(parseEncodingSpec(JSON.stringify(spec))).toEqual(spec);
  });

  it("reads 0/1 and true/false targets alike, honours a declared positive label and refuses a third label", () => {
    const rows = [{ y: 0 }, { y: "1" }, { y: "true" }, { y: false }, { y: "NA" }];
    const spec = fitEncodingSpec(rows, { features: ["x"], target: { name: "y", task: "binary" } });
    expect(Array.from(encodeTarget(spec, rows))).toEqual([0, 1, 1, 0, NaN]);
    const declared = fitEncodingSpec(train, { features: ["n"], target: { name: "y", task: "binary", positiveLabel: "no" } });
    expect(Array.from(encodeTarget(declared, train))).toEqual([0, 1, 0, 1]);
    expect(() => fitEncodingSpec([{ y: "a" }, { y: "b" }, { y: "c" }], { features: ["x"], target: { name: "y", task: "binary" } })).toThrow(/more than two labels/);
  });

  it("lets the model's input types decide kinds", () => {
    const spec = fitEncodingSpec(train, { features: ["n", "colour"], inputTypes: { n: "string", colour: "float" } });
    expect(spec.features.map((f) => f.kind)).toEqual(["categorical", "numeric"]);
    expect(spec.features[0]!.categories).toEqual(["1.5", "2", "4"]);
  });

  it("refuses a spec of an unknown version or shape", () => {
    expect(() => parseEncodingSpec({ version: 2, missingTokens: [], features: [{ name: "a", kind: "numeric" }], target: null })).toThrow(/version/);
    expect(() => parseEncodingSpec({ version: 1, missingTokens: [], features: [{ name: "a", kind: "float" }], target: null })).toThrow(/features\.0\.kind/);
  });
});

describe("encode", () => {
  const spec = fitEncodingSpec(train, { features: ["n", "flag", "colour", "when"], target: { name: "y", task: "binary" } });
  const rows: RawRow[] = [
    { n: " 3.25 ", flag: "True", colour: "violet", when: "2024-01-03" },
    { n: 5, flag: false, colour: " red", when: new Date("2024-01-05T00:00:00Z") },
    { n: "", flag: "NA", colour: "None", when: "not a date" },
  ];

  it("turns text and JSON cells into trainer columns; unseen categories are missing", () => {
    const { X, cat } = encode(spec, rows);
    expect(X.map((c) => Array.from(c))).toEqual([
      [3.25, 5, NaN],
      [1, 0, NaN],
      [19725, 19727, NaN],
    ]);
    expect(cat).toEqual([[null, "red", null]]);
  });

  it("is idempotent: encoded rows encode to themselves", () => {
    const once = encodeRecords(spec, rows);
    expect(encodeRecords(spec, once)).toEqual(once);
    expect(encode(spec, once)).toEqual(encode(spec, rows));
  });
});
