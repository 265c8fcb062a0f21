import { updateModel } from "../../../registry/models";
import { ZModelDto, ZUpdateModelInput } from "../../../registry/schemas";
import { projectProcedure } from "../../trpc";

/** Description, owner and automatic registration (which experiment's finished runs become versions). */
export const update = projectProcedure("ADMIN")
  .input(ZUpdateModelInput)
  .output(ZModelDto)
  .mutation(({ ctx, input }) =>
    updateModel({
      projectId: ctx.project.id,
      orgId: ctx.org.id,
      actor: ctx.actor,
      modelId: input.modelId,
      description: input.description,
      ownerId: input.ownerId,
      autoRegisterExperimentId: input.autoRegisterExperimentId,
    }),
  );
