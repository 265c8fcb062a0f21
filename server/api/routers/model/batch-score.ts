import { requestBatchScoring } from "../../../batch/batch";
import { ZBatchJobDto, ZBatchScoreInput } from "../../../batch/schemas";
import { projectProcedure } from "../../trpc";

/** Queues scoring a dataset version with a model version into a new derived dataset version. */
export const batchScore = projectProcedure("MEMBER")
  .input(ZBatchScoreInput)
  .output(ZBatchJobDto)
  .mutation(({ ctx, input }) => requestBatchScoring({ ...input, projectId: ctx.project.id, orgId: ctx.org.id, actor: ctx.actor }));
