import { finishRun } from "../../../runs/runs";
import { ZFinishRunInput, ZRunDto } from "../../../runs/schemas";
import { projectProcedure } from "../../trpc";

export const finish = projectProcedure("MEMBER", { runTokens: "own-run" })
  .input(ZFinishRunInput)
  .output(ZRunDto)
  .mutation(({ ctx, input }) => finishRun({ projectId: ctx.project.id, orgId: ctx.org.id, runId: input.runId, status: input.status, actor: ctx.actor }));
