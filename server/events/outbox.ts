import { db, type Tx } from "../db";
import { toJsonValue } from "../lib/stored-json";
import { enqueue } from "../jobs/boss";
import { outboxDispatch } from "../jobs/definitions";
import type { EventDefinition, EventInput } from "./definitions";
import type { z } from "zod";

/**
 * Records a domain event in the caller's transaction and schedules its dispatch in the same
 * transaction: the event exists exactly when the change does, and is delivered at least once.
 * The payload is parsed with the event's schema, so a malformed event fails the change itself.
 */
export async function emitEvent<E extends EventDefinition<z.ZodType>>(tx: Tx, event: E, e: { projectId: string; payload: EventInput<E> }): Promise<string> {
  const payload = toJsonValue(event.payload.parse(e.payload));
  const row = await tx.outboxEvent.create({ data: { projectId: e.projectId, type: event.name, payload } });
  const eventId = row.id.toString();
  await enqueue(outboxDispatch, { eventId }, { tx });
  return eventId;
}

/** Events of one type after `afterId`, oldest first: how later subscribers (retraining triggers) catch up. */
export async function eventsSince(event: EventDefinition<z.ZodType>, afterId: string | null, limit = 100) {
  return db().outboxEvent.findMany({
    where: { type: event.name, ...(afterId ? { id: { gt: BigInt(afterId) } } : {}) },
    orderBy: { id: "asc" },
    take: limit,
  });
}
