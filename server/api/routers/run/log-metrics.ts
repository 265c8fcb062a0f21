import { z } from "zod";
import { logMetrics as log } from "../../../runs/ingest";
import { ZLogMetricsInput } from "../../../runs/schemas";
import { projectProcedure } from "../../trpc";

/** Up to 10,000 points per call; a batch retried with the same batchId is stored once. */
export const logMetrics = projectProcedure("MEMBER", { runTokens: "own-run" })
  .input(ZLogMetricsInput)
  .output(z.object({ stored: z.number(), duplicate: z.boolean() }))
  .mutation(({ ctx, input }) => log({ projectId: ctx.project.id, runId: input.runId, batchId: input.batchId, points: input.points }));
