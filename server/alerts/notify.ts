/**
 * The alert API monitors call. An incident is one (rule, subject) from its first firing until it clears:
 * while it is open, further firings update its figures and count and notify nobody, except a reminder
 * once the cooldown has passed since the last notice (none once someone acknowledged it). Clearing
 * resolves it and sends a "resolved" notice. Notices are AlertDelivery rows, each sent by its own
 * `alert.deliver.v1` job, queued in the same transaction as the rows.
 */
import { recordAudit, type Actor } from "../audit/audit";
import { db, type Tx } from "../db";
import { AppError, isUniqueViolation, notFound } from "../errors";
import { enqueue } from "../jobs/boss";
import { alertDeliver } from "../jobs/definitions";
import { figuresToStore, toIncidentDto } from "./incidents";
import { ZClearAlertInput, ZRaiseAlertInput, type AlertIncidentDto, type RaiseAlertInput } from "./schemas";

export interface RaiseResult {
  incidentId: string;
  status: "firing" | "acknowledged";
  /** What this call queued: a first notice, a reminder, or nothing (de-duplicated, cooling down or acknowledged). */
  notified: "firing" | "reminder" | null;
  /** Channel ids that are not (or no longer) channels of the project's organisation: skipped. */
  missingChannelIds: string[];
}

const openKeyOf = (ruleKey: string, subject: string) => JSON.stringify([ruleKey, subject]);

async function queueDeliveries(tx: Tx, incidentId: string, channelIds: string[], kind: "firing" | "reminder" | "resolved", sequence: number): Promise<void> {
  for (const channelId of channelIds) {
    const delivery = await tx.alertDelivery.create({ data: { incidentId, channelId, kind, sequence } });
    await enqueue(alertDeliver, { deliveryId: delivery.id }, { tx });
  }
}

/** Reports that a rule fires for a subject (see the module comment for de-duplication and cooldown). */
export async function raiseAlert(args: RaiseAlertInput): Promise<RaiseResult> {
  const input = ZRaiseAlertInput.parse(args);
  const project = await db().project.findUnique({ where: { id: input.projectId }, select: { orgId: true } });
  if (!project) throw notFound("Project");
  const channels = await db().alertChannel.findMany({ where: { id: { in: input.channelIds }, orgId: project.orgId }, select: { id: true } });
  const channelIds = input.channelIds.filter((id, i, all) => all.indexOf(id) === i && channels.some((c) => c.id === id));
  const missingChannelIds = input.channelIds.filter((id) => !channelIds.includes(id));
  const openKey = openKeyOf(input.ruleKey, input.subject);
  const fields = { title: input.title, severity: input.severity, figures: figuresToStore(input.figures), link: input.link, channelIds, cooldownSeconds: input.cooldownSeconds };

  const attempt = () =>
    db().$transaction(async (tx): Promise<RaiseResult> => {
      const now = new Date();
      const open = await tx.alertIncident.findUnique({ where: { projectId_openKey: { projectId: input.projectId, openKey } } });
      if (!open) {
        const created = await tx.alertIncident.create({
          data: { projectId: input.projectId, ruleKey: input.ruleKey, subject: input.subject, openKey, ...fields, firstFiredAt: now, lastFiredAt: now, lastNotifiedAt: now },
        });
        await queueDeliveries(tx, created.id, channelIds, "firing", 0);
        return { incidentId: created.id, status: "firing", notified: "firing", missingChannelIds };
      }
      await tx.alertIncident.update({ where: { id: open.id }, data: { ...fields, count: { increment: 1 }, lastFiredAt: now } });
      const due = open.status === "firing" && now.getTime() - open.lastNotifiedAt.getTime() >= input.cooldownSeconds * 1000;
      if (!due) return { incidentId: open.id, status: open.status === "acknowledged" ? "acknowledged" : "firing", notified: null, missingChannelIds };
      // Conditional on the notice time read above: of two firings at once, one queues the reminder.
      const claimed = await tx.alertIncident.updateMany({
        where: { id: open.id, status: "firing", lastNotifiedAt: open.lastNotifiedAt },
        data: { lastNotifiedAt: now, reminders: { increment: 1 } },
      });
      if (claimed.count === 0) return { incidentId: open.id, status: "firing", notified: null, missingChannelIds };
      await queueDeliveries(tx, open.id, channelIds, "reminder", open.reminders + 1);
      return { incidentId: open.id, status: "firing", notified: "reminder", missingChannelIds };
    });
  try {
    return await attempt();
  } catch (err) {
    // Two first firings at once: the other one created the incident; this one is a repeat of it.
    if (isUniqueViolation(err)) return attempt();
    throw err;
  }
}

/** Reports that a rule no longer fires for a subject: resolves its open incident (if any) and notifies its channels. */
export async function clearAlert(args: { projectId: string; ruleKey: string; subject: string }): Promise<{ incidentId: string } | null> {
  const input = ZClearAlertInput.parse(args);
  return db().$transaction(async (tx) => {
    const open = await tx.alertIncident.findUnique({ where: { projectId_openKey: { projectId: input.projectId, openKey: openKeyOf(input.ruleKey, input.subject) } } });
    if (!open) return null;
    const resolved = await tx.alertIncident.updateMany({ where: { id: open.id, openKey: { not: null } }, data: { status: "resolved", resolvedAt: new Date(), openKey: null } });
    if (resolved.count === 0) return null;
    const live = await tx.alertChannel.findMany({ where: { id: { in: open.channelIds } }, select: { id: true } });
    await queueDeliveries(tx, open.id, open.channelIds.filter((id) => live.some((c) => c.id === id)), "resolved", 0);
    return { incidentId: open.id };
  });
}

/** Someone is on it: no more reminders for this incident (the resolved notice still goes out). */
export async function acknowledgeAlert(args: { projectId: string; incidentId: string; actor: Actor }): Promise<AlertIncidentDto> {
  return db().$transaction(async (tx) => {
    const incident = await tx.alertIncident.findFirst({ where: { id: args.incidentId, projectId: args.projectId }, include: { project: { select: { orgId: true } } } });
    if (!incident) throw notFound("Alert incident");
    if (incident.status === "resolved") throw new AppError("CONFLICT", "The incident has already been resolved");
    if (incident.status === "firing") {
      await tx.alertIncident.update({
        where: { id: incident.id },
        data: { status: "acknowledged", acknowledgedAt: new Date(), acknowledgedById: args.actor.id, acknowledgedBy: args.actor.label },
      });
      await recordAudit(tx, {
        orgId: incident.project.orgId,
        projectId: args.projectId,
        actor: args.actor,
        action: "alert-incident.acknowledge",
        target: { type: "alert-incident", id: incident.id, label: incident.title },
      });
    }
    const row = await tx.alertIncident.findUniqueOrThrow({ where: { id: incident.id }, include: { deliveries: { include: { channel: { select: { name: true } } } } } });
    return toIncidentDto(row);
  });
}
