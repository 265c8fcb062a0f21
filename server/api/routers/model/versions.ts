import { z } from "zod";
import { listVersions } from "../../../registry/read";
import { ZListVersionsInput, ZModelVersionDto } from "../../../registry/schemas";
import { projectProcedure } from "../../trpc";

/** A model's versions, newest first. */
export const versions = projectProcedure("VIEWER")
  .input(ZListVersionsInput)
  .output(z.array(ZModelVersionDto))
  .query(({ ctx, input }) => listVersions({ projectId: ctx.project.id, modelId: input.modelId, includeArchived: input.includeArchived }));
