import { z } from "zod";
import { cancelRun, startTraining } from "../../../training/start";
import { trainingStatus } from "../../../training/status";
import { ZRunRef, ZStartTrainingInput } from "../../../training/schemas";
import { ZRunDto } from "../../../runs/schemas";
import { projectProcedure } from "../../trpc";

/** Queues a training run on a dataset version (failed validation is refused). */
export const start = projectProcedure("MEMBER")
  .input(ZStartTrainingInput)
  .output(ZRunDto)
  .mutation(({ ctx, input }) => startTraining({ ...input, projectId: ctx.project.id, orgId: ctx.org.id, actor: ctx.actor }));

export const cancel = projectProcedure("MEMBER")
  .input(ZRunRef)
  .output(z.object({ status: z.string() }))
  .mutation(({ ctx, input }) => cancelRun({ projectId: ctx.project.id, orgId: ctx.org.id, runId: input.runId, actor: ctx.actor }));

/** Status, progress and what a queued run is waiting for (e.g. a GPU worker). */
export const status = projectProcedure("VIEWER", { runTokens: "own-run" })
  .input(ZRunRef)
  .output(
    z.object({
      status: z.string(),
      progress: z.number().nullable(),
      attempt: z.number(),
      hostname: z.string().nullable(),
      error: z.string().nullable(),
      cancelRequested: z.boolean(),
      waitingFor: z.enum(["gpu-worker", "worker", "org-worker"]).nullable(),
      queue: z.string().nullable(),
    }),
  )
  .query(({ ctx, input }) => trainingStatus(ctx.project.id, input.runId));
