import { describe, expect, it } from "vitest";
import { binAgainst, binOnCuts, categoricalReference, exactHistogram, numericReference, psi, psiOfCounts, PSI_EPSILON } from "./psi";
import { sortFloat64 } from "./sort";
import { expectClose, loadFixture } from "./test-helpers";

interface PsiFixture {
  psi: { name: string; ref: (number | null)[]; cur: (number | null)[]; binning: "values" | "ranges"; cuts: number[]; reference: number[]; current: number[]; psi: number }[];
  categoricalPsi: { name: string; ref: Record<string, number>; refMissing: number; cur: Record<string, number>; curMissing: number; categories: string[]; reference: number[]; current: number[]; psi: number }[];
}

const fixture = await loadFixture<PsiFixture>("drift");

function split(values: (number | null)[]) {
  const present = values.filter((v): v is number => v !== null);
  return { sorted: sortFloat64(Float64Array.from(present)), missing: values.length - present.length, present };
}

describe("numeric PSI on the reference's bins", () => {
  it.each(fixture.psi)("$name matches the numpy reference to 1e-12", (c) => {
    const ref = split(c.ref);
    const cur = split(c.cur);
    const reference = numericReference(ref.sorted, ref.missing);
    expect(reference).toMatchObject({ binning: c.binning, cuts: c.cuts });
    const r = psi(reference, { kind: "numeric", values: cur.present, missing: cur.missing });
    expect(r.reference).toEqual(c.reference);
    expect(r.current).toEqual(c.current);
    expectClose(r.psi, c.psi, 1e-12, 1e-15);
  });

  it("keeps an identically drawn Poisson column near 0 (one bin per value, no smearing)", () => {
    const c = fixture.psi.find((x) => x.name === "poisson_same")!;
    const ref = split(c.ref);
    const reference = numericReference(ref.sorted, ref.missing);
    expect(reference.kind === "numeric" && reference.binning).toBe("values");
    expect(psi(reference, { kind: "numeric", values: split(c.cur).present, missing: 0 }).psi).toBeLessThan(0.01);
  });

  it("counts a growing missing share as drift", () => {
    const same = fixture.psi.find((x) => x.name === "missing_2pct")!;
    const grows = fixture.psi.find((x) => x.name === "missing_grows")!;
    expect(same.psi).toBeLessThan(0.02);
    expect(grows.psi).toBeGreaterThan(0.1);
  });

  it("labels integer bins with integer bounds and low-cardinality bins by their value", () => {
    const ints = numericReference(Float64Array.from({ length: 100 }, (_, i) => i), 0);
    const labels = binAgainst(ints, { kind: "numeric", values: [], missing: 0 }).labels;
    expect(labels.slice(0, 3)).toEqual(["(missing)", "≤ 4", "5–9"]);
    expect(labels.at(-1)).toBe("≥ 95");
    const codes = numericReference(Float64Array.from([1, 1, 2, 5]), 0);
    expect(binAgainst(codes, { kind: "numeric", values: [5, 7], missing: 1 })).toEqual({ labels: ["(missing)", "1", "2", "5"], reference: [0, 2, 1, 1], current: [1, 0, 0, 2] });
  });

  it("bins right-closed with open ends and skips NaN", () => {
    expect(binOnCuts([-10, 0, 0.5, 1, 1.5, 2, 2.0001, 99, NaN, -Infinity, Infinity], [0, 1, 2])).toEqual([3, 2, 2, 3]);
    expect(binOnCuts([1, 2, 3], [])).toEqual([3]);
  });

  it("bins exactly like a search over the cuts, for even, uneven and duplicate-free integer cuts", async () => {
    const { Rng } = await import("./random");
    const rng = new Rng(5);
    const naive = (values: number[], cuts: number[]) => {
      const counts = new Array<number>(cuts.length + 1).fill(0);
      for (const x of values) if (x === x) counts[cuts.filter((c) => c < x).length]!++;
      return counts;
    };
    for (let t = 0; t < 200; t++) {
      const k = 1 + rng.nextInt(25);
      const cuts = [...new Set(Array.from({ length: k }, () => (t % 3 === 0 ? rng.nextInt(40) : rng.next() * 10 - 5)))].sort((a, b) => a - b);
      const values = Array.from({ length: 300 }, () => (rng.next() < 0.2 ? cuts[rng.nextInt(cuts.length)]! : rng.next() < 0.05 ? [NaN, Infinity, -Infinity][rng.nextInt(3)]! : rng.next() * 60 - 15));
      expect(binOnCuts(values, cuts)).toEqual(naive(values, cuts));
      expect(binOnCuts(Float64Array.from(values), Float64Array.from(cuts))).toEqual(naive(values, cuts));
    }
  });

  it("floors empty shares at PSI_EPSILON and is zero for proportional counts", () => {
    expect(psiOfCounts([1, 2, 3], [10, 20, 30])).toBeCloseTo(0, 15);
    const e = [0.5, 0.5, 0];
    const a = [0.25, 0.5, 0.25];
    const expected = (0.25 - 0.5) * Math.log(0.5) + (0.25 - PSI_EPSILON) * Math.log(0.25 / PSI_EPSILON);
    expectClose(psiOfCounts(e, a), expected, 1e-14);
    expect(() => psiOfCounts([0, 0], [1, 1])).toThrow(RangeError);
    expect(() => psiOfCounts([1], [1, 2])).toThrow(RangeError);
  });
});

describe("categorical PSI", () => {
  it.each(fixture.categoricalPsi)("$name matches the numpy reference (unseen bin, missing bin)", (c) => {
    const reference = categoricalReference(Object.entries(c.ref), c.refMissing);
    expect(reference.kind === "categorical" && reference.categories).toEqual(c.categories);
    const r = psi(reference, { kind: "categorical", counts: new Map(Object.entries(c.cur)), missing: c.curMissing });
    expect(r.reference).toEqual(c.reference);
    expect(r.current).toEqual(c.current);
    expect(r.labels.at(-1)).toBe("(unseen)");
    expectClose(r.psi, c.psi, 1e-12, 1e-15);
  });

  it("refuses to mix a numeric reference with categorical current data", () => {
    const ref = numericReference(Float64Array.from([1, 2, 3]), 0);
    expect(() => psi(ref, { kind: "categorical", counts: new Map(), missing: 0 })).toThrow(RangeError);
  });
});

describe("exact histograms for the profile page", () => {
  it("shows one bar per value for few-valued columns and whole-number ranges for integer columns; none for continuous ones", () => {
    const codes = numericReference(Float64Array.from([1, 1, 2, 5, 5, 5]), 2);
    expect(exactHistogram(codes)).toEqual([
      { label: "1", count: 2 },
      { label: "2", count: 1 },
      { label: "5", count: 3 },
    ]);
    const ints = exactHistogram(numericReference(Float64Array.from({ length: 100 }, (_, i) => i), 0))!;
    expect(ints.every((b) => /^(≤ \d+|≥ \d+|\d+(–\d+)?)$/.test(b.label))).toBe(true);
    expect(ints.reduce((s, b) => s + b.count, 0)).toBe(100);
    expect(exactHistogram(numericReference(sortFloat64(Float64Array.from({ length: 200 }, (_, i) => Math.sqrt(i) + 0.5)), 0))).toBeNull();
    expect(exactHistogram(categoricalReference([["a", 1]], 0))).toBeNull();
  });
});
