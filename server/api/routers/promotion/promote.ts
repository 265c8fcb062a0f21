import { overridePromote, promote as promoteVersion, rollback as rollbackChampion } from "../../../promotion/promote";
import { ZAliasMoveDto, ZOverrideInput, ZPromoteInput, ZRollbackInput } from "../../../promotion/schemas";
import { projectProcedure } from "../../trpc";

/** Moves `champion` to the version: gate passed against the current champion, approvals complete (ADMIN). */
export const promote = projectProcedure("ADMIN")
  .input(ZPromoteInput)
  .output(ZAliasMoveDto)
  .mutation(({ ctx, input }) => promoteVersion({ projectId: ctx.project.id, orgId: ctx.org.id, modelId: input.modelId, versionId: input.versionId, actor: ctx.actor }));

/** Moves `champion` without gate or approvals; OWNER only, with a reason kept in the history. */
export const override = projectProcedure("OWNER")
  .input(ZOverrideInput)
  .output(ZAliasMoveDto)
  .mutation(({ ctx, input }) =>
    overridePromote({ projectId: ctx.project.id, orgId: ctx.org.id, modelId: input.modelId, versionId: input.versionId, reason: input.reason, actor: ctx.actor }),
  );

/** Moves `champion` back to the previous champion (ADMIN: undoing a promotion is as weighty as making one). */
export const rollback = projectProcedure("ADMIN")
  .input(ZRollbackInput)
  .output(ZAliasMoveDto)
  .mutation(({ ctx, input }) => rollbackChampion({ projectId: ctx.project.id, orgId: ctx.org.id, modelId: input.modelId, reason: input.reason, actor: ctx.actor }));
