import { z } from "zod";
import { readLogs } from "../../../training/logs";
import { ZLogLineDto, ZLogsInput } from "../../../training/schemas";
import { projectProcedure } from "../../trpc";

/** Log lines after `afterId` (poll with the last id you have). */
export const logs = projectProcedure("VIEWER")
  .input(ZLogsInput)
  .output(z.array(ZLogLineDto))
  .query(({ ctx, input }) => readLogs(ctx.project.id, input.runId, input.afterId, input.limit));
