/** Reading a project's alert incidents and their deliveries. */
import { z } from "zod";
import { db, type Prisma } from "../db";
import { DELIVERY_KINDS, DELIVERY_STATUSES, INCIDENT_STATUSES, ZSeverity, type AlertIncidentDto } from "./schemas";

type IncidentRow = Prisma.AlertIncidentGetPayload<{ include: { deliveries: { include: { channel: { select: { name: true } } } } } }>;

// Stored as [name, value] pairs: jsonb reorders an object's keys, and a rule's figures have an order.
const ZStoredFigures = z.array(z.tuple([z.string(), z.union([z.string(), z.number()])]));

export const figuresToStore = (figures: Record<string, string | number>) => Object.entries(figures);
export const figuresFromStore = (stored: unknown): Record<string, string | number> => Object.fromEntries(ZStoredFigures.parse(stored));

export function toIncidentDto(row: IncidentRow): AlertIncidentDto {
  return {
    id: row.id,
    projectId: row.projectId,
    ruleKey: row.ruleKey,
    subject: row.subject,
    title: row.title,
    severity: ZSeverity.parse(row.severity),
    status: z.enum(INCIDENT_STATUSES).parse(row.status),
    count: row.count,
    figures: figuresFromStore(row.figures),
    link: row.link,
    firstFiredAt: row.firstFiredAt,
    lastFiredAt: row.lastFiredAt,
    acknowledgedAt: row.acknowledgedAt,
    acknowledgedBy: row.acknowledgedBy,
    resolvedAt: row.resolvedAt,
    deliveries: [...row.deliveries]
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .map((d) => ({
        id: d.id,
        channelId: d.channelId,
        channelName: d.channel.name,
        kind: z.enum(DELIVERY_KINDS).parse(d.kind),
        sequence: d.sequence,
        status: z.enum(DELIVERY_STATUSES).parse(d.status),
        attempts: d.attempts,
        lastError: d.lastError,
        sentAt: d.sentAt,
      })),
  };
}

/** Newest firing first; "open" = firing or acknowledged. */
export async function listIncidents(args: { projectId: string; status: "open" | "resolved" | "all"; limit: number }): Promise<AlertIncidentDto[]> {
  const status = args.status === "open" ? { in: ["firing", "acknowledged"] } : args.status === "resolved" ? "resolved" : undefined;
  const rows = await db().alertIncident.findMany({
    where: { projectId: args.projectId, ...(status ? { status } : {}) },
    orderBy: [{ lastFiredAt: "desc" }, { id: "desc" }],
    take: args.limit,
    include: { deliveries: { include: { channel: { select: { name: true } } } } },
  });
  return rows.map(toIncidentDto);
}
