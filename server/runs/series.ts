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
    // One JSON document per series: JSON.parse is far cheaper than pg decoding tens of thousands of rows.
    const { rows } = await pool().query<{ seriesId: number; buckets: string }>(
      `SELECT "seriesId", json_agg(json_build_array(count, "minValue", "minStep"::float8, "maxValue", "maxStep"::float8,
                "firstStep"::float8, "firstValue", ${EPOCH_MS(`"firstTs"`)}, "lastStep"::float8, "lastValue", ${EPOCH_MS(`"lastTs"`)}) ORDER BY bucket)::text AS buckets
       FROM "MetricRollup" WHERE "seriesId" = ANY($1::int[]) AND level = $2 AND bucket BETWEEN $3 AND $4 GROUP BY "seriesId"`,
      [group.map((s) => s.id), level, Math.floor(lo / 2 ** level), Math.floor(Math.min(hi, Number.MAX_SAFE_INTEGER) / 2 ** level)],
    );
    const buckets = new Map<number, BucketSummary[]>(rows.map((r) => [r.seriesId, (JSON.parse(r.buckets) as RollupTuple[]).map(toBucket)]));
    for (const s of group) {
      const list = buckets.get(s.id);
      // Points logged before this rollup level existed have no rollups: read them raw instead.
      if (!list) raw.push(s);
      else out.set(s.id, { runId: s.runId, key: s.key, points: downsampleSummaries(list, target), total: s.count, sampled: true });
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
