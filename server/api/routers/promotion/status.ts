import { promotionStatus } from "../../../promotion/status";
import { ZPromotionStatusDto, ZVersionRefInput } from "../../../promotion/schemas";
import { projectProcedure } from "../../trpc";

/** The latest gate report, the decisions and what still blocks promoting the version. */
export const status = projectProcedure("VIEWER", { runTokens: "read" })
  .input(ZVersionRefInput)
  .output(ZPromotionStatusDto)
  .query(({ ctx, input }) => promotionStatus({ projectId: ctx.project.id, orgId: ctx.org.id, versionId: input.versionId }));
