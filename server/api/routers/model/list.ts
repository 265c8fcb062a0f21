import { z } from "zod";
import { listModels } from "../../../registry/read";
import { ZListModelsInput, ZModelDto } from "../../../registry/schemas";
import { projectProcedure } from "../../trpc";

export const list = projectProcedure("VIEWER")
  .input(ZListModelsInput)
  .output(z.array(ZModelDto))
  .query(({ ctx, input }) => listModels({ projectId: ctx.project.id, includeArchived: input.includeArchived }));
