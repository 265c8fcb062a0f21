import { z } from "zod";
import { listDatasets } from "../../../datasets/datasets";
import { ZDatasetDto, ZListDatasetsInput } from "../../../datasets/schemas";
import { projectProcedure } from "../../trpc";

/** Datasets of the project; archived ones only with `includeArchived`. */
export const list = projectProcedure("VIEWER", { runTokens: "read" })
  .input(ZListDatasetsInput)
  .output(z.array(ZDatasetDto))
  .query(({ ctx, input }) => listDatasets(ctx.project.id, { includeArchived: input.includeArchived }));
