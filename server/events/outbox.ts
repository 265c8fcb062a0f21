import { db, type Tx } from "../db";
import { enqueue } from "../jobs/boss";
import { outboxDispatch } from "../jobs/definitions";
import { CONSUMERS } from "./consumers";
import type { Prisma } from "../db";

export const EVENTS = {
  datasetVersionCreated: "dataset.version.created",
} as const;
export type EventType = (typeof EVENTS)[keyof typeof EVENTS];

/**
 * Records a domain event in the caller's transaction and schedules its dispatch in the same
 * transaction: the event exists exactly when the change does, and is delivered at least once.
 */
export async function emitEvent(tx: Tx, e: { projectId: string; type: EventType; payload: Prisma.InputJsonValue }): Promise<string> {
  const event = await tx.outboxEvent.create({ data: { projectId: e.projectId, type: e.type, payload: e.payload } });
  const eventId = event.id.toString();
  await enqueue(outboxDispatch, { eventId }, { tx });
  return eventId;
}

/** Runs every consumer of the event that has not run yet; each consumer's work and its delivery record commit together. */
export async function dispatchEvent(eventId: string): Promise<{ delivered: string[] }> {
  const event = await db().outboxEvent.findUnique({ where: { id: BigInt(eventId) } });
  if (!event) return { delivered: [] };
  const delivered: string[] = [];
  for (const consumer of CONSUMERS[event.type as EventType] ?? []) {
    await db().$transaction(async (tx) => {
      const done = await tx.outboxDelivery.findUnique({ where: { eventId_consumer: { eventId: event.id, consumer: consumer.name } } });
      if (done) return;
      // The insert comes first so that a concurrent dispatch of the same event blocks here and then skips.
      await tx.outboxDelivery.create({ data: { eventId: event.id, consumer: consumer.name } });
      await consumer.run(tx, { id: eventId, projectId: event.projectId, payload: event.payload });
      delivered.push(consumer.name);
    });
  }
  return { delivered };
}

/** Events of one type after `afterId`, oldest first: how later subscribers (retraining triggers) catch up. */
export async function eventsSince(type: EventType, afterId: string | null, limit = 100) {
  return db().outboxEvent.findMany({
    where: { type, ...(afterId ? { id: { gt: BigInt(afterId) } } : {}) },
    orderBy: { id: "asc" },
    take: limit,
  });
}
