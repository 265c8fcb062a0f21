/**
 * Serving health shared across serving processes: each process counts requests, server errors and a
 * latency histogram per deployment version and aligned window in memory, and adds them to
 * "ServingHealthSample" in one statement every CAIRN_SERVE_HEALTH_FLUSH_MS. The rollout job, the
 * health procedure and the charts read the sum over processes (server/deployments/health.ts).
 *
 * What counts: `requests` are primary answers (200) plus server errors (5xx) of the version chosen to
 * answer; caller errors (4xx: bad input, body too big) go to `clientErrors` and count in neither
 * `requests` nor the error rate, since a caller's mistake says nothing about the version. Latency is
 * recorded for answers only (a fast failure must not make a broken version look quick). Shadow
 * scorings are not recorded: they answer no caller (their failures are on /metrics).
 */
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { Pool } from "pg";
import { Gauge, type Registry } from "prom-client";
import { env } from "../env";

/** Width of one health window; samples are aligned to multiples of it since the epoch. */
export const HEALTH_WINDOW_SECONDS = 10;
/** Upper bounds (ms) of the latency buckets; one more bucket past the last holds everything slower. */
export const HEALTH_LATENCY_BOUNDS_MS = [0.5, 1, 2, 3, 5, 7.5, 10, 15, 25, 50, 75, 100, 250, 500, 1000, 2500, 5000, 10_000] as const;
/** Cells kept while the database is unreachable; past it the oldest windows are dropped (and counted). */
const MAX_CELLS = 20_000;

export const windowStartOf = (ms: number) => Math.floor(ms / (HEALTH_WINDOW_SECONDS * 1000)) * HEALTH_WINDOW_SECONDS * 1000;

/** Index of the bucket a latency falls in (≤ bound; the last index is +Inf). */
export function latencyBucket(ms: number): number {
  for (let i = 0; i < HEALTH_LATENCY_BOUNDS_MS.length; i++) if (ms <= HEALTH_LATENCY_BOUNDS_MS[i]!) return i;
  return HEALTH_LATENCY_BOUNDS_MS.length;
}

interface Cell {
  projectId: string;
  deploymentId: string;
  versionId: string;
  windowStart: number;
  requests: number;
  errors: number;
  clientErrors: number;
  latencyCounts: number[];
  latencySumMs: number;
}

export interface HealthTarget {
  projectId: string;
  deploymentId: string;
  versionId: string;
}

export interface HealthRecorderOptions {
  pool: Pool;
  flushMs?: number;
  /** Names this process in the samples; hostname:pid:random by default. */
  processId?: string;
  onError?: (err: unknown) => void;
  now?: () => number;
  /** Samples older than this are deleted after a flush, at most once per PRUNE_EVERY_MS per process. */
  retentionDays?: number;
  /** Exports the recorder's own counts (flushes, failed flushes, dropped and pending cells) on /metrics. */
  registry?: Registry;
}

const PRUNE_EVERY_MS = 3600_000;

export class HealthRecorder {
  readonly processId: string;
  private cells = new Map<string, Cell>();
  private flushing: Promise<void> | null = null;
  private readonly timer: NodeJS.Timeout;
  private readonly now: () => number;
  private readonly onError: (err: unknown) => void;
  private readonly counts = { flushes: 0, failedFlushes: 0, droppedCells: 0 };
  private prunedAt = -Infinity;

  constructor(private readonly opts: HealthRecorderOptions) {
    this.processId = opts.processId ?? `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
    this.now = opts.now ?? Date.now;
    this.onError = opts.onError ?? ((err) => console.error("[serve-health] flush failed:", err instanceof Error ? err.message : err));
    this.timer = setInterval(() => void this.flush(), opts.flushMs ?? env().CAIRN_SERVE_HEALTH_FLUSH_MS);
    this.timer.unref(); // health never keeps a process alive; close() flushes the rest
    if (opts.registry) {
      const stats = () => this.stats();
      new Gauge({
        name: "cairn_serve_health_recorder",
        help: "Serving health samples since start, by outcome (flushes, failed_flushes, dropped_cells, pending_cells)",
        labelNames: ["outcome"],
        registers: [opts.registry],
        collect() {
          const s = stats();
          this.set({ outcome: "flushes" }, s.flushes);
          this.set({ outcome: "failed_flushes" }, s.failedFlushes);
          this.set({ outcome: "dropped_cells" }, s.droppedCells);
          this.set({ outcome: "pending_cells" }, s.pendingCells);
        },
      });
    }
  }

  /** A primary answer of `target` that took `latencyMs`. Never throws. */
  answered(target: HealthTarget, latencyMs: number): void {
    try {
      const c = this.cell(target);
      c.requests++;
      c.latencyCounts[latencyBucket(latencyMs)]!++;
      c.latencySumMs += latencyMs;
    } catch (err) {
      this.onError(err);
    }
  }

  /** A request for `target` that ended with `status` (≥ 400): 5xx is the version's error, 4xx the caller's. Never throws. */
  failed(target: HealthTarget, status: number): void {
    try {
      const c = this.cell(target);
      if (status >= 500) {
        c.requests++;
        c.errors++;
      } else c.clientErrors++;
    } catch (err) {
      this.onError(err);
    }
  }

  stats() {
    return { ...this.counts, pendingCells: this.cells.size };
  }

  /** Adds everything counted so far to the database in one statement; on failure the counts are kept for the next flush. */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => (this.flushing = null));
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flushing;
    await this.flush();
  }

  private cell(t: HealthTarget): Cell {
    const windowStart = windowStartOf(this.now());
    const key = `${t.deploymentId}\0${t.versionId}\0${windowStart}`;
    let c = this.cells.get(key);
    if (!c) {
      c = { projectId: t.projectId, deploymentId: t.deploymentId, versionId: t.versionId, windowStart, requests: 0, errors: 0, clientErrors: 0, latencyCounts: new Array<number>(HEALTH_LATENCY_BOUNDS_MS.length + 1).fill(0), latencySumMs: 0 };
      this.cells.set(key, c);
    }
    return c;
  }

  private async write(): Promise<void> {
    if (this.cells.size === 0) return;
    const batch = this.cells;
    this.cells = new Map();
    try {
      await this.opts.pool.query(
        `INSERT INTO "ServingHealthSample" ("projectId", "deploymentId", "versionId", "processId", "windowStart", requests, errors, "clientErrors", "latencyCounts", "latencySumMs", "updatedAt")
         SELECT x."projectId", x."deploymentId", x."versionId", $2, to_timestamp(x."windowStart" / 1000.0) AT TIME ZONE 'UTC', x.requests, x.errors, x."clientErrors", x."latencyCounts", x."latencySumMs", now() AT TIME ZONE 'UTC'
         FROM jsonb_to_recordset($1::jsonb) AS x("projectId" text, "deploymentId" text, "versionId" text, "windowStart" float8, requests int, errors int, "clientErrors" int, "latencyCounts" int[], "latencySumMs" float8)
         ON CONFLICT ("deploymentId", "versionId", "processId", "windowStart") DO UPDATE SET
           requests = "ServingHealthSample".requests + EXCLUDED.requests,
           errors = "ServingHealthSample".errors + EXCLUDED.errors,
           "clientErrors" = "ServingHealthSample"."clientErrors" + EXCLUDED."clientErrors",
           "latencyCounts" = ARRAY(SELECT a + b FROM unnest("ServingHealthSample"."latencyCounts", EXCLUDED."latencyCounts") AS u(a, b)),
           "latencySumMs" = "ServingHealthSample"."latencySumMs" + EXCLUDED."latencySumMs",
           "updatedAt" = EXCLUDED."updatedAt"`,
        [JSON.stringify([...batch.values()]), this.processId],
      );
      this.counts.flushes++;
      if (this.now() - this.prunedAt >= PRUNE_EVERY_MS) {
        this.prunedAt = this.now();
        const cutoff = this.now() - (this.opts.retentionDays ?? env().CAIRN_SERVE_HEALTH_RETENTION_DAYS) * 86_400_000;
        await this.opts.pool.query(`DELETE FROM "ServingHealthSample" WHERE "windowStart" < to_timestamp($1 / 1000.0) AT TIME ZONE 'UTC'`, [cutoff]).catch(this.onError);
      }
    } catch (err) {
      this.counts.failedFlushes++;
      this.onError(err);
      this.restore(batch);
    }
  }

  /** Puts unwritten counts back under what was counted meanwhile, oldest windows dropped past MAX_CELLS. */
  private restore(batch: Map<string, Cell>): void {
    for (const [key, old] of batch) {
      const c = this.cells.get(key);
      if (!c) {
        this.cells.set(key, old);
        continue;
      }
      c.requests += old.requests;
      c.errors += old.errors;
      c.clientErrors += old.clientErrors;
      c.latencySumMs += old.latencySumMs;
      old.latencyCounts.forEach((n, i) => (c.latencyCounts[i]! += n));
    }
    if (this.cells.size > MAX_CELLS) {
      const byAge = [...this.cells.entries()].sort((a, b) => a[1].windowStart - b[1].windowStart);
      for (const [key] of byAge.slice(0, this.cells.size - MAX_CELLS)) this.cells.delete(key);
      this.counts.droppedCells += byAge.length - MAX_CELLS;
    }
  }
}
