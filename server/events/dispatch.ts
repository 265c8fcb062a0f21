import { db } from "../db";
import { AppError } from "../errors";
import { consumersOf } from "./registry";

/**
 * Runs every consumer of the event that has not run yet; each consumer's work and its delivery record
 * commit together, so a consumer runs exactly once per event however often the event is dispatched.
 */
export async function dispatchEvent(eventId: string): Promise<{ delivered: string[] }> {
  const event = await db().outboxEvent.findUnique({ where: { id: BigInt(eventId) } });
  if (!event) return { delivered: [] };
  const delivered: string[] = [];
  for (const consumer of consumersOf(event.type)) {
    const parsed = consumer.event.payload.safeParse(event.payload);
    // A stored payload that its own schema rejects cannot succeed on retry; say which event and why.
    if (!parsed.success) throw new AppError("BAD_REQUEST", `Outbox event ${eventId} (${event.type}) has a malformed payload: ${parsed.error.message}`);
    await db().$transaction(async (tx) => {
      const done = await tx.outboxDelivery.findUnique({ where: { eventId_consumer: { eventId: event.id, consumer: consumer.name } } });
      if (done) return;
      // The insert comes first so that a concurrent dispatch of the same event blocks here and then skips.
      await tx.outboxDelivery.create({ data: { eventId: event.id, consumer: consumer.name } });
      await consumer.run(tx, parsed.data, { eventId, projectId: event.projectId });
      delivered.push(consumer.name);
    });
  }
  return { delivered };
}

/** Dispatches every event of a project that some consumer has not received yet, oldest first (tests, maintenance). */
export async function dispatchPending(projectId: string): Promise<string[]> {
  const events = await db().outboxEvent.findMany({ where: { projectId }, orderBy: { id: "asc" }, include: { deliveries: { select: { consumer: true } } } });
  const delivered: string[] = [];
  for (const e of events) {
    const done = new Set(e.deliveries.map((d) => d.consumer));
    if (consumersOf(e.type).every((c) => done.has(c.name))) continue;
    for (const name of (await dispatchEvent(e.id.toString())).delivered) delivered.push(`${e.type}:${name}`);
  }
  return delivered;
}
