/**
 * One column's single-pass accumulator for the dataset profiler. The column's type is decided by the
 * values themselves: it starts undecided, settles on boolean, number or date with the first
 * non-missing value, and falls back to strings at the first value that does not fit. Numbers and
 * dates are kept in a growable Float64Array (epoch ms for dates) so that quantiles and histograms are
 * exact; only string columns use a map.
 */
import { HyperLogLog } from "./hyperloglog";
import { INTEGER_TEXT, NOT_A_NUMBER, REAL_TEXT, isMissingString, type ValueScanner } from "./parse-value";
import { Reservoir, type Rng } from "./random";
import { RunningMoments, meanVariance } from "./stats";
import { StringCounter } from "./string-counter";

export type RawValue = string | number | boolean | null | undefined | Date;

/** What a column holds so far; it only ever moves from UNDECIDED to one type, or from a type to STRING. */
export const UNDECIDED = 0;
export const BOOLEAN = 1;
export const NUMBER = 2;
export const DATE = 3;
export const STRING = 4;

export interface ColumnLimits {
  exactValueCap: number;
  distinctStringCap: number;
}

const INITIAL_CAPACITY = 1024;

// A string column is categorical while it has at most max(20, 5% of its values) and at most 1000
// distinct values; beyond that its values are identifiers or free text.
const CATEGORICAL_MIN_DISTINCT = 20;
const CATEGORICAL_SHARE = 0.05;
const CATEGORICAL_MAX_DISTINCT = 1000;

/** Type of a string column with `distinct` values among `count` non-missing ones. */
export function stringColumnType(distinct: number, count: number, overflowed: boolean): "categorical" | "text" {
  return !overflowed && distinct <= Math.max(CATEGORICAL_MIN_DISTINCT, CATEGORICAL_SHARE * count) && distinct <= CATEGORICAL_MAX_DISTINCT ? "categorical" : "text";
}


/** Single-pass state of one column; DatasetProfiler turns it into a ColumnProfile. */
export class ColumnAccumulator {
  mode = UNDECIDED;
  missing = 0;
  /** False once a number that is not an integer (or an infinity) was seen. */
  integral = true;
  trues = 0;
  falses = 0;
  positiveInfinities = 0;
  negativeInfinities = 0;
  // Exact values in chunks of doubling size: nothing is copied while the column grows, and the
  // engine sees few large allocations (each of which can trigger a garbage collection).
  values: Float64Array = new Float64Array(0);
  /** Values held in the current chunk `values`. */
  stored = 0;
  private chunks: Float64Array[] = [];
  private storedBefore = 0;
  /** Finite values that arrived after `values` filled up; they went through the reservoir. */
  overflow = 0;
  overflowMin = Infinity;
  overflowMax = -Infinity;
  moments: RunningMoments | null = null;
  reservoir: Reservoir | null = null;
  numberSketch: HyperLogLog | null = null;
  strings: StringCounter | null = null;

  constructor(
    readonly name: string,
    private readonly scanner: ValueScanner,
    readonly rng: Rng,
    private readonly limits: ColumnLimits,
  ) {}

  push(v: RawValue): void {
    if (typeof v === "string") {
      // The hot path, numeric text in a numeric column, stays in this small function so it inlines.
      if (this.mode === NUMBER) {
        const scanner = this.scanner;
        const kind = scanner.number(v);
        if (kind !== NOT_A_NUMBER) {
          if (kind === REAL_TEXT) this.integral = false;
          this.addNumber(scanner.value);
          return;
        }
      }
      this.pushString(v);
    } else this.pushTyped(v);
  }

  private pushTyped(v: Exclude<RawValue, string>): void {
    if (typeof v === "number") {
      if (v !== v) this.missing++;
      else this.pushNumber(v, Number.isSafeInteger(v));
    } else if (v === null || v === undefined) this.missing++;
    else if (typeof v === "boolean") this.pushBoolean(v);
    else {
      const t = v.getTime();
      if (t !== t) this.missing++;
      else this.pushDate(t);
    }
  }

  private pushString(s: string): void {
    const scanner = this.scanner;
    switch (this.mode) {
      case NUMBER: {
        const kind = scanner.number(s);
        if (kind === INTEGER_TEXT) this.addNumber(scanner.value);
        else if (kind === REAL_TEXT) {
          this.integral = false;
          this.addNumber(scanner.value);
        } else if (isMissingString(s)) this.missing++;
        else this.toStrings().add(s);
        return;
      }
      case STRING:
        if (isMissingString(s)) this.missing++;
        else this.strings!.add(s);
        return;
      case BOOLEAN: {
        const b = scanner.boolean(s);
        if (b === 1) this.trues++;
        else if (b === 0) this.falses++;
        else if (isMissingString(s)) this.missing++;
        else this.toStrings().add(s);
        return;
      }
      case DATE:
        if (scanner.date(s)) this.addNumber(scanner.value);
        else if (isMissingString(s)) this.missing++;
        else this.toStrings().add(s);
        return;
      default:
        this.pushFirstString(s);
    }
  }

  private pushFirstString(s: string): void {
    const scanner = this.scanner;
    const kind = scanner.number(s);
    if (kind !== NOT_A_NUMBER) {
      this.mode = NUMBER;
      this.pushString(s);
    } else if (isMissingString(s)) this.missing++;
    else if (scanner.boolean(s) >= 0) {
      this.mode = BOOLEAN;
      this.pushString(s);
    } else if (scanner.date(s)) {
      this.mode = DATE;
      this.addNumber(scanner.value);
    } else {
      this.mode = STRING;
      this.strings = new StringCounter(this.limits.distinctStringCap);
      this.strings.add(s);
    }
  }

  private pushNumber(x: number, integer: boolean): void {
    if (this.mode === UNDECIDED) this.mode = NUMBER;
    if (this.mode === NUMBER) {
      if (!integer) this.integral = false;
      this.addNumber(x);
    } else this.toStrings().add(String(x));
  }

  private pushBoolean(b: boolean): void {
    if (this.mode === UNDECIDED) this.mode = BOOLEAN;
    if (this.mode !== BOOLEAN) this.toStrings().add(b ? "true" : "false");
    else if (b) this.trues++;
    else this.falses++;
  }

  private pushDate(ms: number): void {
    if (this.mode === UNDECIDED) this.mode = DATE;
    if (this.mode === DATE) this.addNumber(ms);
    else this.toStrings().add(new Date(ms).toISOString());
  }

  private addNumber(x: number): void {
    const n = this.stored;
    if (n < this.values.length && x - x === 0) {
      this.values[n] = x;
      this.stored = n + 1;
    } else this.addNumberSlowly(x);
  }

  private addNumberSlowly(x: number): void {
    if (x === Infinity || x === -Infinity) {
      this.integral = false;
      if (x > 0) this.positiveInfinities++;
      else this.negativeInfinities++;
      return;
    }
    const cap = this.limits.exactValueCap;
    const total = this.storedBefore + this.stored;
    if (total < cap) {
      if (this.values.length > 0) {
        this.chunks.push(this.values);
        this.storedBefore = total;
      }
      this.values = new Float64Array(Math.min(cap - total, Math.max(INITIAL_CAPACITY, this.values.length * 2)));
      this.values[0] = x;
      this.stored = 1;
      return;
    }
    if (this.reservoir === null) this.startSampling();
    this.overflow++;
    if (x < this.overflowMin) this.overflowMin = x;
    if (x > this.overflowMax) this.overflowMax = x;
    this.moments!.push(x);
    this.numberSketch!.addNumber(x);
    this.reservoir!.offer(x);
  }

  /** All exact values (or the reservoir) as one array; chunks are merged on the first call. */
  storedValues(): Float64Array {
    if (this.chunks.length > 0) {
      const all = new Float64Array(this.storedBefore + this.stored);
      let offset = 0;
      for (const chunk of this.chunks) {
        all.set(chunk, offset);
        offset += chunk.length;
      }
      all.set(this.values.subarray(0, this.stored), offset);
      this.chunks = [];
      this.storedBefore = 0;
      this.values = all;
      this.stored = all.length;
    }
    return this.values.subarray(0, this.stored);
  }

  // The exact buffer is full: from here on moments stream, distinct values go to a sketch and the
  // buffer becomes a uniform reservoir over every value seen.
  private startSampling(): void {
    const values = this.storedValues();
    const n = values.length;
    const exact = meanVariance(values, n);
    this.moments = RunningMoments.from(exact.count, exact.mean, exact.variance);
    this.numberSketch = new HyperLogLog();
    for (let i = 0; i < n; i++) {
      const x = values[i]!;
      this.numberSketch.addNumber(x);
      if (x < this.overflowMin) this.overflowMin = x;
      if (x > this.overflowMax) this.overflowMax = x;
    }
    this.reservoir = new Reservoir(n, this.rng, this.values, n);
  }

  // A value that does not fit the column's type turns it into a string column. Values seen so far
  // are re-keyed by their canonical text (String(number), "true"/"false", ISO dates), so "1" and "1.0"
  // count as one category; after the exact buffer overflowed only the reservoir's values are recounted.
  private toStrings(): StringCounter {
    const strings = new StringCounter(this.limits.distinctStringCap);
    if (this.mode === BOOLEAN) {
      strings.addCount("true", this.trues);
      strings.addCount("false", this.falses);
    } else if (this.mode === NUMBER || this.mode === DATE) {
      const values = this.storedValues();
      for (let i = 0; i < values.length; i++) {
        const x = values[i]!;
        strings.add(this.mode === NUMBER ? String(x) : new Date(x).toISOString());
      }
      strings.addCount(String(Infinity), this.positiveInfinities);
      strings.addCount(String(-Infinity), this.negativeInfinities);
    }
    this.mode = STRING;
    this.strings = strings;
    this.values = new Float64Array(0);
    this.stored = 0;
    this.overflow = 0;
    this.reservoir = null;
    this.moments = null;
    this.numberSketch = null;
    this.integral = false;
    return strings;
  }
}
