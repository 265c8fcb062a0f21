import { z } from "zod";
import type { QueueOptions, QueuePolicy } from "pg-boss";

/** Hosts a queue needs: `gpu` queues are served only by workers that detect a GPU. */
export type ResourceClass = "cpu" | "gpu";

export interface JobDefinition<P extends z.ZodType> {
  /** Versioned queue name; a payload change that old workers cannot read gets a new version. */
  name: string;
  payload: P;
  resource: ResourceClass;
  options: QueueOptions & { heartbeatSeconds?: number; policy?: QueuePolicy };
  /** A five-field cron expression (UTC): pg-boss sends the job on this schedule (workers register it, see boss.ts). */
  cron?: string;
}

function defineJob<P extends z.ZodType>(def: JobDefinition<P>): JobDefinition<P> {
  return def;
}

/** Proves the queue end to end; `holdMs` keeps the job active (used to test crash recovery). */
export const systemPing = defineJob({
  name: "system.ping.v1",
  payload: z.object({ pingId: z.string().min(1), holdMs: z.number().int().min(0).max(600_000).default(0) }),
  resource: "cpu",
  // A worker that dies mid-job stops heartbeating; after heartbeatSeconds the job is retried elsewhere.
  options: { retryLimit: 3, retryDelay: 1, expireInSeconds: 15 * 60, heartbeatSeconds: 10, deleteAfterSeconds: 24 * 3600 },
});

/** Fans a domain event out to its consumers (server/events). */
export const outboxDispatch = defineJob({
  name: "outbox.dispatch.v1",
  payload: z.object({ eventId: z.string().regex(/^\d+$/) }),
  resource: "cpu",
  // Backoff capped at 30 s: a consumer that failed on a passing cause (a lock, a busy database) must
  // not leave the event's other consumers (a gate request, a pipeline trigger) waiting for minutes.
  options: { retryLimit: 10, retryDelay: 5, retryBackoff: true, retryDelayMax: 30, expireInSeconds: 300, deleteAfterSeconds: 7 * 24 * 3600 },
});

/** Schema, row count, per-column profile and split counts of a dataset version. */
export const datasetProfile = defineJob({
  name: "dataset.profile.v1",
  payload: z.object({ versionId: z.string().min(1) }),
  resource: "cpu",
  options: { retryLimit: 3, retryDelay: 10, expireInSeconds: 2 * 3600, heartbeatSeconds: 30, deleteAfterSeconds: 7 * 24 * 3600 },
});

/** Checks a dataset version against its dataset's contract. */
export const datasetValidate = defineJob({
  name: "dataset.validate.v1",
  payload: z.object({ versionId: z.string().min(1) }),
  resource: "cpu",
  options: { retryLimit: 3, retryDelay: 10, expireInSeconds: 2 * 3600, heartbeatSeconds: 30, deleteAfterSeconds: 7 * 24 * 3600 },
});

/** Full-data drift between two dataset versions, cached in CompareResult. */
export const datasetCompare = defineJob({
  name: "dataset.compare.v1",
  payload: z.object({ compareId: z.string().min(1) }),
  resource: "cpu",
  options: { retryLimit: 2, retryDelay: 10, expireInSeconds: 2 * 3600, heartbeatSeconds: 30, deleteAfterSeconds: 7 * 24 * 3600 },
});

const ZTrainPayload = z.object({ runId: z.string().min(1) });
// A dead worker's training job is retried once: training is restarted from scratch on another host.
const trainOptions = { retryLimit: 1, retryDelay: 5, expireInSeconds: 24 * 3600, heartbeatSeconds: 20, deleteAfterSeconds: 7 * 24 * 3600 };

/** Trains a model for a run on a CPU host (built-in trainer or the project's command). */
export const train = defineJob({ name: "train.v1", payload: ZTrainPayload, resource: "cpu", options: trainOptions });

/** The same on a host with a GPU: served only by workers that detect one. */
export const trainGpu = defineJob({ name: "train.gpu.v1", payload: ZTrainPayload, resource: "gpu", options: trainOptions });

const ORG_TRAIN_QUEUE = /^train\.org\.[a-z0-9]+(\.gpu)?\.v1$/;

/**
 * An organisation's own worker pool for training commands: created on first use and served only by
 * workers started with that organisation's worker token (server/fleet/pools.ts).
 */
export function orgTrainQueue(orgId: string, resource: ResourceClass): string {
  const name = `train.org.${orgId}${resource === "gpu" ? ".gpu" : ""}.v1`;
  if (!ORG_TRAIN_QUEUE.test(name)) throw new Error(`Not a usable organisation id for a queue name: ${orgId}`);
  return name;
}
export const isOrgTrainQueue = (name: string) => ORG_TRAIN_QUEUE.test(name);
/**
 * How many of one organisation's runs the shared train queues run at once, across all workers
 * (CAIRN_ORG_TRAIN_CONCURRENCY, default 2); pg-boss enforces it by the jobs' group.
 */
export function orgTrainConcurrency(): number {
  const n = Number(process.env.CAIRN_ORG_TRAIN_CONCURRENCY ?? 2);
  if (!Number.isInteger(n) || n < 1) throw new Error("CAIRN_ORG_TRAIN_CONCURRENCY must be a whole number of at least 1");
  return n;
}


/** Scores a dataset version's split with a run's ONNX model and stores the evaluation report. */
export const evaluate = defineJob({
  name: "evaluate.v1",
  payload: z.object({ reportId: z.string().min(1) }),
  resource: "cpu",
  options: { retryLimit: 2, retryDelay: 10, expireInSeconds: 4 * 3600, heartbeatSeconds: 20, deleteAfterSeconds: 7 * 24 * 3600 },
});

/** Checks a model version against its model's gate policy revision and writes the gate report. */
export const gateEvaluate = defineJob({
  name: "gate.evaluate.v1",
  payload: z.object({ reportId: z.string().min(1) }),
  resource: "cpu",
  options: { retryLimit: 2, retryDelay: 10, expireInSeconds: 2 * 3600, heartbeatSeconds: 30, deleteAfterSeconds: 7 * 24 * 3600 },
});

/**
 * One check of a canary step (server/deployments/rollout.ts): roll back, move to the next step, promote,
 * or record the check and look again later. The payload names the state it was scheduled against; a
 * job whose deployment has moved on since (or is paused) changes nothing.
 */
export const rolloutStep = defineJob({
  name: "rollout.step.v1",
  payload: z.object({
    deploymentId: z.string().min(1),
    generation: z.number().int().min(1),
    step: z.number().int().min(0),
    /** `lastCheck.at` of the rollout state when scheduled (null: none yet in this step). */
    lastCheckAt: z.string().nullable(),
  }),
  resource: "cpu",
  options: { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 300, deleteAfterSeconds: 7 * 24 * 3600 },
});

/** Scores a dataset version with a model version into a new derived dataset version (BatchScoring row). */
export const batchScore = defineJob({
  name: "batch.score.v1",
  payload: z.object({ jobId: z.string().min(1) }),
  resource: "cpu",
  options: { retryLimit: 2, retryDelay: 10, expireInSeconds: 4 * 3600, heartbeatSeconds: 30, deleteAfterSeconds: 7 * 24 * 3600 },
});

/**
 * Moves a pipeline run on (server/pipelines/steps/advance.ts): settles its running steps, starts the
 * steps whose needs are done, finishes the run. Idempotent; the "singleton" policy never runs two
 * advances of one run (singletonKey = run id) at once, while always accepting a new one to queue.
 */
export const pipelineAdvance = defineJob({
  name: "pipeline.advance.v1",
  payload: z.object({ runId: z.string().min(1) }),
  resource: "cpu",
  options: { policy: "singleton", retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 15 * 60, deleteAfterSeconds: 7 * 24 * 3600 },
});

/**
 * A delayed look at a pipeline run (a step's deadline, or the safety net behind the events a step
 * waits for). "short" keeps one waiting per key, so re-arming the same check adds nothing.
 */
export const pipelineRecheck = defineJob({
  name: "pipeline.recheck.v1",
  payload: z.object({ runId: z.string().min(1) }),
  resource: "cpu",
  options: { policy: "short", retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 15 * 60, deleteAfterSeconds: 7 * 24 * 3600 },
});

/**
 * Starts the runs of pipelines whose cron trigger is due (server/pipelines/triggers/cron-tick.ts).
 * Sent every minute by pg-boss's scheduler; "stately" keeps at most one tick waiting and one running,
 * so ticks never pile up behind a slow one or while no worker serves the queue.
 */
export const pipelineCronTick = defineJob({
  name: "pipeline.cron-tick.v1",
  payload: z.object({}),
  resource: "cpu",
  cron: "* * * * *",
  options: { policy: "stately", retryLimit: 2, retryDelay: 5, expireInSeconds: 300, deleteAfterSeconds: 3600 },
});

/** Sends one alert notice (server/alerts/deliver.ts); retried with backoff for about an hour while the receiver fails. */
export const alertDeliver = defineJob({
  name: "alert.deliver.v1",
  payload: z.object({ deliveryId: z.string().min(1) }),
  resource: "cpu",
  // Waits of about 2, 4, 8 … s, at most 10 min each: a receiver down for up to ~1 h still gets the notice.
  options: { retryLimit: 12, retryDelay: 2, retryBackoff: true, retryDelayMax: 600, expireInSeconds: 120, deleteAfterSeconds: 7 * 24 * 3600 },
});

/**
 * Computes one monitor's reports (data drift, concept drift, serving) for the window ending at `windowEnd`
 * (server/monitoring/drift-job.ts). A redelivered job finds its reports written (unique per window) and writes none again.
 * `datasetVersionId`: the version a dataset-window monitor judges (absent: the dataset's latest).
 */
export const driftCompute = defineJob({
  name: "drift.v1",
  payload: z.object({ monitorId: z.string().min(1), windowEnd: z.iso.datetime(), partial: z.boolean().default(false), datasetVersionId: z.string().min(1).optional() }),
  resource: "cpu",
  options: { retryLimit: 3, retryDelay: 10, retryBackoff: true, expireInSeconds: 30 * 60, heartbeatSeconds: 30, deleteAfterSeconds: 7 * 24 * 3600 },
});

/** Queues drift.v1 for every enabled monitor whose schedule is due; sent every minute, "stately" like the pipeline cron tick. */
export const driftTick = defineJob({
  name: "drift.tick.v1",
  payload: z.object({}),
  resource: "cpu",
  cron: "* * * * *",
  options: { policy: "stately", retryLimit: 2, retryDelay: 5, expireInSeconds: 300, deleteAfterSeconds: 3600 },
});

export type JobPayload<D> = D extends JobDefinition<infer P> ? z.input<P> : never;

/** Every job kind, for workers to subscribe and for queue creation. */
export const JOBS = [systemPing, outboxDispatch, datasetProfile, datasetValidate, datasetCompare, train, trainGpu, evaluate, gateEvaluate, rolloutStep, batchScore, pipelineAdvance, pipelineRecheck, pipelineCronTick, alertDeliver, driftCompute, driftTick] as const;

/** A queue by its full name or its short one (`train` for `train.v1`), as typed in `--queues`. */
export function findJob(name: string) {
  return JOBS.find((j) => j.name === name || j.name.replace(/\.v\d+$/, "") === name);
}
export type AnyJob = (typeof JOBS)[number];

export const queueNames = () => JOBS.map((j) => j.name);
