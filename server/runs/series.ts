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

/** Steps and times arrive as float8 (epoch ms): plain JS numbers, no string or Date parsing per row. */
type RollupRow = {
  seriesId: number;
  count: number;
  minValue: number | null;
  minStep: number | null;
  maxValue: number | null;
  maxStep: number | null;
  firstStep: number;
  firstValue: number;
  firstTs: number;
  lastStep: number;
  lastValue: number;
  lastTs: number;
};

const EPOCH_MS = (col: string) => `(extract(epoch from ${col}) * 1000)::float8`;

/** The coarsest rollup level that still gives each output point its own bucket (about 4 points per bucket). */
function levelFor(span: number, target: number): number | undefined {
  return [...ROLLUP_LEVELS].reverse().find((l) => span / 2 ** l >= target / 4);
}

function toBucket(r: RollupRow): BucketSummary {
  // Rollups keep the extremes' steps, not their times; the nearer end's time stands in for them.
  const at = (step: number) => (step - r.firstStep <= r.lastStep - step ? r.firstTs : r.lastTs);
  return {
    count: r.count,
    first: { step: r.firstStep, value: r.firstValue, ts: r.firstTs },
    last: { step: r.lastStep, value: r.lastValue, ts: r.lastTs },
    min: r.minValue === null || r.minStep === null ? null : { step: r.minStep, value: r.minValue, ts: at(r.minStep) },
    max: r.maxValue === null || r.maxStep === null ? null : { step: r.maxStep, value: r.maxValue, ts: at(r.maxStep) },
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
    const { rows } = await pool().query<RollupRow>(
      `SELECT "seriesId", count, "minValue", "minStep"::float8 AS "minStep", "maxValue", "maxStep"::float8 AS "maxStep",
              "firstStep"::float8 AS "firstStep", "firstValue", ${EPOCH_MS(`"firstTs"`)} AS "firstTs",
              "lastStep"::float8 AS "lastStep", "lastValue", ${EPOCH_MS(`"lastTs"`)} AS "lastTs"
       FROM "MetricRollup" WHERE "seriesId" = ANY($1::int[]) AND level = $2 AND bucket BETWEEN $3 AND $4 ORDER BY "seriesId", bucket`,
      [group.map((s) => s.id), level, Math.floor(lo / 2 ** level), Math.floor(Math.min(hi, Number.MAX_SAFE_INTEGER) / 2 ** level)],
    );
    const buckets = new Map<number, BucketSummary[]>();
    for (const r of rows) {
      let list = buckets.get(r.seriesId);
      if (!list) buckets.set(r.seriesId, (list = []));
      list.push(toBucket(r));
    }
    for (const s of group) {
      const list = buckets.get(s.id);
      // Points logged before this rollup level existed have no rollups: read them raw instead.
      if (!list) raw.push(s);
      else out.set(s.id, { runId: s.runId, key: s.key, points: downsampleSummaries(list, target), total: s.count, sampled: true });
    }
  }
  if (raw.length) {
    const { rows } = await pool().query<{ seriesId: number; step: number; value: number; ts: number }>(
      `SELECT "seriesId", step::float8 AS step, value, ${EPOCH_MS("ts")} AS ts FROM "MetricPoint" WHERE "seriesId" = ANY($1::int[]) AND step BETWEEN $2 AND $3 ORDER BY "seriesId", step, seq`,
      [raw.map((s) => s.id), lo, hi],
    );
    const points = new Map<number, SeriesPoint[]>();
    for (const r of rows) {
      let list = points.get(r.seriesId);
      if (!list) points.set(r.seriesId, (list = []));
      list.push({ step: r.step, value: r.value, ts: r.ts });
    }
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
