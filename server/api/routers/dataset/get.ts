import { getDataset } from "../../../datasets/datasets";
import { ZDatasetDto, ZGetDatasetInput } from "../../../datasets/schemas";
import { projectProcedure } from "../../trpc";

export const get = projectProcedure("VIEWER", { runTokens: "read" })
  .input(ZGetDatasetInput)
  .output(ZDatasetDto)
  .query(({ ctx, input }) => getDataset(ctx.project.id, "datasetId" in input ? { datasetId: input.datasetId } : { slug: input.slug }));
