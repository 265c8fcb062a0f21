import { removeAlias as remove } from "../../../registry/aliases";
import { ZModelDto, ZRemoveAliasInput } from "../../../registry/schemas";
import { projectProcedure } from "../../trpc";

export const removeAlias = projectProcedure("MEMBER")
  .input(ZRemoveAliasInput)
  .output(ZModelDto)
  .mutation(({ ctx, input }) => remove({ projectId: ctx.project.id, orgId: ctx.org.id, actor: ctx.actor, modelId: input.modelId, alias: input.alias }));
