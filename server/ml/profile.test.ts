import { describe, expect, it } from "vitest";
import { DatasetProfiler, type ColumnProfile, type DatasetProfile, type RawValue } from "./profile";
import { Rng } from "./random";
import { expectClose, loadFixture } from "./test-helpers";

type ExpectedColumn = Pick<
  ColumnProfile,
  "name" | "type" | "count" | "missing" | "missingShare" | "nullable" | "distinct" | "min" | "max" | "mean" | "std" | "quantiles" | "histogram" | "minText" | "maxText"
>;
interface ProfilesFixture {
  datasets: { name: string; csv: string; expected: { rowCount: number; columns: ExpectedColumn[] } }[];
}

const fixture = await loadFixture<ProfilesFixture>("profiles");

// The fixture CSVs are generated without quoting, so splitting on commas is a faithful parse.
function profileCsv(csv: string, options?: ConstructorParameters<typeof DatasetProfiler>[1]): DatasetProfile {
  const lines = csv.split("\n").filter((l) => l.length > 0);
  const profiler = new DatasetProfiler(lines[0]!.split(","), options);
  for (const line of lines.slice(1)) profiler.pushRow(line.split(","));
  return profiler.finish();
}

function profileValues(values: RawValue[], options?: ConstructorParameters<typeof DatasetProfiler>[1]): ColumnProfile {
  const profiler = new DatasetProfiler(["x"], options);
  for (const v of values) profiler.pushRow([v]);
  return profiler.finish().columns[0]!;
}

describe.each(fixture.datasets)("profile of the $name dataset against pandas/numpy", ({ csv, expected }) => {
  const profile = profileCsv(csv);

  it("has the row count and column order", () => {
    expect(profile.rowCount).toBe(expected.rowCount);
    expect(profile.columns.map((c) => c.name)).toEqual(expected.columns.map((c) => c.name));
  });

  it.each(expected.columns.map((c) => [c.name, c] as const))("column %s", (_, want) => {
    const got = profile.columns.find((c) => c.name === want.name)!;
    expect(got.type).toBe(want.type);
    expect({ count: got.count, missing: got.missing, nullable: got.nullable, distinct: got.distinct }).toEqual({
      count: want.count,
      missing: want.missing,
      nullable: want.nullable,
      distinct: want.distinct,
    });
    expectClose(got.missingShare, want.missingShare, 1e-15, 0, "missingShare");
    expect(got.distinctApprox).toBe(false);
    expect(got.quantilesApprox).toBe(false);
    expect(got.min).toBe(want.min);
    expect(got.max).toBe(want.max);
    const scale = Math.max(Math.abs(want.min ?? 0), Math.abs(want.max ?? 0));
    expectClose(got.mean, want.mean, 1e-9, 1e-15 * scale, "mean");
    expectClose(got.std, want.std, 1e-9, 0, "std");
    if (want.quantiles === null) expect(got.quantiles).toBeNull();
    else for (const [key, value] of Object.entries(want.quantiles)) expectClose(got.quantiles![key as keyof typeof want.quantiles], value, 1e-12, 0, key);
    expect(got.histogram).toEqual(want.histogram);
    if (want.type === "datetime") expect([got.minText, got.maxText]).toEqual([want.minText, want.maxText]);
  });

  it("keeps a sample of each numeric column's own values, within [min, max]", () => {
    for (const c of profile.columns) {
      if (c.type === "numeric" || c.type === "integer" || c.type === "datetime") {
        const finite = c.histogram?.kind === "numeric" ? c.histogram.counts.reduce((a, b) => a + b, 0) : 0;
        expect(c.sample.length, c.name).toBe(Math.min(finite, 5000));
        expect(c.sample.every((x) => x >= c.min! && x <= c.max!), c.name).toBe(true);
        expect(c.sample).toEqual([...c.sample].sort((a, b) => a - b));
      } else expect(c.sample).toEqual([]);
    }
  });
});

describe("type inference", () => {
  it.each<[string, RawValue[], ColumnProfile["type"]]>([
    ["0/1 are integers, not booleans", ["1", "0", "1"], "integer"],
    ["true/false in any case", ["true", "FALSE", "True", "NA"], "boolean"],
    ["decimals", ["1.5", "2", "-0.5"], "numeric"],
    ["exponent notation", ["1e3", "2E-2"], "numeric"],
    ["infinities are numbers", ["inf", "-Infinity", "4"], "numeric"],
    ["blank-padded numbers", [" 12 ", "7"], "integer"],
    ["dates and date-times", ["2020-01-01", "2020-01-02T10:00:00Z", "2020-01-03 04:05:06.789+02:00"], "datetime"],
    ["hexadecimal is not a number", ["0x10", "0x11"], "categorical"],
    ["an impossible date is text", ["2021-02-29"], "categorical"],
    ["typed booleans", [true, false, null], "boolean"],
    ["typed integers", [1, 2, 3], "integer"],
    ["typed reals", [1, 2.5], "numeric"],
    ["typed dates", [new Date(0), new Date(86_400_000)], "datetime"],
    ["a late string turns numbers into categories", ["1", "2", "x"], "categorical"],
    ["a late number turns booleans into categories", ["true", "5"], "categorical"],
    ["nothing but missing values", ["", "NA", null, undefined, NaN], "numeric"],
  ])("%s", (_, values, type) => {
    expect(profileValues(values).type).toBe(type);
  });

  it("counts pandas' NA markers, empty strings and NaN as missing", () => {
    const markers = ["", "NA", "N/A", "NaN", "nan", "null", "NULL", "None", "n/a", "-NaN", "<NA>", "#N/A", null, undefined, NaN, new Date(NaN)];
    const c = profileValues([...markers, "3"]);
    expect(c).toMatchObject({ type: "integer", count: 1, missing: markers.length, nullable: true, min: 3, max: 3 });
    expectClose(c.missingShare, markers.length / (markers.length + 1), 1e-15);
  });

  it("re-keys earlier values by canonical text when a column turns categorical", () => {
    const c = profileValues(["1", "1.0", "2", "a", "true"]);
    expect(c.histogram).toEqual({
      kind: "categorical",
      top: [
        { value: "1", count: 2 },
        { value: "2", count: 1 },
        { value: "a", count: 1 },
        { value: "true", count: 1 },
      ],
      otherCount: 0,
    });
    expect(c.distinct).toBe(4);
  });

  it("reads dates as epoch milliseconds, offsets applied", () => {
    const c = profileValues(["2020-01-01T00:00:00+01:00", "2020-01-01T00:00:00.5Z"]);
    expect([c.min, c.max]).toEqual([Date.UTC(2019, 11, 31, 23), Date.UTC(2020, 0, 1, 0, 0, 0, 500)]);
    expect([c.minText, c.maxText]).toEqual(["2019-12-31T23:00:00.000Z", "2020-01-01T00:00:00.500Z"]);
  });

  it("summarises booleans as 0/1", () => {
    const c = profileValues(["true", "true", "false", "TRUE"]);
    expect(c).toMatchObject({ min: 0, max: 1, mean: 0.75, distinct: 2, quantiles: null, sample: [] });
    expectClose(c.std, 0.5, 1e-15);
    expect(c.histogram).toEqual({ kind: "categorical", top: [{ value: "true", count: 3 }, { value: "false", count: 1 }], otherCount: 0 });
  });

  it("calls a string column text once it has more than max(20, 5%) or 1000 distinct values", () => {
    const few = Array.from({ length: 1000 }, (_, i) => `v${i % 50}`);
    expect(profileValues(few).type).toBe("categorical");
    const many = Array.from({ length: 1000 }, (_, i) => `v${i % 51}`);
    expect(profileValues(many).type).toBe("text");
    const small = Array.from({ length: 30 }, (_, i) => `v${i % 20}`);
    expect(profileValues(small).type).toBe("categorical");
    const capped = Array.from({ length: 100_000 }, (_, i) => `v${i % 1001}`);
    expect(profileValues(capped).type).toBe("text");
  });

  it("limits top-K lists and puts the rest in otherCount", () => {
    const values = Array.from({ length: 300 }, (_, i) => `c${Math.floor(Math.sqrt(i))}`);
    const c = profileValues(values, { topK: 3 });
    expect(c.histogram).toEqual({
      kind: "categorical",
      top: [
        { value: "c16", count: 33 },
        { value: "c15", count: 31 },
        { value: "c14", count: 29 },
      ],
      otherCount: 300 - 33 - 31 - 29,
    });
  });
});

describe("bounded memory", () => {
  it("switches to HyperLogLog beyond the distinct-string cap and keeps the heavy hitters", () => {
    const rng = new Rng(1);
    const values: string[] = [];
    for (let i = 0; i < 60_000; i++) values.push(rng.next() < 0.2 ? "frequent" : `id-${i}`);
    const c = profileValues(values, { distinctStringCap: 1000 });
    expect(c.type).toBe("text");
    expect(c.distinctApprox).toBe(true);
    const trueDistinct = new Set(values).size;
    expect(Math.abs(c.distinct - trueDistinct) / trueDistinct).toBeLessThan(0.04);
    const top = c.histogram?.kind === "categorical" ? c.histogram.top : [];
    expect(top[0]!.value).toBe("frequent");
    expect(top[0]!.count).toBeGreaterThan(0.9 * values.filter((v) => v === "frequent").length);
  });

  it("reservoir-samples beyond exactValueCap: exact min, max and moments, approximate quantiles", () => {
    const rng = new Rng(2);
    const values = Array.from({ length: 50_000 }, () => String(Math.round(rng.next() * 1e6) / 1e3));
    const exact = profileValues(values);
    const sampled = profileValues(values, { exactValueCap: 5000 });
    expect(sampled.quantilesApprox).toBe(true);
    expect(sampled.distinctApprox).toBe(true);
    expect([sampled.min, sampled.max, sampled.count]).toEqual([exact.min, exact.max, exact.count]);
    expectClose(sampled.mean, exact.mean, 1e-9);
    expectClose(sampled.std, exact.std, 1e-9);
    expect(Math.abs(sampled.distinct - exact.distinct) / exact.distinct).toBeLessThan(0.04);
    for (const key of ["p5", "p25", "p50", "p75", "p95"] as const) expect(Math.abs(sampled.quantiles![key] - exact.quantiles![key])).toBeLessThan(25);
    const counts = sampled.histogram?.kind === "numeric" ? sampled.histogram.counts : [];
    expect(counts.reduce((a, b) => a + b, 0)).toBe(5000);
  });

  it("is reproducible from the seed and varies with it", () => {
    const values = Array.from({ length: 20_000 }, (_, i) => String((i * 7919) % 10_007));
    const a = profileValues(values, { sampleSize: 100, seed: 1 });
    const b = profileValues(values, { sampleSize: 100, seed: 1 });
    const c = profileValues(values, { sampleSize: 100, seed: 2 });
    expect(a.sample).toEqual(b.sample);
    expect(a.sample).not.toEqual(c.sample);
    expect(a.sample.length).toBe(100);
  });
});

describe("invariants on random columns", () => {
  it("has monotone quantiles and histogram counts summing to the finite count", () => {
    const rng = new Rng(8);
    for (let trial = 0; trial < 30; trial++) {
      const n = 1 + rng.nextInt(3000);
      const values = Array.from({ length: n }, () => (rng.next() < 0.1 ? "" : String((rng.next() - 0.3) * 10 ** rng.nextInt(8))));
      const c = profileValues(values, { histogramBins: 1 + rng.nextInt(40) });
      if (c.count === 0) continue;
      const q = c.quantiles!;
      const ordered = [c.min!, q.p1, q.p5, q.p25, q.p50, q.p75, q.p95, q.p99, c.max!];
      expect(ordered).toEqual([...ordered].sort((a, b) => a - b));
      const h = c.histogram?.kind === "numeric" ? c.histogram : null;
      expect(h!.counts.reduce((a, b) => a + b, 0)).toBe(c.count);
      expect(h!.edges[0]).toBeLessThanOrEqual(c.min!);
      expect(h!.edges.at(-1)).toBeGreaterThanOrEqual(c.max!);
      expect(c.count + c.missing).toBe(n);
    }
  });

  it("treats short rows as missing cells and rejects long rows", () => {
    const profiler = new DatasetProfiler(["a", "b"]);
    profiler.pushRow(["1"]);
    profiler.pushRow(["2", "3"]);
    expect(() => profiler.pushRow(["1", "2", "3"])).toThrow(RangeError);
    const profile = profiler.finish();
    expect(profile.rowCount).toBe(2);
    expect(profile.columns[1]).toMatchObject({ count: 1, missing: 1 });
    expect(() => profiler.pushRow(["1", "2"])).toThrow();
  });
});
