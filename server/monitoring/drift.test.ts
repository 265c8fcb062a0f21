import { describe, expect, it } from "vitest";
import { calibrationRows } from "./drift";

describe("calibrationRows", () => {
  it("rounds window sizes down to two significant digits, leaving small windows as they are", () => {
    expect([1, 37, 99, 100, 101, 1234, 9999, 10_500, 123_456].map(calibrationRows)).toEqual([1, 37, 99, 100, 100, 1200, 9900, 10_000, 120_000]);
  });
});
