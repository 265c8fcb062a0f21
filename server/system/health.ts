import { pool } from "../db";
import { env } from "../env";
import { getBoss } from "../jobs/boss";
import { queueNames } from "../jobs/definitions";
import { listWorkers } from "../fleet/workers";
import type { HealthDto } from "./schemas";

const CHECK_TIMEOUT_MS = 3000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS).unref()),
  ]);
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Database and queue status for GET /api/v1/health; `down` (HTTP 503) when Postgres is unreachable. */
export async function checkHealth(): Promise<HealthDto> {
  const version = env().CAIRN_VERSION ?? "dev";
  const t0 = performance.now();
  const database = await withTimeout(pool().query("SELECT 1"), "Postgres").then(
    () => ({ ok: true, latencyMs: Math.round(performance.now() - t0) }),
    (err: unknown) => ({ ok: false, latencyMs: null, error: message(err) }),
  );
  if (!database.ok) {
    return { status: "down", database, queue: { ok: false, queued: null, active: null, error: "database unavailable" }, workers: null, version };
  }
  const queue = await withTimeout(
    getBoss().then((boss) => boss.getQueues(queueNames())),
    "pg-boss",
  ).then(
    (queues) => ({
      ok: true,
      queued: queues.reduce((n, q) => n + q.queuedCount, 0),
      active: queues.reduce((n, q) => n + q.activeCount, 0),
    }),
    (err: unknown) => ({ ok: false, queued: null, active: null, error: message(err) }),
  );
  const online = (await listWorkers(false)).filter((w) => w.state === "online").length;
  return { status: queue.ok ? "ok" : "degraded", database, queue, workers: { online }, version };
}
