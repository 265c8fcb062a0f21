import { z } from "zod";
import { getBatchJob, listBatchJobs } from "../../../batch/batch";
import { ZBatchJobDto, ZBatchJobInput, ZBatchJobsInput } from "../../../batch/schemas";
import { projectProcedure } from "../../trpc";

/** A model version's batch scorings, newest first. */
export const batchJobs = projectProcedure("VIEWER")
  .input(ZBatchJobsInput)
  .output(z.array(ZBatchJobDto))
  .query(({ ctx, input }) => listBatchJobs({ projectId: ctx.project.id, versionId: input.versionId, limit: input.limit }));

/** One batch scoring with its progress (rowsScored of rowsTotal) and, when DONE, the derived version. */
export const batchJob = projectProcedure("VIEWER")
  .input(ZBatchJobInput)
  .output(ZBatchJobDto)
  .query(({ ctx, input }) => getBatchJob({ projectId: ctx.project.id, jobId: input.jobId }));
