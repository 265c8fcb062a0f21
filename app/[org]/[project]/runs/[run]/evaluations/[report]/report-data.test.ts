import { describe, expect, it } from "vitest";
import type { RobustnessRow } from "@/server/evaluation/schemas";
import { curveRows, histogramRows, robustnessSeries } from "./report-data";

describe("evaluation report chart data", () => {
  it("puts a curve on an even grid, taking the top of vertical runs", () => {
    const roc = [
      { x: 0, y: 0 },
      { x: 0, y: 0.5 },
      { x: 0.5, y: 1 },
      { x: 1, y: 1 },
    ];
    const rows = curveRows(roc, "model", { name: "chance", y: (x) => x }, 4);
    expect(rows.map((r) => r.at)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(rows.map((r) => r.model)).toEqual([0.5, 0.75, 1, 1, 1]);
    expect(rows.map((r) => r.chance)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it("leaves the grid empty outside the curve", () => {
    const rows = curveRows([{ x: 0.5, y: 0.2 }, { x: 1, y: 0.4 }], "m", { name: "r", y: () => 0 }, 2);
    expect(rows.map((r) => r.m)).toEqual([null, 0.2, 0.4]);
  });

  it("names histogram bins by their range", () => {
    expect(histogramRows([{ lower: -1.5, upper: 0, count: 3 }])).toEqual([{ bin: "-1.5 to 0", rows: 3 }]);
  });

  it("regroups robustness rows per perturbation with the baseline at level 0", () => {
    const row = (perturbation: RobustnessRow["perturbation"], feature: string | null, level: number, value: number): RobustnessRow => ({
      perturbation,
      feature,
      level,
      metric: "rmse",
      baseline: 2,
      value,
      delta: value - 2,
      reason: null,
    });
    const series = robustnessSeries([row("gaussian_noise", null, 0.1, 2.5), row("missing", "a", 0.5, 3), row("missing", "b", 0.5, 4), row("missing", "a", 0.1, 2.2), row("missing", "c", 0.5, 2)]);
    expect(series.map((s) => s.perturbation)).toEqual(["gaussian_noise", "missing"]);
    expect(series[0]!.rows).toEqual([{ level: "0", "all features": 2 }, { level: "0.1", "all features": 2.5 }]);
    // Largest effect first; a feature whose loss changes nothing is named, not drawn over the baseline.
    expect(series[1]!.lines).toEqual(["b", "a"]);
    expect(series[1]!.flat).toEqual(["c"]);
    expect(series[1]!.rows).toEqual([{ level: "0", a: 2, b: 2, c: 2 }, { level: "0.1", a: 2.2 }, { level: "0.5", a: 3, b: 4, c: 2 }]);
  });
});
