import { z } from "zod";
import type { QueueOptions } from "pg-boss";

/** Hosts a queue needs: `gpu` queues are served only by workers that detect a GPU. */
export type ResourceClass = "cpu" | "gpu";

export interface JobDefinition<P extends z.ZodType> {
  /** Versioned queue name; a payload change that old workers cannot read gets a new version. */
  name: string;
  payload: P;
  resource: ResourceClass;
  options: QueueOptions & { heartbeatSeconds?: number };
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
  options: { retryLimit: 10, retryDelay: 5, retryBackoff: true, expireInSeconds: 300, deleteAfterSeconds: 7 * 24 * 3600 },
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

export type JobPayload<D> = D extends JobDefinition<infer P> ? z.input<P> : never;

/** Every job kind, for workers to subscribe and for queue creation. */
export const JOBS = [systemPing, outboxDispatch, datasetProfile, datasetValidate] as const;
export type AnyJob = (typeof JOBS)[number];

export const queueNames = () => JOBS.map((j) => j.name);
