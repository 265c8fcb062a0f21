import { describe, expect, it } from "vitest";
import { histogramQuantile } from "./histogram-quantile";

describe("histogramQuantile", () => {
  const bounds = [1, 2, 5, 10];

  it("interpolates inside the bucket that holds the rank, like Prometheus' histogram_quantile", () => {
    // 100 observations: 50 in (0,1], 40 in (1,2], 10 in (2,5].
    const counts = [50, 40, 10, 0, 0];
    // rank 95 lies 5 of 10 into (2,5]: 2 + 3·0.5.
    expect(histogramQuantile(bounds, counts, 0.95)).toBeCloseTo(3.5, 12);
    // rank 50 is exactly the top of the first bucket.
    expect(histogramQuantile(bounds, counts, 0.5)).toBeCloseTo(1, 12);
    // rank 25: half of the first bucket, which starts at 0.
    expect(histogramQuantile(bounds, counts, 0.25)).toBeCloseTo(0.5, 12);
  });

  it("skips empty buckets and reports the highest finite bound for the +Inf bucket", () => {
    expect(histogramQuantile(bounds, [0, 0, 0, 4, 0], 0.5)).toBeCloseTo(7.5, 12);
    expect(histogramQuantile(bounds, [10, 0, 0, 0, 90], 0.95)).toBe(10);
  });

  it("is null without observations and refuses a count list that does not fit the bounds", () => {
    expect(histogramQuantile(bounds, [0, 0, 0, 0, 0], 0.95)).toBeNull();
    expect(() => histogramQuantile(bounds, [1, 2], 0.5)).toThrow(/expected bounds \+ 1/);
    expect(() => histogramQuantile(bounds, [1, 0, 0, 0, 0], 1.5)).toThrow(/q must be/);
  });
});
