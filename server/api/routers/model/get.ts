import { getModel } from "../../../registry/read";
import { ZGetModelInput, ZModelDto } from "../../../registry/schemas";
import { projectProcedure } from "../../trpc";

/** A model by id or by name, with its champion, latest version and aliases. */
export const get = projectProcedure("VIEWER")
  .input(ZGetModelInput)
  .output(ZModelDto)
  .query(({ ctx, input }) => getModel({ projectId: ctx.project.id, modelId: input.modelId, name: input.name }));
