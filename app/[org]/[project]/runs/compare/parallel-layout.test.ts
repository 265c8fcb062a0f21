import { describe, expect, it } from "vitest";
import { layoutAxes, runPath } from "./parallel-layout";

describe("parallel coordinates layout", () => {
  const runs = ["a", "b", "c"];
  const axes = layoutAxes(
    [
      { key: "params.depth", label: "depth", values: { a: 2, b: 6, c: 4 } },
      { key: "params.trainer", label: "trainer", values: { a: "ridge", b: "gbdt", c: "gbdt" } },
      { key: "metrics.rmse", label: "rmse", values: { a: 5, b: null, c: NaN } },
    ],
    runs,
  );

  it("scales numbers between the runs' extremes and spreads text values in sorted order", () => {
    expect(axes[0]).toMatchObject({ kind: "numeric", ticks: [{ label: "2", at: 0 }, { label: "6", at: 1 }] });
    expect([...axes[0]!.position]).toEqual([["a", 0], ["b", 1], ["c", 0.5]]);
    expect(axes[1]).toMatchObject({ kind: "categorical", ticks: [{ label: "gbdt", at: 0 }, { label: "ridge", at: 1 }] });
    expect(axes[1]!.position.get("a")).toBe(1);
  });

  it("leaves runs without a finite value off an axis and breaks their line there", () => {
    expect([...axes[2]!.position.keys()]).toEqual(["a"]);
    expect(axes[2]!.ticks).toEqual([{ label: "5", at: 0.5 }]);
    const x = (i: number) => i * 100;
    const y = (p: number) => 100 - p * 100;
    expect(runPath(axes, "a", x, y)).toBe("M0.0,100.0L100.0,0.0L200.0,50.0");
    expect(runPath(axes, "b", x, y)).toBe("M0.0,0.0L100.0,100.0");
  });
});
