import { setDatasetArchived } from "../../../datasets/delete";
import { ZArchiveDatasetInput, ZDatasetDto } from "../../../datasets/schemas";
import { projectProcedure } from "../../trpc";

/** Hides the dataset from default lists (`archived: false` shows it again); versions stay usable. */
export const archive = projectProcedure("ADMIN")
  .input(ZArchiveDatasetInput)
  .output(ZDatasetDto)
  .mutation(({ ctx, input }) => setDatasetArchived({ projectId: ctx.project.id, orgId: ctx.org.id, datasetId: input.datasetId, archived: input.archived, actor: ctx.actor }));
