import { z } from "zod";
import { listVersions } from "../../../datasets/versions";
import { ZDatasetRef, ZVersionDto } from "../../../datasets/schemas";
import { projectProcedure } from "../../trpc";

export const versions = projectProcedure("VIEWER", { runTokens: "read" })
  .input(ZDatasetRef)
  .output(z.array(ZVersionDto))
  .query(({ ctx, input }) => listVersions(ctx.project.id, input.datasetId));
