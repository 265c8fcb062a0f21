import { z } from "zod";
import { listApprovals } from "../../../promotion/approvals";
import { ZApprovalDto, ZVersionRefInput } from "../../../promotion/schemas";
import { projectProcedure } from "../../trpc";

/** Every decision on a version, newest first, with whether it still counts. */
export const approvals = projectProcedure("VIEWER", { runTokens: "read" })
  .input(ZVersionRefInput)
  .output(z.array(ZApprovalDto))
  .query(({ ctx, input }) => listApprovals({ projectId: ctx.project.id, orgId: ctx.org.id, versionId: input.versionId }));
