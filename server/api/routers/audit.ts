import { listAuditEvents } from "../../audit/audit";
import { ZAuditPageDto } from "../../audit/schemas";
import { ZAuditListInput } from "../../tenancy/schemas";
import { createTRPCRouter, orgProcedure } from "../trpc";

export const auditRouter = createTRPCRouter({
  list: orgProcedure("ADMIN")
    .input(ZAuditListInput)
    .output(ZAuditPageDto)
    .query(({ ctx, input }) => listAuditEvents({ orgId: ctx.org.id, cursor: input.cursor, limit: input.limit, action: input.action })),
});
