import { columnData, type ColumnData } from "../ml/column-data";
import { ValueScanner } from "../ml/parse-value";
import { ColumnAccumulator, type RawValue } from "../ml/profile-column";
import { Rng } from "../ml/random";
import { readStoredTable, type StoredTable } from "./read";

// The profiler's limits, so that a column is typed and capped exactly as its profile was.
const LIMITS = { exactValueCap: 2_000_000, distinctStringCap: 10_000 };

/** Accumulators for the named columns of a version, fed by `push(row)`; `finish()` gives their data. */
export function columnCollector(allColumns: string[], names: Iterable<string>) {
  const scanner = new ValueScanner();
  const wanted = [...new Set(names)].map((name) => ({ name, index: allColumns.indexOf(name) })).filter((c) => c.index >= 0);
  const accumulators = wanted.map((c, i) => new ColumnAccumulator(c.name, scanner, new Rng(0x5eed + i), LIMITS));
  return {
    push(row: readonly RawValue[]) {
      for (let i = 0; i < wanted.length; i++) accumulators[i]!.push(row[wanted[i]!.index]);
    },
    finish(): Map<string, ColumnData> {
      return new Map(accumulators.map((a) => [a.name, columnData(a)]));
    },
  };
}

/** One pass over a stored version collecting the full data of the named columns. */
export async function readColumnData(version: StoredTable, names: Iterable<string>, signal?: AbortSignal): Promise<Map<string, ColumnData>> {
  const collector = columnCollector(version.columns, names);
  await readStoredTable(
    version,
    (rows) => {
      for (const row of rows) collector.push(row);
    },
    signal,
  );
  return collector.finish();
}
