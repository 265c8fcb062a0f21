import { pool } from "../db";
import { downsample, downsampleSummaries, type BucketSummary, type SeriesPoint } from "../ml/downsample";
import { ROLLUP_LEVELS } from "./ingest";

const ms = (d: Date) => d.getTime();

/**
 * Points of one series for a chart of about `target` points. Short series come raw; long ones
 * from the rollup level whose buckets are just fine enough, so a 100,000-step series costs a few
 * thousand rows. First, last, minimum and maximum are always among the points.
 */
export async function readSeries(seriesId: number, target: number, stepRange?: [number, number]): Promise<{ points: SeriesPoint[]; total: number; sampled: boolean }> {
  const [lo, hi] = stepRange ?? [0, Number.MAX_SAFE_INTEGER];
  const { rows: bounds } = await pool().query<{ lo: string | null; hi: string | null; n: number }>(
    `SELECT (SELECT step FROM "MetricPoint" WHERE "seriesId" = $1 AND step >= $2 ORDER BY step LIMIT 1) AS lo,
            (SELECT step FROM "MetricPoint" WHERE "seriesId" = $1 AND step <= $3 ORDER BY step DESC LIMIT 1) AS hi,
            (SELECT count FROM "MetricSeries" WHERE id = $1) AS n`,
    [seriesId, lo, hi],
  );
  const b = bounds[0];
  if (!b || b.lo === null || b.hi === null) return { points: [], total: 0, sampled: false };
  const first = Number(b.lo);
  const last = Number(b.hi);
  const span = last - first;
  const level = [...ROLLUP_LEVELS].reverse().find((l) => span / 2 ** l >= target / 2);
  if (b.n <= target * 2 || level === undefined) {
    const { rows } = await pool().query<{ step: string; value: number; ts: Date }>(
      `SELECT step, value, ts FROM "MetricPoint" WHERE "seriesId" = $1 AND step BETWEEN $2 AND $3 ORDER BY step, seq`,
      [seriesId, first, last],
    );
    const points = rows.map((r) => ({ step: Number(r.step), value: r.value, ts: ms(r.ts) }));
    return { points: downsample(points, target), total: points.length, sampled: points.length > target };
  }
  const { rows } = await pool().query<{
    count: number; minValue: number | null; minStep: string | null; maxValue: number | null; maxStep: string | null;
    firstStep: string; firstValue: number; firstTs: Date; lastStep: string; lastValue: number; lastTs: Date;
  }>(
    `SELECT count, "minValue", "minStep", "maxValue", "maxStep", "firstStep", "firstValue", "firstTs", "lastStep", "lastValue", "lastTs"
     FROM "MetricRollup" WHERE "seriesId" = $1 AND level = $2 AND bucket BETWEEN $3 AND $4 ORDER BY bucket`,
    [seriesId, level, Math.floor(first / 2 ** level), Math.floor(last / 2 ** level)],
  );
  // Rollups keep the extremes' steps, not their times; the nearer end's time stands in for them.
  const at = (step: number, r: (typeof rows)[number]) => (step - Number(r.firstStep) <= Number(r.lastStep) - step ? ms(r.firstTs) : ms(r.lastTs));
  const buckets: BucketSummary[] = rows.map((r) => ({
    count: r.count,
    first: { step: Number(r.firstStep), value: r.firstValue, ts: ms(r.firstTs) },
    last: { step: Number(r.lastStep), value: r.lastValue, ts: ms(r.lastTs) },
    min: r.minValue === null || r.minStep === null ? null : { step: Number(r.minStep), value: r.minValue, ts: at(Number(r.minStep), r) },
    max: r.maxValue === null || r.maxStep === null ? null : { step: Number(r.maxStep), value: r.maxValue, ts: at(Number(r.maxStep), r) },
  }));
  return { points: downsampleSummaries(buckets, target), total: b.n, sampled: true };
}

/** Series ids of the given runs, optionally only some keys. */
export async function seriesOf(runIds: string[], keys?: string[]) {
  const { rows } = await pool().query<{ id: number; runId: string; key: string }>(
    `SELECT id, "runId", key FROM "MetricSeries" WHERE "runId" = ANY($1::text[]) ${keys?.length ? "AND key = ANY($2::text[])" : ""} ORDER BY key`,
    keys?.length ? [runIds, keys] : [runIds],
  );
  return rows;
}
