import { describe, expect, it } from "vitest";
import { smoothSeries } from "./smooth";

describe("smoothSeries", () => {
  it("is the identity at weight 0", () => {
    expect(smoothSeries([3, 1, 2], 0)).toEqual([3, 1, 2]);
  });

  it("debiases: a constant series stays constant from the first point", () => {
    for (const v of smoothSeries([5, 5, 5, 5], 0.9)) expect(v).toBeCloseTo(5, 12);
  });

  it("matches TensorBoard's debiased EMA by hand", () => {
    // w = 0.5: last = 0.5·1 → 0.5 / (1 − 0.5) = 1; then 0.25 + 1.5 = 1.75 → 1.75 / 0.75.
    const [a, b] = smoothSeries([1, 3], 0.5);
    expect(a).toBeCloseTo(1, 12);
    expect(b).toBeCloseTo(1.75 / 0.75, 12);
  });

  it("passes NaN and infinities through without poisoning later points", () => {
    const out = smoothSeries([1, NaN, Infinity, 1], 0.5);
    expect(out[1]).toBeNaN();
    expect(out[2]).toBe(Infinity);
    expect(out[3]).toBeCloseTo(1, 12);
  });
});
