import { describe, expect, it } from "vitest";
import { UsageError } from "./errors.js";
import { parseMetric, parseParams, parseTags, positiveInt, typedValue } from "./parse.js";

describe("key=value arguments", () => {
  it("types parameter values: numbers and booleans, text otherwise; the first = splits", () => {
    expect(parseParams(["lr=0.1", "depth=6", "early=true", "opt=adam", "expr=a=b", "neg=-1e-3", "v=1.2.3", "empty="])).toEqual({
      lr: 0.1,
      depth: 6,
      early: true,
      opt: "adam",
      expr: "a=b",
      neg: -0.001,
      v: "1.2.3",
      empty: "",
    });
    expect(typedValue("007")).toBe(7);
    expect(typedValue("1e")).toBe("1e");
    expect(() => parseParams(["novalue"])).toThrow(UsageError);
    expect(() => parseParams(["=1"])).toThrow(/not key=value/);
    expect(parseTags(["stage=dev", "x=1"])).toEqual({ stage: "dev", x: "1" });
  });

  it("reads metrics with an optional step and the special floats", () => {
    expect(parseMetric("loss=0.25@3")).toEqual({ key: "loss", value: 0.25, step: 3 });
    expect(parseMetric("test/rmse=4")).toEqual({ key: "test/rmse", value: 4, step: 0 });
    expect(parseMetric("a=b=1.5@2", 99)).toEqual({ key: "a=b", value: 1.5, step: 2, timestamp: 99 });
    expect(Number.isNaN(parseMetric("x=nan").value)).toBe(true);
    expect(parseMetric("x=-inf").value).toBe(-Infinity);
    expect(parseMetric("x=inf@1").value).toBe(Infinity);
    expect(() => parseMetric("x=fast")).toThrow(/"fast" is not a number/);
    expect(() => parseMetric("x=1@-2")).toThrow(/whole number/);
    expect(() => parseMetric("x=1@1.5")).toThrow(UsageError);
    expect(() => parseMetric("x=")).toThrow(/not a number/);
  });

  it("accepts only whole positive numbers where a number is meant", () => {
    expect(positiveInt("12", "n")).toBe(12);
    for (const bad of ["0", "-1", "1.5", "x", "", "99999999999999999999"]) expect(() => positiveInt(bad, "n")).toThrow(UsageError);
  });
});
