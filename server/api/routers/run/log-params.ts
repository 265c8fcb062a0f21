import { logParams as log } from "../../../runs/runs";
import { ZLogParamsInput, ZRunDto } from "../../../runs/schemas";
import { projectProcedure } from "../../trpc";

export const logParams = projectProcedure("MEMBER", { runTokens: "own-run" })
  .input(ZLogParamsInput)
  .output(ZRunDto)
  .mutation(({ ctx, input }) => log({ projectId: ctx.project.id, runId: input.runId, params: input.params }));
