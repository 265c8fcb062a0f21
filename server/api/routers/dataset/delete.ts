import { deleteDataset } from "../../../datasets/delete";
import { ZDatasetRef } from "../../../datasets/schemas";
import { ZDeleteResultDto } from "../../../lib/ids";
import { projectProcedure } from "../../trpc";

/** Deletes the dataset and its versions; CONFLICT names what still depends on them. */
export const remove = projectProcedure("ADMIN")
  .input(ZDatasetRef)
  .output(ZDeleteResultDto)
  .mutation(({ ctx, input }) => deleteDataset({ projectId: ctx.project.id, orgId: ctx.org.id, datasetId: input.datasetId, actor: ctx.actor }));
