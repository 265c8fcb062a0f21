import { getRunDetail } from "../../../runs/runs";
import { ZGetRunInput, ZRunDetailDto } from "../../../runs/schemas";
import { projectProcedure } from "../../trpc";

export const get = projectProcedure("VIEWER", { runTokens: "own-run" })
  .input(ZGetRunInput)
  .output(ZRunDetailDto)
  .query(({ ctx, input }) => getRunDetail(ctx.project.id, input.runId));
