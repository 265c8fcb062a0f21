/**
 * Cairn worker: `npm run start:worker -- [--queues a,b] [--concurrency queue=n,...]`.
 * Runs on any host that reaches Postgres; GPU queues only where a GPU is detected.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { closeDb } from "../server/db";
import { ensureTrainQueue, getBoss, stopBoss } from "../server/jobs/boss";
import { findJob, isOrgTrainQueue, JOBS, orgTrainConcurrency, orgTrainQueue, train, trainGpu } from "../server/jobs/definitions";
import { resolveWorkerToken } from "../server/fleet/pools";
import { HEARTBEAT_MS, heartbeatWorker, markWorkerStopped, registerWorker } from "../server/fleet/workers";
import { HANDLERS } from "./handlers";
import { exitWithSupervisor } from "../server/lib/supervisor";
import { cairnVersion, detectGpus, hostFacts } from "./host-info";

const { values } = parseArgs({
  options: {
    queues: { type: "string", default: process.env.CAIRN_WORKER_QUEUES },
    concurrency: { type: "string", default: process.env.CAIRN_WORKER_CONCURRENCY },
    "shutdown-timeout": { type: "string", default: process.env.CAIRN_WORKER_SHUTDOWN_SECONDS ?? "30" },
  },
});

const log = (...args: unknown[]) => console.log(`[worker ${new Date().toISOString()}]`, ...args);

function parseConcurrency(spec: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of (spec ?? "").split(",").filter(Boolean)) {
    const [name, n] = part.split("=");
    const count = Number(n);
    if (!name || !Number.isInteger(count) || count < 1) throw new Error(`--concurrency expects queue=n pairs, got "${part}"`);
    out[findJob(name.trim())?.name ?? name.trim()] = count;
  }
  return out;
}

/** A worker started with an organisation's worker token serves that organisation's own pool only. */
async function orgPool(gpuCount: number): Promise<{ orgId: string; queues: string[] } | null> {
  const secret = process.env.CAIRN_WORKER_TOKEN;
  if (!secret) return null;
  if (values.queues) throw new Error("A worker started with CAIRN_WORKER_TOKEN serves its organisation's pool only; leave out --queues / CAIRN_WORKER_QUEUES");
  const token = await resolveWorkerToken(secret);
  if (!token) throw new Error("CAIRN_WORKER_TOKEN is unknown or revoked; create a worker token on the organisation's Workers page");
  const queues = [orgTrainQueue(token.orgId, "cpu"), ...(gpuCount > 0 ? [orgTrainQueue(token.orgId, "gpu")] : [])];
  for (const q of queues) await ensureTrainQueue(q);
  return { orgId: token.orgId, queues };
}

async function main() {
  const facts = hostFacts();
  const gpus = await detectGpus();
  const perOrgCap = orgTrainConcurrency();
  const pool = await orgPool(gpus.length);
  const requested = values.queues?.split(",").map((q) => q.trim()).filter(Boolean);
  const resolved: string[] = [];
  for (const q of requested ?? []) {
    const job = findJob(q);
    if (!job) throw new Error(`Unknown queue "${q}". Known queues: ${JOBS.map((j) => j.name.replace(/\.v\d+$/, "")).join(", ")}`);
    if (job.resource === "gpu" && gpus.length === 0) throw new Error(`Queue "${q}" needs a GPU, and nvidia-smi found none on this host`);
    resolved.push(job.name);
  }
  const queues = pool ? pool.queues : requested ? resolved : JOBS.filter((j) => j.resource === "cpu" || gpus.length > 0).map((j) => j.name);
  const concurrency = parseConcurrency(values.concurrency);
  for (const q of Object.keys(concurrency)) if (!queues.includes(q)) throw new Error(`--concurrency names "${q}", which this worker does not serve`);

  const id = `${facts.hostname}-${process.pid}-${randomBytes(3).toString("hex")}`;
  const info = { id, hostname: facts.hostname, gpus, cpuCount: facts.cpuCount, version: cairnVersion(), orgId: pool?.orgId ?? null };
  const boss = await getBoss({ supervise: true });
  await registerWorker({
    id,
    pid: process.pid,
    queues,
    concurrency: Object.fromEntries(queues.map((q) => [q, concurrency[q] ?? 1])),
    gpus,
    version: cairnVersion(),
    orgId: pool?.orgId ?? null,
    ...facts,
  });

  for (const name of queues) {
    const handler = HANDLERS[isOrgTrainQueue(name) ? train.name : name];
    if (!handler) throw new Error(`No handler for queue ${name}`);
    // NOTIFY wakes workers for new jobs only; a retry (say, of a crashed worker's job) or a delayed job
    // becomes due silently, and pg-boss's default backstop poll under NOTIFY is 30 s.
    const polling = { pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 2 };
    // Jobs of the shared train queues carry their organisation as pg-boss group: a cap per organisation.
    const perOrg = name === train.name || name === trainGpu.name ? { groupConcurrency: perOrgCap } : {};
    await boss.work(name, { localConcurrency: concurrency[name] ?? 1, batchSize: 1, ...polling, ...perOrg }, async ([job]) => {
      if (!job) return;
      log(`${name} ${job.id} started (attempt ${job.retryCount + 1})`);
      try {
        await handler(job, info);
        log(`${name} ${job.id} completed`);
      } catch (err) {
        log(`${name} ${job.id} failed: ${err instanceof Error ? err.message : String(err)}`);
        throw err;
      }
    });
  }

  const beat = setInterval(() => {
    heartbeatWorker(id).catch((err: unknown) => log("heartbeat failed:", err instanceof Error ? err.message : err));
    // A revoked worker token stops the worker: the organisation no longer wants this host in its pool.
    if (pool) void resolveWorkerToken(process.env.CAIRN_WORKER_TOKEN ?? "").then((t) => t === null && void shutdown("worker token revoked"), () => undefined);
  }, HEARTBEAT_MS);
  log(`ready: ${id} serving ${queues.join(", ")}${gpus.length ? ` with ${gpus.length} GPU(s)` : ""}${pool ? " (organisation pool)" : ""}`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: finishing active jobs (up to ${values["shutdown-timeout"]} s), then stopping`);
    clearInterval(beat);
    // Jobs not finished by the timeout stay active and are retried by another worker once heartbeats stop.
    await stopBoss({ graceful: true, timeoutMs: Number(values["shutdown-timeout"]) * 1000 }).catch((err: unknown) => log("stop failed:", err));
    await markWorkerStopped(id).catch(() => undefined);
    await closeDb();
    log("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  exitWithSupervisor(() => void shutdown("supervisor gone"));
}

main().catch((err: unknown) => {
  console.error(`[worker] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
