import { compareVersions } from "../../../datasets/compare";
import { ZCompareDto, ZCompareInput } from "../../../datasets/schemas";
import { projectProcedure } from "../../trpc";

export const compare = projectProcedure("VIEWER")
  .input(ZCompareInput)
  .output(ZCompareDto)
  .query(({ ctx, input }) => compareVersions(ctx.project.id, input.baseVersionId, input.targetVersionId));
