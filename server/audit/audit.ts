import { db, type Prisma, type Tx } from "../db";
import type { AuditEventDto } from "./schemas";

/** Who did something: a signed-in user, an API token, or the system itself (workers, seeds). */
export interface Actor {
  type: "user" | "token" | "system";
  id: string | null;
  label: string;
  ip?: string | null;
}

export const SYSTEM_ACTOR: Actor = { type: "system", id: null, label: "system" };

export interface AuditInput {
  orgId: string | null;
  projectId?: string | null;
  actor: Actor;
  action: string;
  target: { type: string; id?: string | null; label?: string };
  before?: Prisma.InputJsonValue;
  after?: Prisma.InputJsonValue;
}

/** Writes one audit event; pass the transaction that makes the change so both commit together. */
export async function recordAudit(tx: Tx, input: AuditInput): Promise<void> {
  await tx.auditEvent.create({
    data: {
      orgId: input.orgId,
      projectId: input.projectId ?? null,
      actorType: input.actor.type,
      actorId: input.actor.id,
      actorLabel: input.actor.label,
      action: input.action,
      targetType: input.target.type,
      targetId: input.target.id ?? null,
      targetLabel: input.target.label ?? "",
      before: input.before,
      after: input.after,
      ip: input.actor.ip ?? null,
    },
  });
}

/** Newest first, keyset-paginated by (at, id). */
export async function listAuditEvents(args: {
  orgId: string;
  cursor?: string;
  limit: number;
  action?: string;
}): Promise<{ items: AuditEventDto[]; nextCursor: string | null }> {
  const rows = await db().auditEvent.findMany({
    where: { orgId: args.orgId, ...(args.action ? { action: { startsWith: args.action } } : {}) },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: args.limit + 1,
    ...(args.cursor ? { cursor: { id: args.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, args.limit);
  return {
    items: page.map((r) => ({
      id: r.id,
      at: r.at,
      actorType: r.actorType,
      actorLabel: r.actorLabel,
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId,
      targetLabel: r.targetLabel,
      before: r.before ?? null,
      after: r.after ?? null,
      ip: r.ip,
      projectId: r.projectId,
    })),
    nextCursor: rows.length > args.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
