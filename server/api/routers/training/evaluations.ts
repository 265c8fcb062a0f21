import { z } from "zod";
import { getEvaluation, listEvaluations, requestEvaluation } from "../../../evaluation/reports";
import { ZEvaluateInput, ZRunRef } from "../../../training/schemas";
import { ZId } from "../../../lib/ids";
import { ZFloat } from "../../../runs/schemas";
import { projectProcedure } from "../../trpc";

const ZSummary = z.object({
  id: z.string(),
  runId: z.string(),
  versionId: z.string(),
  versionLabel: z.string(),
  split: z.string(),
  status: z.string(),
  error: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  /** The caller chose to evaluate on a version that failed its data contract. */
  allowFailedValidation: z.boolean(),
  /** Evaluated on the version the run was trained on: its metrics are also the run's own (test/rmse…). */
  onTrainingData: z.boolean(),
  /** Headline metrics of a finished report (rmse, r2… or rocAuc, accuracy…), for side-by-side comparison. */
  headline: z.record(z.string(), ZFloat.nullable()),
});

export const evaluations = projectProcedure("VIEWER").input(ZRunRef).output(z.array(ZSummary)).query(({ ctx, input }) => listEvaluations(ctx.project.id, input.runId));

export const evaluation = projectProcedure("VIEWER")
  .input(z.object({ projectId: ZId, reportId: ZId }))
  .output(ZSummary.extend({ report: z.unknown().nullable() }))
  .query(({ ctx, input }) => getEvaluation(ctx.project.id, input.reportId));

/** Evaluates a finished run's model on a split of a usable version of the project (a failed contract needs allowFailedValidation). */
export const evaluateRun = projectProcedure("MEMBER")
  .input(ZEvaluateInput)
  .output(ZSummary)
  .mutation(({ ctx, input }) => requestEvaluation({ ...input, projectId: ctx.project.id, orgId: ctx.org.id, actor: ctx.actor }));
