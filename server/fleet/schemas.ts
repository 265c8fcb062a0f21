import { z } from "zod";
import { ZId } from "../lib/ids";

export const ZGpuDto = z.object({ name: z.string(), memoryMiB: z.number().nullable(), driver: z.string().nullable(), uuid: z.string().nullable() });
export type GpuDto = z.infer<typeof ZGpuDto>;

export const WORKER_STATES = ["online", "stale", "offline"] as const;

/**
 * A worker as the caller may see it. Host details (name, pid, CPU model, memory, versions, GPU driver
 * and uuid) are the installation's business: only installation admins, and an organisation for its
 * own pool's workers, get them; everyone else sees a shared worker's capacity (queues, concurrency,
 * cores, GPUs) under a neutral label.
 */
export const ZWorkerDto = z.object({
  id: z.string(),
  hostname: z.string(),
  detailed: z.boolean(),
  pid: z.number().nullable(),
  queues: z.array(z.string()),
  concurrency: z.record(z.string(), z.number()),
  cpuCount: z.number(),
  cpuModel: z.string().nullable(),
  memoryBytes: z.number().nullable(),
  gpus: z.array(ZGpuDto),
  version: z.string().nullable(),
  nodeVersion: z.string().nullable(),
  startedAt: z.date(),
  lastHeartbeatAt: z.date(),
  stoppedAt: z.date().nullable(),
  state: z.enum(WORKER_STATES),
  /** "organisation": started with a worker token of one of the caller's organisations. */
  pool: z.enum(["shared", "organisation"]),
});
export type WorkerDto = z.infer<typeof ZWorkerDto>;

export const ZWorkerListInput = z.object({ includeOffline: z.boolean().default(true) }).default({ includeOffline: true });

export const ZWorkerTokenDto = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.date(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});
export type WorkerTokenDto = z.infer<typeof ZWorkerTokenDto>;
export const ZCreatedWorkerTokenDto = z.object({ token: ZWorkerTokenDto, secret: z.string() });
export const ZCreateWorkerTokenInput = z.object({ orgId: ZId, name: z.string().trim().min(1).max(100) });
export const ZRevokeWorkerTokenInput = z.object({ orgId: ZId, tokenId: ZId });

/** Where an organisation's training commands run, as its members see it. */
export const ZOrgPoolDto = z.object({ sharedCommandsAllowed: z.boolean(), installationAdmin: z.boolean() });
export const ZOrgPoolAdminDto = z.object({ id: z.string(), slug: z.string(), name: z.string(), sharedCommandsAllowed: z.boolean() });
export const ZOrgPoolsDto = z.object({ allByInstallation: z.boolean(), orgs: z.array(ZOrgPoolAdminDto) });
export const ZSetSharedCommandsInput = z.object({ orgId: ZId, allowed: z.boolean() });
