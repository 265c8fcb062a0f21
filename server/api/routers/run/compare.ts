import { compareRuns } from "../../../runs/compare";
import { ZCompareDto, ZCompareInput } from "../../../runs/schemas";
import { projectProcedure } from "../../trpc";

export const compare = projectProcedure("VIEWER")
  .input(ZCompareInput)
  .output(ZCompareDto)
  .query(({ ctx, input }) => compareRuns({ projectId: ctx.project.id, runIds: input.runIds, keys: input.keys, points: input.points, stepRange: input.stepRange }));
