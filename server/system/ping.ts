import { setTimeout as sleep } from "node:timers/promises";
import { db } from "../db";
import { notFound } from "../errors";
import { recordAudit, SYSTEM_ACTOR, type Actor } from "../audit/audit";
import { enqueue } from "../jobs/boss";
import { systemPing } from "../jobs/definitions";
import type { PingDto } from "./schemas";

const toDto = (p: {
  id: string;
  status: PingDto["status"];
  deliveries: number;
  hostname: string | null;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  roundTripMs: number | null;
}): PingDto => ({
  id: p.id,
  status: p.status,
  deliveries: p.deliveries,
  hostname: p.hostname,
  createdAt: p.createdAt,
  startedAt: p.startedAt,
  completedAt: p.completedAt,
  roundTripMs: p.roundTripMs,
});

/** Records a ping and enqueues its job in one transaction. */
export async function requestPing(args: { orgId: string; actor: Actor; holdMs: number }): Promise<PingDto> {
  return db().$transaction(async (tx) => {
    const ping = await tx.systemPing.create({ data: { orgId: args.orgId, requestedBy: args.actor.label, holdMs: args.holdMs } });
    await enqueue(systemPing, { pingId: ping.id, holdMs: args.holdMs }, { tx });
    return toDto(ping);
  });
}

export async function getPing(args: { orgId: string; pingId: string }): Promise<PingDto> {
  const ping = await db().systemPing.findFirst({ where: { id: args.pingId, orgId: args.orgId } });
  if (!ping) throw notFound("Ping");
  return toDto(ping);
}

export async function recentPings(orgId: string, limit = 10): Promise<PingDto[]> {
  const rows = await db().systemPing.findMany({ where: { orgId }, orderBy: { createdAt: "desc" }, take: limit });
  return rows.map(toDto);
}

/**
 * Worker side of system.ping. Safe to run twice: the completion and its audit event are written
 * once, guarded by the status, whichever delivery gets there first.
 */
export async function handlePing(
  args: { pingId: string; holdMs: number },
  worker: { id: string; hostname: string },
  signal?: AbortSignal,
): Promise<void> {
  const started = await db().systemPing.updateMany({
    where: { id: args.pingId, status: { in: ["QUEUED", "RUNNING"] } },
    data: { status: "RUNNING", deliveries: { increment: 1 }, workerId: worker.id, hostname: worker.hostname, startedAt: new Date() },
  });
  if (started.count === 0) return;
  if (args.holdMs > 0) await sleep(args.holdMs, undefined, { signal });
  await db().$transaction(async (tx) => {
    const ping = await tx.systemPing.findUnique({ where: { id: args.pingId } });
    if (!ping || ping.status === "COMPLETED") return;
    const completedAt = new Date();
    const done = await tx.systemPing.updateMany({
      where: { id: ping.id, status: { not: "COMPLETED" } },
      data: { status: "COMPLETED", completedAt, roundTripMs: completedAt.getTime() - ping.createdAt.getTime() },
    });
    if (done.count === 0) return;
    await recordAudit(tx, {
      orgId: ping.orgId,
      actor: { ...SYSTEM_ACTOR, label: `worker ${worker.hostname}` },
      action: "system.ping.completed",
      target: { type: "ping", id: ping.id, label: ping.id },
      after: { workerId: worker.id, deliveries: ping.deliveries },
    });
  });
}
