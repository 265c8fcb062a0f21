import { z } from "zod";
import { getEvaluation, listEvaluations, requestEvaluation } from "../../../evaluation/reports";
import { ZEvaluateInput, ZRunRef } from "../../../training/schemas";
import { ZId } from "../../../lib/ids";
import { ZEvaluationDto, ZEvaluationSummaryDto } from "../../../evaluation/schemas";
import { projectProcedure } from "../../trpc";

export const evaluations = projectProcedure("VIEWER").input(ZRunRef).output(z.array(ZEvaluationSummaryDto)).query(({ ctx, input }) => listEvaluations(ctx.project.id, input.runId));

export const evaluation = projectProcedure("VIEWER")
  .input(z.object({ projectId: ZId, reportId: ZId }))
  .output(ZEvaluationDto)
  .query(({ ctx, input }) => getEvaluation(ctx.project.id, input.reportId));

/** Evaluates a finished run's model on a split of a usable version of the project (a failed contract needs allowFailedValidation). */
export const evaluateRun = projectProcedure("MEMBER")
  .input(ZEvaluateInput)
  .output(ZEvaluationSummaryDto)
  .mutation(({ ctx, input }) => requestEvaluation({ ...input, projectId: ctx.project.id, orgId: ctx.org.id, actor: ctx.actor }));
