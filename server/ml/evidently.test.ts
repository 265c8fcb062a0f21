import { describe, expect, it } from "vitest";
import { evidentlyChiSquare, evidentlyVerdict, evidentlyZTest } from "./evidently";
import { categoricalColumnData, numericColumnData } from "./monitor-stats";
import { expectClose, loadFixture } from "./test-helpers";

type Cell = number | string | null;
interface EvidentlyFixture {
  evidently: { name: string; numeric: boolean; ref: Cell[]; cur: Cell[]; test: string; statistic: number; threshold: number; drifted: boolean }[];
}

const fixture = await loadFixture<EvidentlyFixture>("monitor");
const toNumber = (x: Cell) => (x === null ? NaN : x === "inf" ? Infinity : x === "-inf" ? -Infinity : Number(x));
const column = (numeric: boolean, xs: Cell[]) => (numeric ? numericColumnData(xs.map(toNumber)) : categoricalColumnData(xs.map((x) => (x === null ? null : String(x)))));

describe("evidentlyVerdict: Evidently's default drift test per column", () => {
  it.each(fixture.evidently)("$name picks $test and reproduces its statistic and verdict", (c) => {
    const v = evidentlyVerdict(column(c.numeric, c.ref), column(c.numeric, c.cur));
    expect(v.test).toBe(c.test);
    expect(v.threshold).toBe(c.threshold);
    expectClose(v.statistic, c.statistic, 1e-8, 1e-12, `${c.name} statistic`);
    expect(v.drifted).toBe(c.drifted);
  });

  it("covers every branch of the selection in the fixtures", () => {
    expect(new Set(fixture.evidently.map((c) => c.test))).toEqual(new Set(["ks", "chisquare", "z", "wasserstein", "jensenshannon"]));
  });

  it("switches tests at exactly 1000 reference rows and 5 distinct values", () => {
    const values = (n: number, k: number) => Array.from({ length: n }, (_, i) => i % k);
    const at = (n: number, k: number) => evidentlyVerdict(numericColumnData(values(n, k)), numericColumnData(values(50, k))).test;
    expect([at(1000, 6), at(1001, 6), at(1000, 5), at(1001, 5), at(1000, 2)]).toEqual(["ks", "wasserstein", "chisquare", "jensenshannon", "z"]);
  });

  it("gives chi-square p = 0 for a category the reference never had, as scipy.stats.chisquare", () => {
    const r = evidentlyChiSquare(new Map([["a", 10], ["b", 10]]), new Map([["a", 5], ["b", 4], ["c", 1]]));
    expect(r).toMatchObject({ statistic: Infinity, pValue: 0, dof: 2 });
    expect(evidentlyZTest(new Map([["x", 5]]), new Map([["x", 9]]), false)).toBe(1);
  });

  it("refuses a column without finite values", () => {
    expect(() => evidentlyVerdict(numericColumnData([NaN, Infinity]), numericColumnData([1]))).toThrow(/empty column/);
  });
});
