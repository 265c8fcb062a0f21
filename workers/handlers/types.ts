import type { Job } from "pg-boss";

export interface WorkerInfo {
  id: string;
  hostname: string;
  gpus: { name: string }[];
  cpuCount: number;
  version: string;
  orgId?: string | null;
}

/** Runs one job. Must be safe to run twice: a crashed worker's job is delivered again. */
export type Handler = (job: Job<unknown>, worker: WorkerInfo) => Promise<void>;
