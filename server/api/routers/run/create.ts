import { createRun } from "../../../runs/runs";
import { ZCreateRunInput, ZRunDto } from "../../../runs/schemas";
import { projectProcedure } from "../../trpc";

export const create = projectProcedure("MEMBER")
  .input(ZCreateRunInput)
  .output(ZRunDto)
  .mutation(({ ctx, input }) => createRun({ ...input, projectId: ctx.project.id, orgId: ctx.org.id, actor: ctx.actor }));
