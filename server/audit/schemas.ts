import { z } from "zod";

export const ZAuditEventDto = z.object({
  id: z.string(),
  at: z.date(),
  actorType: z.string(),
  actorLabel: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  targetLabel: z.string(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  ip: z.string().nullable(),
  projectId: z.string().nullable(),
});
export type AuditEventDto = z.infer<typeof ZAuditEventDto>;

export const ZAuditPageDto = z.object({ items: z.array(ZAuditEventDto), nextCursor: z.string().nullable() });
