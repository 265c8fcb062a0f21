import type { PoolClient } from "pg";
import { pool } from "../db";
import { AppError, notFound } from "../errors";
import { copyInBinary, encodeCopyBinary, type CopyColumnType } from "../lib/pg-copy-binary";
import type { MetricPointInput } from "./schemas";

/** Rollup bucket widths, as powers of two of steps: 64 to 16384 steps per bucket, a factor of 4 apart. */
export const ROLLUP_LEVELS = [6, 8, 10, 12, 14] as const;
const ROLLUP_WIDTHS = ROLLUP_LEVELS.map((l) => 2 ** l);

const POINT_TYPES: CopyColumnType[] = ["int4", "int8", "float8", "timestamp"];

const seriesCache = new Map<string, number>();
const SERIES_CACHE_MAX = 100_000;

interface SeriesAgg {
  count: number;
  min: number | null;
  max: number | null;
  lastStep: number;
  lastValue: number;
  lastTs: number;
}

interface RollupAgg {
  seriesId: number;
  level: number;
  bucket: number;
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
}

/** Whether (step, ts) comes after (s2, t2): a later step, or the same step logged at the same time or later. */
const later = (step: number, ts: number, s2: number, t2: number) => step > s2 || (step === s2 && ts >= t2);

/**
 * Series ids for the batch's keys. Ids first seen in this transaction go into `fresh` and reach the
 * shared cache only after commit: before that, other transactions could not see those rows.
 */
async function seriesIds(client: PoolClient, runId: string, keys: string[], fresh: Map<string, number>): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const missing: string[] = [];
  for (const k of keys) {
    const id = seriesCache.get(`${runId}\u0000${k}`);
    if (id === undefined) missing.push(k);
    else out.set(k, id);
  }
  if (missing.length) {
    await client.query(`INSERT INTO "MetricSeries" ("runId", key) SELECT $1, unnest($2::text[]) ON CONFLICT ("runId", key) DO NOTHING`, [runId, missing]);
    const { rows } = await client.query<{ id: number; key: string }>(`SELECT id, key FROM "MetricSeries" WHERE "runId" = $1 AND key = ANY($2::text[])`, [runId, missing]);
    for (const r of rows) {
      out.set(r.key, r.id);
      fresh.set(`${runId}\u0000${r.key}`, r.id);
    }
  }
  return out;
}

/**
 * Stores a batch of metric points in one transaction: the points (one binary COPY), the per-series summaries and the step rollups. With a batch id, a retried batch is
 * recognised and stored once. Steps may arrive in any order; NaN and ±Infinity are kept.
 */
export async function logMetrics(args: Parameters<typeof logMetricsOnce>[0]): Promise<{ stored: number; duplicate: boolean }> {
  try {
    return await logMetricsOnce(args);
  } catch (err) {
    // A cached series id whose row was deleted (a retried training attempt resets its metrics).
    if ((err as { code?: string }).code !== "23503") throw err;
    for (const key of seriesCache.keys()) if (key.startsWith(`${args.runId}\u0000`)) seriesCache.delete(key);
    return logMetricsOnce(args);
  }
}

async function logMetricsOnce(args: {
  projectId: string;
  runId: string;
  batchId?: string;
  points: MetricPointInput[];
  /** Fencing for trainers: refuse the batch when the run has moved on to another attempt. */
  attempt?: number;
}): Promise<{ stored: number; duplicate: boolean }> {
  const client = await pool().connect();
  try {
    await client.query("BEGIN");
    const run = await client.query<{ status: string; attempt: number }>(`SELECT status, attempt FROM "Run" WHERE id = $1 AND "projectId" = $2 FOR SHARE`, [args.runId, args.projectId]);
    if (run.rowCount === 0) throw notFound("Run");
    if (run.rows[0]!.status === "KILLED") throw new AppError("PRECONDITION_FAILED", "The run was killed; it takes no more metrics");
    if (args.attempt !== undefined && run.rows[0]!.attempt !== args.attempt) throw new AppError("PRECONDITION_FAILED", `Attempt ${args.attempt} of this run was superseded by attempt ${run.rows[0]!.attempt}`);
    if (args.batchId) {
      const fresh = await client.query(`INSERT INTO "MetricBatch" ("runId", "batchId", points) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [args.runId, args.batchId, args.points.length]);
      if (fresh.rowCount === 0) {
        await client.query("ROLLBACK");
        return { stored: 0, duplicate: true };
      }
    }
    const now = Date.now();
    const keys = [...new Set(args.points.map((p) => p.key))];
    const fresh = new Map<string, number>();
    const ids = await seriesIds(client, args.runId, keys, fresh);
    const n = args.points.length;
    const sid = new Array<number>(n);
    const steps = new Array<number>(n);
    const values = new Array<number>(n);
    const tss = new Array<number>(n);
    const series = new Map<number, SeriesAgg>();
    // Per series and level, the buckets by number and the bucket last touched: points mostly come in
    // step order, so the lookup is usually skipped.
    const buckets = new Map<number, { byNumber: Map<number, RollupAgg>[]; last: (RollupAgg | undefined)[] }>();
    const rollups: RollupAgg[] = [];
    for (let i = 0; i < n; i++) {
      const p = args.points[i]!;
      const id = ids.get(p.key)!;
      const ts = p.timestamp ?? now;
      const step = p.step;
      const value = p.value;
      sid[i] = id;
      steps[i] = step;
      values[i] = value;
      tss[i] = ts;
      const finite = !Number.isNaN(value);
      let s = series.get(id);
      if (!s) series.set(id, (s = { count: 0, min: null, max: null, lastStep: step, lastValue: value, lastTs: ts }));
      s.count++;
      if (finite && (s.min === null || value < s.min)) s.min = value;
      if (finite && (s.max === null || value > s.max)) s.max = value;
      if (later(step, ts, s.lastStep, s.lastTs)) {
        s.lastStep = step;
        s.lastValue = value;
        s.lastTs = ts;
      }
      let b = buckets.get(id);
      if (!b) buckets.set(id, (b = { byNumber: ROLLUP_LEVELS.map(() => new Map()), last: [] }));
      for (let l = 0; l < ROLLUP_LEVELS.length; l++) {
        const bucket = Math.floor(step / ROLLUP_WIDTHS[l]!);
        let r = b.last[l];
        if (r === undefined || r.bucket !== bucket) {
          r = b.byNumber[l]!.get(bucket);
          if (!r) {
            r = { seriesId: id, level: ROLLUP_LEVELS[l]!, bucket, count: 0, minValue: null, minStep: null, maxValue: null, maxStep: null, firstStep: step, firstValue: value, firstTs: ts, lastStep: step, lastValue: value, lastTs: ts };
            b.byNumber[l]!.set(bucket, r);
            rollups.push(r);
          }
          b.last[l] = r;
        }
        r.count++;
        if (finite && (r.minValue === null || value < r.minValue)) {
          r.minValue = value;
          r.minStep = step;
        }
        if (finite && (r.maxValue === null || value > r.maxValue)) {
          r.maxValue = value;
          r.maxStep = step;
        }
        if (!later(step, ts, r.firstStep, r.firstTs)) {
          r.firstStep = step;
          r.firstValue = value;
          r.firstTs = ts;
        }
        if (later(step, ts, r.lastStep, r.lastTs)) {
          r.lastStep = step;
          r.lastValue = value;
          r.lastTs = ts;
        }
      }
    }
    // Binary COPY: no SQL text or array literals to build and parse for tens of thousands of values.
    await copyInBinary(client, `"MetricPoint"`, [`"seriesId"`, "step", "value", "ts"], encodeCopyBinary(POINT_TYPES, [sid, steps, values, tss], n));
    await updateSummaries(client, series);
    await upsertRollups(client, rollups.sort((a, b) => a.seriesId - b.seriesId || a.level - b.level || a.bucket - b.bucket));
    await client.query(`UPDATE "Run" SET status = 'RUNNING', "startedAt" = COALESCE("startedAt", now()) WHERE id = $1 AND status = 'QUEUED'`, [args.runId]);
    await client.query("COMMIT");
    if (seriesCache.size > SERIES_CACHE_MAX) seriesCache.clear();
    for (const [k, id] of fresh) seriesCache.set(k, id);
    return { stored: n, duplicate: false };
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

async function updateSummaries(client: PoolClient, series: Map<number, SeriesAgg>) {
  // A fixed lock order keeps concurrent batches of one run from deadlocking on the same series rows.
  const rows = [...series.entries()].sort((a, b) => a[0] - b[0]);
  const col = <T>(f: (a: SeriesAgg) => T) => rows.map(([, a]) => f(a));
  await client.query(
    `UPDATE "MetricSeries" m SET
       count = m.count + u.c,
       "minValue" = CASE WHEN u.mn IS NULL THEN m."minValue" WHEN m."minValue" IS NULL THEN u.mn ELSE LEAST(m."minValue", u.mn) END,
       "maxValue" = CASE WHEN u.mx IS NULL THEN m."maxValue" WHEN m."maxValue" IS NULL THEN u.mx ELSE GREATEST(m."maxValue", u.mx) END,
       "lastStep" = CASE WHEN m."lastStep" IS NULL OR u.ls > m."lastStep" OR (u.ls = m."lastStep" AND u.lt >= m."lastTs") THEN u.ls ELSE m."lastStep" END,
       "lastValue" = CASE WHEN m."lastStep" IS NULL OR u.ls > m."lastStep" OR (u.ls = m."lastStep" AND u.lt >= m."lastTs") THEN u.lv ELSE m."lastValue" END,
       "lastTs" = CASE WHEN m."lastStep" IS NULL OR u.ls > m."lastStep" OR (u.ls = m."lastStep" AND u.lt >= m."lastTs") THEN u.lt ELSE m."lastTs" END
     FROM (SELECT id, c, mn, mx, ls, lv, to_timestamp(lt / 1000.0) AT TIME ZONE 'UTC' AS lt
           FROM unnest($1::int[], $2::int[], $3::float8[], $4::float8[], $5::int8[], $6::float8[], $7::float8[]) AS x(id, c, mn, mx, ls, lv, lt)) u
     WHERE m.id = u.id`,
    [rows.map(([id]) => id), col((a) => a.count), col((a) => a.min), col((a) => a.max), col((a) => a.lastStep), col((a) => a.lastValue), col((a) => a.lastTs)],
  );
}

async function upsertRollups(client: PoolClient, rollups: RollupAgg[]) {
  const col = <T>(f: (r: RollupAgg) => T) => rollups.map(f);
  await client.query(
    `INSERT INTO "MetricRollup" ("seriesId", level, bucket, count, "minValue", "minStep", "maxValue", "maxStep", "firstStep", "firstValue", "firstTs", "lastStep", "lastValue", "lastTs")
     SELECT s, l, b, c, mn, mns, mx, mxs, fs, fv, to_timestamp(ft / 1000.0) AT TIME ZONE 'UTC', ls, lv, to_timestamp(lt / 1000.0) AT TIME ZONE 'UTC'
     FROM unnest($1::int[], $2::int[], $3::int8[], $4::int[], $5::float8[], $6::int8[], $7::float8[], $8::int8[], $9::int8[], $10::float8[], $11::float8[], $12::int8[], $13::float8[], $14::float8[])
       AS u(s, l, b, c, mn, mns, mx, mxs, fs, fv, ft, ls, lv, lt)
     ON CONFLICT ("seriesId", level, bucket) DO UPDATE SET
       count = "MetricRollup".count + EXCLUDED.count,
       "minStep" = CASE WHEN EXCLUDED."minValue" IS NOT NULL AND ("MetricRollup"."minValue" IS NULL OR EXCLUDED."minValue" < "MetricRollup"."minValue") THEN EXCLUDED."minStep" ELSE "MetricRollup"."minStep" END,
       "minValue" = CASE WHEN EXCLUDED."minValue" IS NOT NULL AND ("MetricRollup"."minValue" IS NULL OR EXCLUDED."minValue" < "MetricRollup"."minValue") THEN EXCLUDED."minValue" ELSE "MetricRollup"."minValue" END,
       "maxStep" = CASE WHEN EXCLUDED."maxValue" IS NOT NULL AND ("MetricRollup"."maxValue" IS NULL OR EXCLUDED."maxValue" > "MetricRollup"."maxValue") THEN EXCLUDED."maxStep" ELSE "MetricRollup"."maxStep" END,
       "maxValue" = CASE WHEN EXCLUDED."maxValue" IS NOT NULL AND ("MetricRollup"."maxValue" IS NULL OR EXCLUDED."maxValue" > "MetricRollup"."maxValue") THEN EXCLUDED."maxValue" ELSE "MetricRollup"."maxValue" END,
       "firstStep" = CASE WHEN EXCLUDED."firstStep" < "MetricRollup"."firstStep" THEN EXCLUDED."firstStep" ELSE "MetricRollup"."firstStep" END,
       "firstValue" = CASE WHEN EXCLUDED."firstStep" < "MetricRollup"."firstStep" THEN EXCLUDED."firstValue" ELSE "MetricRollup"."firstValue" END,
       "firstTs" = CASE WHEN EXCLUDED."firstStep" < "MetricRollup"."firstStep" THEN EXCLUDED."firstTs" ELSE "MetricRollup"."firstTs" END,
       "lastStep" = CASE WHEN EXCLUDED."lastStep" >= "MetricRollup"."lastStep" THEN EXCLUDED."lastStep" ELSE "MetricRollup"."lastStep" END,
       "lastValue" = CASE WHEN EXCLUDED."lastStep" >= "MetricRollup"."lastStep" THEN EXCLUDED."lastValue" ELSE "MetricRollup"."lastValue" END,
       "lastTs" = CASE WHEN EXCLUDED."lastStep" >= "MetricRollup"."lastStep" THEN EXCLUDED."lastTs" ELSE "MetricRollup"."lastTs" END`,
    [
      col((r) => r.seriesId), col((r) => r.level), col((r) => r.bucket), col((r) => r.count),
      col((r) => r.minValue), col((r) => r.minStep), col((r) => r.maxValue), col((r) => r.maxStep),
      col((r) => r.firstStep), col((r) => r.firstValue), col((r) => r.firstTs),
      col((r) => r.lastStep), col((r) => r.lastValue), col((r) => r.lastTs),
    ],
  );
}
