/**
 * The `alert.deliver.v1` job: sends one AlertDelivery and marks it sent. A redelivered job whose
 * delivery is already sent does nothing; a failed send is recorded and thrown, so pg-boss retries it
 * with backoff. A lease on the row keeps two deliveries of the same job from sending at once.
 * Between a receiver taking the message and the row being marked, a crash would send it again: the
 * notice carries its delivery id (X-Cairn-Delivery) for receivers that must drop such a repeat.
 */
import { db } from "../db";
import { absoluteUrl } from "../lib/public-url";
import { channelTarget } from "./channels";
import { figuresFromStore } from "./incidents";
import type { AlertNotice } from "./messages";
import { DELIVERY_KINDS, ZSeverity } from "./schemas";
import { failureMessage, SEND_TIMEOUT_MS, sendNotice } from "./senders";
import { loadSmtpConfig } from "./smtp";
import { z } from "zod";

export type DeliveryOutcome = "sent" | "already-sent" | "gone";

/** Well beyond a send's deadline (SEND_TIMEOUT_MS), so a lease never ends while its send may still be running. */
const LEASE_MS = SEND_TIMEOUT_MS * 3 + 5000;

/** Sends the delivery unless it was sent; throws (for a retry) when the receiver did not take it. */
export async function deliverAlert(deliveryId: string): Promise<DeliveryOutcome> {
  const delivery = await db().alertDelivery.findUnique({
    where: { id: deliveryId },
    include: { channel: true, incident: { include: { project: { select: { name: true, org: { select: { name: true } } } } } } },
  });
  // The channel or the project was deleted since the notice was queued: nothing to send.
  if (!delivery) return "gone";
  if (delivery.status === "sent") return "already-sent";
  const now = new Date();
  const claimed = await db().alertDelivery.updateMany({
    where: { id: deliveryId, status: { not: "sent" }, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
    data: { leaseUntil: new Date(now.getTime() + LEASE_MS), attempts: { increment: 1 } },
  });
  if (claimed.count === 0) {
    const current = await db().alertDelivery.findUnique({ where: { id: deliveryId }, select: { status: true } });
    if (!current || current.status === "sent") return current ? "already-sent" : "gone";
    throw new Error(`alert delivery ${deliveryId} is being sent by another worker; this job retries later`);
  }

  const { incident, channel } = delivery;
  const notice: AlertNotice = {
    kind: z.enum(DELIVERY_KINDS).parse(delivery.kind),
    title: incident.title,
    severity: ZSeverity.parse(incident.severity),
    ruleKey: incident.ruleKey,
    subject: incident.subject,
    figures: figuresFromStore(incident.figures),
    link: absoluteUrl(incident.link),
    orgName: incident.project.org.name,
    projectName: incident.project.name,
    at: new Date(),
    firstFiredAt: incident.firstFiredAt,
    count: incident.count,
    incidentId: incident.id,
    deliveryId: delivery.id,
  };
  try {
    await sendNotice(channelTarget(channel), notice, channel.kind === "email" ? await loadSmtpConfig(channel.orgId) : null);
  } catch (err) {
    const message = failureMessage(err);
    await db().alertDelivery.update({ where: { id: deliveryId }, data: { status: "failed", lastError: message, leaseUntil: null } });
    throw new Error(`alert delivery ${deliveryId} to channel "${channel.name}" failed: ${message}`);
  }
  await db().alertDelivery.update({ where: { id: deliveryId }, data: { status: "sent", sentAt: new Date(), lastError: null, leaseUntil: null } });
  return "sent";
}
