import { createHash } from "node:crypto";
import { db } from "../db";
import { ZGpuDto, type GpuDto, type WorkerDto } from "./schemas";
import { z } from "zod";

/** Workers heartbeat every HEARTBEAT_MS; a host is stale after two missed beats and offline after five minutes. */
export const HEARTBEAT_MS = 10_000;
export const STALE_AFTER_MS = 3 * HEARTBEAT_MS;
export const OFFLINE_AFTER_MS = 5 * 60_000;
// Hosts silent for a week are no longer listed.
const FORGET_AFTER_MS = 7 * 24 * 3600_000;

export interface WorkerRegistration {
  id: string;
  hostname: string;
  pid: number;
  queues: string[];
  concurrency: Record<string, number>;
  cpuCount: number;
  cpuModel: string;
  memoryBytes: number;
  gpus: GpuDto[];
  version: string;
  nodeVersion: string;
  /** The organisation whose own pool this worker serves; null or absent for the installation's shared pool. */
  orgId?: string | null;
}

export function workerState(w: { lastHeartbeatAt: Date; stoppedAt: Date | null }, now = Date.now()): WorkerDto["state"] {
  if (w.stoppedAt) return "offline";
  const age = now - w.lastHeartbeatAt.getTime();
  return age <= STALE_AFTER_MS ? "online" : age <= OFFLINE_AFTER_MS ? "stale" : "offline";
}

export async function registerWorker(w: WorkerRegistration): Promise<void> {
  const data = { ...w, memoryBytes: BigInt(w.memoryBytes), lastHeartbeatAt: new Date(), stoppedAt: null };
  await db().workerHost.upsert({ where: { id: w.id }, create: data, update: data });
}

export async function heartbeatWorker(id: string): Promise<void> {
  await db().workerHost.updateMany({ where: { id }, data: { lastHeartbeatAt: new Date(), stoppedAt: null } });
}

export async function markWorkerStopped(id: string): Promise<void> {
  await db().workerHost.updateMany({ where: { id }, data: { stoppedAt: new Date() } });
}

/**
 * Every worker host seen recently, online first: the shared pool and, with `orgIds`, only those
 * organisations' own workers (another organisation's hosts are none of the caller's business).
 */
export async function listWorkers(includeOffline: boolean, orgIds?: string[], installationAdmin = false): Promise<WorkerDto[]> {
  const rows = await db().workerHost.findMany({
    where: { lastHeartbeatAt: { gte: new Date(Date.now() - FORGET_AFTER_MS) }, ...(orgIds ? { OR: [{ orgId: null }, { orgId: { in: orgIds } }] } : {}) },
    orderBy: [{ lastHeartbeatAt: "desc" }],
  });
  const now = Date.now();
  const order = { online: 0, stale: 1, offline: 2 } as const;
  let shared = 0;
  return rows
    .map((r) => {
      const gpus = z.array(ZGpuDto).catch([]).parse(r.gpus);
      const detailed = installationAdmin || r.orgId !== null;
      // A worker's id starts with its hostname, so a shared worker gets an opaque one too.
      const opaqueId = createHash("sha256").update(r.id).digest("hex").slice(0, 16);
      return {
        id: detailed ? r.id : opaqueId,
        hostname: detailed ? r.hostname : `shared worker ${++shared}`,
        detailed,
        pid: detailed ? r.pid : null,
        queues: r.queues,
        concurrency: z.record(z.string(), z.number()).catch({}).parse(r.concurrency),
        cpuCount: r.cpuCount,
        cpuModel: detailed ? r.cpuModel : null,
        memoryBytes: detailed ? Number(r.memoryBytes) : null,
        gpus: detailed ? gpus : gpus.map((g) => ({ name: g.name, memoryMiB: g.memoryMiB, driver: null, uuid: null })),
        version: detailed ? r.version : null,
        nodeVersion: detailed ? r.nodeVersion : null,
        startedAt: r.startedAt,
        lastHeartbeatAt: r.lastHeartbeatAt,
        stoppedAt: r.stoppedAt,
        state: workerState(r, now),
        pool: r.orgId ? ("organisation" as const) : ("shared" as const),
      };
    })
    .filter((w) => includeOffline || w.state !== "offline")
    .sort((a, b) => order[a.state] - order[b.state]);
}
