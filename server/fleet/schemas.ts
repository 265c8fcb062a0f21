import { z } from "zod";

export const ZGpuDto = z.object({ name: z.string(), memoryMiB: z.number().nullable(), driver: z.string().nullable(), uuid: z.string().nullable() });
export type GpuDto = z.infer<typeof ZGpuDto>;

export const WORKER_STATES = ["online", "stale", "offline"] as const;

export const ZWorkerDto = z.object({
  id: z.string(),
  hostname: z.string(),
  pid: z.number(),
  queues: z.array(z.string()),
  concurrency: z.record(z.string(), z.number()),
  cpuCount: z.number(),
  cpuModel: z.string(),
  memoryBytes: z.number(),
  gpus: z.array(ZGpuDto),
  version: z.string(),
  nodeVersion: z.string(),
  startedAt: z.date(),
  lastHeartbeatAt: z.date(),
  stoppedAt: z.date().nullable(),
  state: z.enum(WORKER_STATES),
});
export type WorkerDto = z.infer<typeof ZWorkerDto>;

export const ZWorkerListInput = z.object({ includeOffline: z.boolean().default(true) }).default({ includeOffline: true });
