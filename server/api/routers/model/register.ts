import { registerFromRun } from "../../../registry/register";
import { ZRegisterFromRunInput, ZRegisterResultDto } from "../../../registry/schemas";
import { projectProcedure } from "../../trpc";

/** Registers a finished run's model.onnx as a new version (the model is created when missing); the same bytes again answer the existing version. */
export const register = projectProcedure("MEMBER")
  .input(ZRegisterFromRunInput)
  .output(ZRegisterResultDto)
  .mutation(({ ctx, input }) =>
    registerFromRun({ projectId: ctx.project.id, orgId: ctx.org.id, actor: ctx.actor, modelName: input.modelName, runId: input.runId, description: input.description }),
  );
