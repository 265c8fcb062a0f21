import { pool } from "../db";
import { copyOutBinary, decodeCopyBinary, sqlInt, type CopyColumnType } from "../lib/pg-copy-binary";
import { downsample, downsampleSummaries, type BucketSummary, type SeriesPoint } from "../ml/downsample";
import { ROLLUP_LEVELS } from "./ingest";

export interface SeriesRef {
  id: number;
  runId: string;
  key: string;
  count: number;
  lastStep: number | null;
}

export interface LoadedSeries {
  runId: string;
  key: string;
  points: SeriesPoint[];
  total: number;
  sampled: boolean;
}

const SERIES_PER_QUERY = 40;

/**
 * Decoded rollups by series, level, point count and range. A series only grows, so a key that
 * still matches (same count and last step) is still right; finished runs are read once.
 */
const rollupCache = new Map<string, BucketSummary[]>();
const ROLLUP_CACHE_ENTRIES = 2000;

function remember(key: string, buckets: BucketSummary[]) {
  if (rollupCache.size >= ROLLUP_CACHE_ENTRIES) rollupCache.delete(rollupCache.keys().next().value!);
  rollupCache.set(key, buckets);
}

/** The coarsest rollup level that still gives each output point its own bucket (about 4 points per bucket). */
function levelFor(span: number, target: number): number | undefined {
  return [...ROLLUP_LEVELS].reverse().find((l) => span / 2 ** l >= target / 4);
}

/** Rollup columns as read by binary COPY, in this order. */
const ROLLUP_COLUMNS = `"seriesId", count, "minValue", "minStep", "maxValue", "maxStep", "firstStep", "firstValue", "firstTs", "lastStep", "lastValue", "lastTs"`;
const ROLLUP_TYPES: CopyColumnType[] = ["int4", "int4", "float8", "int8", "float8", "int8", "int8", "float8", "timestamp", "int8", "float8", "timestamp"];

function toBucket(v: Float64Array, isNull: Uint8Array): BucketSummary {
  const [firstStep, firstTs, lastStep, lastTs] = [v[6]!, v[8]!, v[9]!, v[11]!];
  // Rollups keep the extremes' steps, not their times; the nearer end's time stands in for them.
  const at = (step: number) => (step - firstStep <= lastStep - step ? firstTs : lastTs);
  return {
    count: v[1]!,
    first: { step: firstStep, value: v[7]!, ts: firstTs },
    last: { step: lastStep, value: v[10]!, ts: lastTs },
    min: isNull[2] || isNull[3] ? null : { step: v[3]!, value: v[2]!, ts: at(v[3]!) },
    max: isNull[4] || isNull[5] ? null : { step: v[5]!, value: v[4]!, ts: at(v[5]!) },
  };
}

/** A WHERE condition on series ids, spliced as checked integers (COPY takes no parameters). */
const seriesIdIn = (ids: number[]) => `"seriesId" = ANY('{${ids.map(sqlInt).join(",")}}'::int[])`;

/** Raw points of some series within a step range, in step order (then arrival order), by series id. */
async function readPoints(seriesIds: number[], [lo, hi]: [number, number]): Promise<Map<number, SeriesPoint[]>> {
  const buf = await copyOutBinary(
    pool(),
    `SELECT "seriesId", step, value, ts FROM "MetricPoint"
     WHERE ${seriesIdIn(seriesIds)} AND step BETWEEN ${sqlInt(lo)} AND ${sqlInt(hi)}
     ORDER BY "seriesId", step, seq`,
  );
  return groupRows(buf, ["int4", "int8", "float8", "timestamp"], (v) => ({ step: v[1]!, value: v[2]!, ts: v[3]! }));
}

/** Decoded rows grouped by their first column (a series id), in the order they came. */
function groupRows<T>(buf: Buffer, types: CopyColumnType[], toItem: (values: Float64Array, isNull: Uint8Array) => T): Map<number, T[]> {
  const bySeries = new Map<number, T[]>();
  let list: T[] = [];
  let current = NaN;
  decodeCopyBinary(buf, types, (values, isNull) => {
    if (values[0] !== current) {
      current = values[0]!;
      list = bySeries.get(current) ?? [];
      bySeries.set(current, list);
    }
    list.push(toItem(values, isNull));
  });
  return bySeries;
}

/** Rollup buckets of some series at one level, in bucket order, by series id. */
async function readRollups(seriesIds: number[], level: number, [fromBucket, toBucketNumber]: [number, number]): Promise<Map<number, BucketSummary[]>> {
  const buf = await copyOutBinary(
    pool(),
    `SELECT ${ROLLUP_COLUMNS} FROM "MetricRollup"
     WHERE ${seriesIdIn(seriesIds)} AND level = ${sqlInt(level)} AND bucket BETWEEN ${sqlInt(fromBucket)} AND ${sqlInt(toBucketNumber)}
     ORDER BY "seriesId", bucket`,
  );
  return groupRows(buf, ROLLUP_TYPES, toBucket);
}

/**
 * Points of many series for charts of about `target` points each, in a few queries: short series
 * come raw, long ones from the rollup level whose buckets are just fine enough, so 150 series of
 * 100,000 steps cost tens of thousands of rows, not fifteen million. First, last, minimum and
 * maximum of each series are always among its points.
 */
export async function readSeriesMany(refs: SeriesRef[], target: number, stepRange?: [number, number]): Promise<LoadedSeries[]> {
  const [lo, hi] = stepRange ?? [0, Number.MAX_SAFE_INTEGER];
  const raw: SeriesRef[] = [];
  const byLevel = new Map<number, SeriesRef[]>();
  for (const s of refs) {
    const span = Math.min(hi, s.lastStep ?? 0) - lo;
    const level = s.count > target * 2 ? levelFor(span, target) : undefined;
    if (level === undefined) raw.push(s);
    else if (byLevel.has(level)) byLevel.get(level)!.push(s);
    else byLevel.set(level, [s]);
  }
  const out = new Map<number, LoadedSeries>();
  for (const [level, group] of byLevel) {
    const bucketRange: [number, number] = [Math.floor(lo / 2 ** level), Math.floor(Math.min(hi, Number.MAX_SAFE_INTEGER) / 2 ** level)];
    const cacheKey = (ref: SeriesRef) => `${ref.id}:${level}:${ref.count}:${ref.lastStep}:${bucketRange.join("-")}`;
    const missing = group.filter((ref) => !rollupCache.has(cacheKey(ref)));
    // A few series per query, run concurrently: Postgres spreads them over its processes.
    const chunks: SeriesRef[][] = [];
    for (let i = 0; i < missing.length; i += SERIES_PER_QUERY) chunks.push(missing.slice(i, i + SERIES_PER_QUERY));
    await Promise.all(
      chunks.map(async (chunk) => {
        const read = await readRollups(chunk.map((ref) => ref.id), level, bucketRange);
        for (const ref of chunk) {
          const buckets = read.get(ref.id);
          if (buckets) remember(cacheKey(ref), buckets);
        }
      }),
    );
    for (const ref of group) {
      const list = rollupCache.get(cacheKey(ref));
      // Points logged before this rollup level existed have no rollups: read them raw instead.
      if (!list) raw.push(ref);
      else out.set(ref.id, { runId: ref.runId, key: ref.key, points: downsampleSummaries(list, target), total: ref.count, sampled: true });
    }
  }
  if (raw.length) {
    const points = await readPoints(raw.map((s) => s.id), [lo, hi]);
    for (const s of raw) {
      const all = points.get(s.id) ?? [];
      out.set(s.id, { runId: s.runId, key: s.key, points: downsample(all, target), total: all.length, sampled: all.length > target });
    }
  }
  return refs.map((s) => out.get(s.id)!);
}

/** Series of the given runs (optionally only some keys), with what readSeriesMany needs. */
export async function seriesOf(runIds: string[], keys?: string[]): Promise<SeriesRef[]> {
  const { rows } = await pool().query<{ id: number; runId: string; key: string; count: number; lastStep: string | null }>(
    `SELECT id, "runId", key, count, "lastStep" FROM "MetricSeries" WHERE "runId" = ANY($1::text[]) ${keys?.length ? "AND key = ANY($2::text[])" : ""} ORDER BY key`,
    keys?.length ? [runIds, keys] : [runIds],
  );
  return rows.map((r) => ({ ...r, lastStep: r.lastStep === null ? null : Number(r.lastStep) }));
}

/** Empties the rollup cache (benchmarks measure cold reads with it). */
export function clearSeriesCache(): void {
  rollupCache.clear();
}
