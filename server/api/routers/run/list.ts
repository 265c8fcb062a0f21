import { z } from "zod";
import { listRuns } from "../../../runs/list";
import { ZListRunsInput, ZRunDto } from "../../../runs/schemas";
import { projectProcedure } from "../../trpc";

export const list = projectProcedure("VIEWER")
  .input(ZListRunsInput)
  .output(z.object({ runs: z.array(ZRunDto), total: z.number() }))
  .query(({ ctx, input }) => listRuns({ ...input, projectId: ctx.project.id }));
