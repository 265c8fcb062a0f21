import { PgBoss, fromPrisma } from "pg-boss";
import { env } from "../env";
import type { Tx } from "../db";
import { JOBS, train, type JobDefinition, type JobPayload } from "./definitions";
import type { z } from "zod";

interface BossGlobals {
  boss?: Promise<PgBoss>;
}
const globals = globalThis as typeof globalThis & { __cairnBoss?: BossGlobals };
const state: BossGlobals = (globals.__cairnBoss ??= {});

export interface BossOptions {
  /** Workers supervise (retry jobs whose heartbeats stopped); the web process only sends. */
  supervise: boolean;
}

/** Starts pg-boss once per process and makes sure every queue exists. */
export function getBoss(options: BossOptions = { supervise: false }): Promise<PgBoss> {
  state.boss ??= (async () => {
    const seconds = env().CAIRN_QUEUE_SUPERVISE_SECONDS;
    const boss = new PgBoss({
      connectionString: env().DATABASE_URL,
      max: 5,
      supervise: options.supervise,
      schedule: options.supervise,
      superviseIntervalSeconds: seconds,
      monitorIntervalSeconds: seconds,
      useListenNotify: true,
    });
    boss.on("error", (err: Error) => console.error("[pg-boss]", err.message));
    await boss.start();
    const existing = new Set((await boss.getQueues()).map((q) => q.name));
    for (const job of JOBS) {
      if (!existing.has(job.name)) await boss.createQueue(job.name, { ...job.options, notify: true }).catch(ignoreExists);
      else {
        // A queue made by an older release keeps its options unless told: retries, backoff and expiry
        // follow definitions.ts on every start (a queue's policy cannot change, and is left alone).
        const { policy: _policy, ...options } = job.options;
        await boss.updateQueue(job.name, { ...options, notify: true });
      }
    }
    // Schedules live in pg-boss's tables and any supervising process sends their jobs; registering again is an upsert.
    if (options.supervise) for (const job of JOBS) if (job.cron) await boss.schedule(job.name, job.cron, {}, { tz: "UTC" });
    return boss;
  })().catch((err: unknown) => {
    state.boss = undefined;
    throw err;
  });
  return state.boss;
}

const ensured = new Set<string>();

/** Creates an organisation pool's train queue (same options as the shared one) unless it exists. */
export async function ensureTrainQueue(name: string): Promise<void> {
  if (ensured.has(name)) return;
  const boss = await getBoss();
  if (!(await boss.getQueue(name))) await boss.createQueue(name, { ...train.options, notify: true }).catch(ignoreExists);
  ensured.add(name);
}

function ignoreExists(err: unknown) {
  if (!(err instanceof Error && /already exists|duplicate key/i.test(err.message))) throw err;
}

export async function stopBoss(options: { graceful: boolean; timeoutMs?: number } = { graceful: true }): Promise<void> {
  const pending = state.boss;
  state.boss = undefined;
  if (!pending) return;
  const boss = await pending.catch(() => null);
  await boss?.stop({ graceful: options.graceful, timeout: options.timeoutMs ?? 30_000 });
}

interface EnqueueOptions {
  tx?: Tx;
  singletonKey?: string;
  startAfter?: number;
  /** Another queue for the same job kind (an organisation's pool, see orgTrainQueue). */
  queue?: string;
  /** pg-boss group (the organisation) and priority (higher first), for fair sharing of a queue. */
  group?: string;
  priority?: number;
}

/**
 * Validates the payload and enqueues the job; with `tx`, the job is written in that Prisma
 * transaction, so it exists exactly when the rows that describe it do.
 */
export async function enqueue<D extends JobDefinition<z.ZodType>>(job: D, payload: JobPayload<D>, opts: EnqueueOptions = {}): Promise<string> {
  const id = await enqueueUnlessQueued(job, payload, opts);
  if (!id) throw new Error(`Job ${opts.queue ?? job.name} was not enqueued (throttled or duplicate key)`);
  return id;
}

/**
 * enqueue for queues whose policy keeps one waiting job per singletonKey ("short"): null when an
 * equal job already waits, which is what the caller wanted (a check re-armed), not an error.
 */
export async function enqueueUnlessQueued<D extends JobDefinition<z.ZodType>>(job: D, payload: JobPayload<D>, opts: EnqueueOptions = {}): Promise<string | null> {
  const data = job.payload.parse(payload) as object;
  const boss = await getBoss();
  const queue = opts.queue ?? job.name;
  return boss.send(queue, data, {
    ...(opts.tx ? { db: fromPrisma(opts.tx) } : {}),
    ...(opts.group ? { group: { id: opts.group } } : {}),
    ...(opts.priority !== undefined ? { priority: opts.priority } : {}),
    ...(opts.singletonKey ? { singletonKey: opts.singletonKey } : {}),
    ...(opts.startAfter ? { startAfter: opts.startAfter } : {}),
  });
}
