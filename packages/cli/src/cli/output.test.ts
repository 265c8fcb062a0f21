import { describe, expect, it } from "vitest";
import { bar, bytes, duration, table } from "./output.js";

describe("human output", () => {
  it("draws bars, sizes and durations", () => {
    expect(bar(0, 10)).toBe("[----------]");
    expect(bar(0.5, 10)).toBe("[#####-----]");
    expect(bar(1.7, 4)).toBe("[####]");
    expect(bytes(999)).toBe("999 B");
    expect(bytes(19_456)).toBe("19.5 KB");
    expect(bytes(80_800_002)).toBe("80.8 MB");
    expect(duration(0.4)).toBe("0s");
    expect(duration(75)).toBe("1m15s");
    expect(duration(3725)).toBe("1h02m");
  });

  it("pads columns to the widest cell, leaving the last one as is", () => {
    expect(table([["validate", "SUCCEEDED", "0s", ""], ["gate", "FAILED", "12s", "gate failed — thresholds"]])).toEqual([
      "  validate  SUCCEEDED  0s",
      "  gate      FAILED     12s  gate failed — thresholds",
    ]);
  });
});
