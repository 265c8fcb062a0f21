import { describe, expect, it } from "vitest";
import { binLabel, driftRows, heatClass, heatGrid, histogramRows, performanceRows, relativeToThreshold, shareSeries } from "./chart-rows";

const at = (h: number) => new Date(Date.UTC(2026, 10, 29, h));

describe("monitor chart rows", () => {
  it("puts every statistic on one axis relative to its threshold, and leaves out what cannot be related", () => {
    expect(relativeToThreshold({ value: 0.3, threshold: 0.15 })).toBeCloseTo(2);
    expect(relativeToThreshold({ value: 0.3, threshold: 0 })).toBeNull();
    expect(relativeToThreshold({ value: null, threshold: 0.1 })).toBeNull();
    expect(relativeToThreshold({ value: Number.NaN, threshold: 0.1 })).toBeNull();
  });

  it("orders reports oldest first and gives a feature missing from a window a gap, not a zero", () => {
    const { rows, features } = driftRows([
      { windowEnd: at(13), features: [{ feature: "distance_km", value: 0.2, threshold: 0.1, drifted: true }, { feature: "weather", value: 0.125, threshold: 0.5, drifted: false }] },
      { windowEnd: at(12), features: [{ feature: "distance_km", value: 0.05, threshold: 0.1, drifted: false }] },
    ]);
    expect(features).toEqual(["distance_km", "weather"]);
    expect(rows).toEqual([
      { time: "29 Nov, 12:00", distance_km: 0.5, weather: null },
      { time: "29 Nov, 13:00", distance_km: 2, weather: 0.25 },
    ]);
  });

  it("lays the heat map out as features × windows and colours by verdict first", () => {
    const grid = heatGrid([
      { windowEnd: at(12), features: [{ feature: "a", value: 3, threshold: 1, drifted: false }] },
      { windowEnd: at(13), features: [{ feature: "a", value: 1.5, threshold: 1, drifted: true }, { feature: "b", value: 0.1, threshold: 1, drifted: false }] },
    ]);
    expect(grid.columns).toHaveLength(2);
    expect(grid.rows.map((r) => r.feature)).toEqual(["a", "b"]);
    expect(grid.rows[1]!.cells[0]).toBeNull();
    // Over the threshold but not drifted (under the effect floor) stays amber; drifted is rose.
    expect(heatClass(grid.rows[0]!.cells[0]!)).toBe("bg-amber-400");
    expect(heatClass(grid.rows[0]!.cells[1]!)).toBe("bg-rose-400");
    expect(heatClass(grid.rows[1]!.cells[1]!)).toBe("bg-emerald-200");
    expect(heatClass(null)).toBe("bg-gray-100");
  });

  it("turns drift shares into percent, oldest first, skipping windows without one", () => {
    expect(shareSeries([{ windowEnd: at(13), share: 0.25 }, { windowEnd: at(11), share: null }, { windowEnd: at(12), share: 0 }])).toEqual([
      { time: "29 Nov, 12:00", share: 0 },
      { time: "29 Nov, 13:00", share: 25 },
    ]);
  });

  it("compares histograms as shares so a small window lines up with a large reference", () => {
    expect(histogramRows([{ label: "<5", reference: 900, current: 1 }, { label: "≥5", reference: 100, current: 3 }])).toEqual([
      { bin: "<5", Reference: 90, Current: 25 },
      { bin: "≥5", Reference: 10, Current: 75 },
    ]);
    expect(histogramRows([{ label: "x", reference: 0, current: 0 }])).toEqual([{ bin: "x", Reference: 0, Current: 0 }]);
  });
});

describe("performance rows", () => {
  it("draws each version's metrics per window, leaves windows still waiting for labels as gaps, and counts labels", () => {
    const out = performanceRows([
      { windowEnd: at(13), verdict: "insufficient", figures: { metrics: { v1: { rmse: 9 } }, labels: 3, stableVersionId: "v1" } },
      { windowEnd: at(12), verdict: "ok", figures: { metrics: { v1: { rmse: 4.5 }, v2: { rmse: 4, mae: "x" } }, labels: 410, stableVersionId: "v1" } },
    ]);
    expect(out.series).toEqual(["rmse (stable)", "rmse (candidate)", "mae (candidate)"]);
    expect(out.rows).toEqual([
      { time: "29 Nov, 12:00", "rmse (stable)": 4.5, "rmse (candidate)": 4, "mae (candidate)": null },
      { time: "29 Nov, 13:00", "rmse (stable)": null, "rmse (candidate)": null, "mae (candidate)": null },
    ]);
    expect(out.labels).toEqual([
      { time: "29 Nov, 12:00", labels: 410 },
      { time: "29 Nov, 13:00", labels: 3 },
    ]);
  });

  it("reads malformed figures as empty rather than failing the page", () => {
    expect(performanceRows([{ windowEnd: at(12), verdict: "ok", figures: { metrics: "nope", labels: "many" } }])).toEqual({ rows: [{ time: "29 Nov, 12:00" }], series: [], labels: [{ time: "29 Nov, 12:00", labels: 0 }] });
  });
});

describe("histogram bin labels", () => {
  it("rounds numeric edges and leaves other labels alone", () => {
    expect(binLabel("28.251–30.791999999999")).toBe("28.25–30.79");
    expect(binLabel("-1.5–2")).toBe("-1.5–2");
    expect(binLabel("27–29")).toBe("27–29");
    expect(binLabel("(missing)")).toBe("(missing)");
    expect(binLabel("v1.234567")).toBe("v1.234567");
    expect(binLabel("north")).toBe("north");
  });
});
