import { getVersionDetail } from "../../../datasets/versions";
import { ZVersionDetailDto, ZVersionRef } from "../../../datasets/schemas";
import { projectProcedure } from "../../trpc";

export const version = projectProcedure("VIEWER", { runTokens: "read" })
  .input(ZVersionRef)
  .output(ZVersionDetailDto)
  .query(({ ctx, input }) => getVersionDetail(ctx.project.id, input.versionId));
