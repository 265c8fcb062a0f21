import { z } from "zod";
import { listDatasets } from "../../../datasets/datasets";
import { ZDatasetDto } from "../../../datasets/schemas";
import { projectProcedure } from "../../trpc";

export const list = projectProcedure("VIEWER", { runTokens: "read" }).output(z.array(ZDatasetDto)).query(({ ctx }) => listDatasets(ctx.project.id));
