import { pool } from "../db";
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

/** A rollup bucket as Postgres serialises it (one JSON array per bucket): NaN and ±Infinity come as strings. */
type RollupTuple = [count: number, minValue: number | string | null, minStep: number | null, maxValue: number | string | null, maxStep: number | null, firstStep: number, firstValue: number | string, firstTs: number, lastStep: number, lastValue: number | string, lastTs: number];

const EPOCH_MS = (col: string) => `(extract(epoch from ${col}) * 1000)::float8`;
const num = (v: number | string) => (typeof v === "number" ? v : Number(v));
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

function toBucket([count, minValue, minStep, maxValue, maxStep, firstStep, firstValue, firstTs, lastStep, lastValue, lastTs]: RollupTuple): BucketSummary {
  // Rollups keep the extremes' steps, not their times; the nearer end's time stands in for them.
  const at = (step: number) => (step - firstStep <= lastStep - step ? firstTs : lastTs);
  return {
    count,
    first: { step: firstStep, value: num(firstValue), ts: firstTs },
    last: { step: lastStep, value: num(lastValue), ts: lastTs },
    min: minValue === null || minStep === null ? null : { step: minStep, value: num(minValue), ts: at(minStep) },
    max: maxValue === null || maxStep === null ? null : { step: maxStep, value: num(maxValue), ts: at(maxStep) },
  };
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
    else byLevel.set(level, [...(byLevel.get(level) ?? []), s]);
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
        // One JSON document per series: JSON.parse is far cheaper than pg decoding tens of thousands of rows.
        const { rows } = await pool().query<{ seriesId: number; buckets: string }>(
          `SELECT "seriesId", json_agg(json_build_array(count, "minValue", "minStep"::float8, "maxValue", "maxStep"::float8,
                    "firstStep"::float8, "firstValue", ${EPOCH_MS(`"firstTs"`)}, "lastStep"::float8, "lastValue", ${EPOCH_MS(`"lastTs"`)}) ORDER BY bucket)::text AS buckets
           FROM "MetricRollup" WHERE "seriesId" = ANY($1::int[]) AND level = $2 AND bucket BETWEEN $3 AND $4 GROUP BY "seriesId"`,
          [chunk.map((ref) => ref.id), level, ...bucketRange],
        );
        const byId = new Map(rows.map((r) => [r.seriesId, r.buckets]));
        for (const ref of chunk) {
          const json = byId.get(ref.id);
          if (json) remember(cacheKey(ref), (JSON.parse(json) as RollupTuple[]).map(toBucket));
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
    const { rows } = await pool().query<{ seriesId: number; points: string }>(
      `SELECT "seriesId", json_agg(json_build_array(step::float8, value, ${EPOCH_MS("ts")}) ORDER BY step, seq)::text AS points
       FROM "MetricPoint" WHERE "seriesId" = ANY($1::int[]) AND step BETWEEN $2 AND $3 GROUP BY "seriesId"`,
      [raw.map((s) => s.id), lo, hi],
    );
    const points = new Map<number, SeriesPoint[]>(
      rows.map((r) => [r.seriesId, (JSON.parse(r.points) as [number, number | string, number][]).map(([step, value, ts]) => ({ step, value: num(value), ts }))]),
    );
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
