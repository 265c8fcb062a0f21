import { createModel } from "../../../registry/models";
import { ZCreateModelInput, ZModelDto } from "../../../registry/schemas";
import { projectProcedure } from "../../trpc";

export const create = projectProcedure("MEMBER")
  .input(ZCreateModelInput)
  .output(ZModelDto)
  .mutation(({ ctx, input }) => createModel({ projectId: ctx.project.id, orgId: ctx.org.id, actor: ctx.actor, name: input.name, task: input.task, description: input.description }));
