import { describe, expect, it } from "vitest";
import { chartRows, chartValueFormatter, X_KEY } from "./chart-data";

const series = (label: string, steps: number[], value: (s: number) => number, ts = (s: number) => 1_000 + s * 1000) => ({
  label,
  points: steps.map((step) => ({ step, value: value(step), ts: ts(step) })),
});
const opts = { xAxis: "step" as const, smoothing: 0, log: false, bins: 100 };

describe("chartRows", () => {
  it("sizes rows in round steps", () => {
    const rows = chartRows([series("a", [0, 50_000], () => 1)], { ...opts, bins: 800 });
    expect(rows[1]![X_KEY]).toBe("100");
    expect(rows).toHaveLength(501);
  });

  it("keeps one row per step when the steps fit the grid", () => {
    const rows = chartRows([series("a", [0, 1, 2, 3], (s) => s * 2)], opts);
    expect(rows.map((r) => r[X_KEY])).toEqual(["0", "1", "2", "3"]);
    expect(rows.map((r) => r.a)).toEqual([0, 2, 4, 6]);
  });

  it("puts runs with different step ranges on one linear grid", () => {
    const rows = chartRows([series("long", [0, 500, 1000], () => 1), series("short", [0, 100], () => 2)], { ...opts, bins: 10 });
    expect(rows).toHaveLength(11);
    expect(rows[0]).toMatchObject({ [X_KEY]: "0", long: 1, short: 2 });
    expect(rows[1]).toMatchObject({ [X_KEY]: "100", short: 2 });
    expect(rows[5]).toMatchObject({ [X_KEY]: "500", long: 1 });
    expect(rows[10]).toMatchObject({ [X_KEY]: "1000", long: 1 });
  });

  it("leaves gaps for NaN, infinities and, on a log axis, non-positive values", () => {
    const values = [NaN, Infinity, 0, -1, 100];
    const rows = chartRows([series("a", [0, 1, 2, 3, 4], (s) => values[s]!)], { ...opts, log: true });
    expect(rows.map((r) => r.a)).toEqual([null, null, null, null, 2]);
    expect(chartValueFormatter(true)(2)).toBe("100");
  });

  it("measures time from each run's first point; one instant makes one row", () => {
    const rows = chartRows([series("a", [0, 1, 2], (s) => s, (s) => 5_000 + s * 30_000)], { ...opts, xAxis: "time", bins: 4 });
    expect(rows.map((r) => r[X_KEY])).toEqual(["0s", "20s", "40s", "1m 00s"]);
    expect(rows.map((r) => r.a ?? null)).toEqual([0, null, 1, 2]);
    const flat = chartRows([series("a", [0, 1, 2], (s) => s, () => 7)], { ...opts, xAxis: "time" });
    expect(flat).toHaveLength(1);
  });
});
