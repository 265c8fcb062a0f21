import { describe, expect, it } from "vitest";
import type { ColumnData } from "./column-data";
import { columnDrift } from "./column-drift";
import { sortFloat64 } from "./sort";
import { loadFixture } from "./test-helpers";

interface Fixture {
  psi: { name: string; ref: (number | null)[]; cur: (number | null)[]; psi: number }[];
}
const fixture = await loadFixture<Fixture>("drift");

function numeric(values: (number | null)[], type: ColumnData["type"] = "numeric"): ColumnData {
  const present = values.filter((v): v is number => v !== null);
  return { kind: "numeric", type, values: sortFloat64(Float64Array.from(present)), missing: values.length - present.length, sampled: false, scale: 1 };
}

function categorical(counts: Record<string, number>, missing = 0, type: ColumnData["type"] = "categorical"): ColumnData {
  return { kind: "categorical", type, counts: new Map(Object.entries(counts)), missing, distinct: Object.keys(counts).length, approx: false };
}

describe("columnDrift", () => {
  it.each(fixture.psi.map((c) => ({ ...c })))("$name: PSI as the numpy reference, KS with both sample sizes", (c) => {
    const d = columnDrift("x", numeric(c.ref), numeric(c.cur));
    expect(Math.abs(d.psi! - c.psi)).toBeLessThan(1e-12);
    expect(d.drifted).toBe(c.psi > 0.2);
    expect(d.ks).toMatchObject({ n1: c.ref.filter((v) => v !== null).length, n2: c.cur.filter((v) => v !== null).length });
    const base = d.chart.reduce((s, b) => s + b.base, 0);
    expect(base).toBeCloseTo(1, 12);
  });

  it("flags new and vanished categories and counts them as drift", () => {
    const d = columnDrift("region", categorical({ north: 400, south: 350, east: 250 }), categorical({ north: 330, south: 300, east: 10, west: 160 }, 5));
    expect(d.newCategories).toEqual({ top: [{ value: "west", count: 160 }], count: 1, rows: 160, share: 160 / 805 });
    expect(d.vanishedCategories).toBeNull();
    expect(d.drifted).toBe(true);
    // 5 missing rows expect fewer than 5 on the base side: pooled, with the smallest category, into "(other)".
    expect(d.chiSquare).toMatchObject({ dof: 3, n1: 1000, n2: 805, pooled: 2 });
    expect(d.chart.map((b) => b.label)).toEqual(["(missing)", "north", "south", "east", "(unseen)"]);
  });

  it("skips identifiers and free text, and compares nothing across kinds", () => {
    expect(columnDrift("order_id", numeric([1, 2, 3]), numeric([4, 5, 6]))).toMatchObject({ skipped: "identifier-like", psi: null, ks: null });
    const ids = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`o-${i}`, 1]));
    expect(columnDrift("ref", categorical(ids, 0, "text"), categorical(ids, 0, "text")).skipped).toBe("identifier-like");
    expect(columnDrift("x", numeric([1, 2]), categorical({ a: 2 }))).toMatchObject({ skipped: null, psi: null, ks: null, chiSquare: null });
  });

  it("says why a chi-square test is not valid", () => {
    const d = columnDrift("plan", categorical({ a: 2, b: 1 }), categorical({ a: 1, b: 2 }));
    expect(d.chiSquare).toBeNull();
    expect(d.chiSquareNote).toMatch(/expected count/);
  });
});
