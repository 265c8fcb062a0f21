/**
 * A column's full data as the compare job and the contract check see it: the same accumulator the
 * profiler uses decides the type and parses the values, so both agree with the profile by construction.
 */
import type { ColumnType } from "./profile";
import { BOOLEAN, DATE, NUMBER, STRING, stringColumnType, type ColumnAccumulator } from "./profile-column";
import { sortFloat64 } from "./sort";

export type ColumnData =
  | {
      kind: "numeric";
      type: ColumnType;
      /** Non-missing values, ascending, ±∞ included. */
      values: Float64Array;
      missing: number;
      /** True beyond the exact-value cap, where `values` is a uniform sample. */
      sampled: boolean;
      /** Factor from the sample's counts to the column's (1 when exact). */
      scale: number;
    }
  | {
      kind: "categorical";
      type: ColumnType;
      counts: Map<string, number>;
      missing: number;
      /** Distinct non-missing values (an estimate when `approx`). */
      distinct: number;
      /** True when the column had more distinct strings than are counted exactly. */
      approx: boolean;
    };

/** Sorted values (±∞ included) of a numeric or date accumulator and the factor from sample to column counts. */
export function numericColumnValues(c: ColumnAccumulator, alreadySorted = false): { values: Float64Array; scale: number } {
  const stored = c.storedValues();
  if (!alreadySorted) sortFloat64(stored);
  const neg = c.negativeInfinities;
  const pos = c.positiveInfinities;
  let values = stored;
  if (neg + pos > 0) {
    values = new Float64Array(stored.length + neg + pos);
    values.fill(-Infinity, 0, neg);
    values.set(stored, neg);
    values.fill(Infinity, neg + stored.length);
  }
  // Beyond the cap the stored values are a uniform reservoir over every finite value seen.
  const scale = c.overflow > 0 ? (stored.length + c.overflow) / stored.length : 1;
  return { values, scale };
}

/** The column's data once every row was pushed into `c`. */
export function columnData(c: ColumnAccumulator): ColumnData {
  if (c.mode === STRING) {
    const strings = c.strings!;
    const counts = new Map(strings.top(Number.MAX_SAFE_INTEGER).map((t) => [t.value, t.count] as const));
    let count = 0;
    for (const v of counts.values()) count += v;
    return { kind: "categorical", type: stringColumnType(strings.distinct, count, strings.overflowed), counts, missing: c.missing, distinct: strings.distinct, approx: strings.overflowed };
  }
  if (c.mode === BOOLEAN) {
    const counts = new Map<string, number>();
    if (c.trues > 0) counts.set("true", c.trues);
    if (c.falses > 0) counts.set("false", c.falses);
    return { kind: "categorical", type: "boolean", counts, missing: c.missing, distinct: counts.size, approx: false };
  }
  const { values, scale } = numericColumnValues(c);
  const type: ColumnType = c.mode === DATE ? "datetime" : c.mode === NUMBER && c.integral ? "integer" : "numeric";
  return { kind: "numeric", type, values, missing: c.missing, sampled: scale !== 1, scale };
}
