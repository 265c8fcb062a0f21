import { decide } from "../../../promotion/approvals";
import { ZApprovalDto, ZDecideInput } from "../../../promotion/schemas";
import { projectProcedure } from "../../trpc";

// MEMBER is the lowest role a policy may ask for; the service checks the policy's own min_role.
const decision = projectProcedure("MEMBER").input(ZDecideInput).output(ZApprovalDto);

/** Approves the version's latest gate report (a person only; never its creator or its run's author). */
export const approve = decision.mutation(({ ctx, input }) =>
  decide({ projectId: ctx.project.id, orgId: ctx.org.id, versionId: input.versionId, decision: "APPROVE", comment: input.comment, actor: ctx.actor, role: ctx.role }),
);

/** Rejects the version's latest gate report: a standing rejection blocks promotion. */
export const reject = decision.mutation(({ ctx, input }) =>
  decide({ projectId: ctx.project.id, orgId: ctx.org.id, versionId: input.versionId, decision: "REJECT", comment: input.comment, actor: ctx.actor, role: ctx.role }),
);
