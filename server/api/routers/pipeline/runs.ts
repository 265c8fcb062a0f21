import { z } from "zod";
import { cancelPipelineRun, retryStep as retry } from "../../../pipelines/engine";
import { getPipelineRun, listPipelineRuns, startPipelineRun } from "../../../pipelines/runs";
import { ZListPipelineRunsInput, ZPipelineRunDto, ZPipelineRunRefInput, ZRetryStepInput, ZStartPipelineRunInput } from "../../../pipelines/schemas";
import { projectProcedure } from "../../trpc";

/** Starts a run (trigger "manual" from a person, "api" from a token); a repeated idempotencyKey answers the first run. */
export const run = projectProcedure("MEMBER")
  .input(ZStartPipelineRunInput)
  .output(ZPipelineRunDto)
  .mutation(async ({ ctx, input }) => {
    const trigger = ctx.actor.type === "token" ? "api" : "manual";
    const started = await startPipelineRun({ projectId: ctx.project.id, pipelineId: input.pipelineId, trigger, triggerInfo: { by: ctx.actor.label }, params: input.params, idempotencyKey: input.idempotencyKey, actor: ctx.actor });
    return started.run;
  });

export const runs = projectProcedure("VIEWER")
  .input(ZListPipelineRunsInput)
  .output(z.array(ZPipelineRunDto))
  .query(({ ctx, input }) => listPipelineRuns({ projectId: ctx.project.id, pipelineId: input.pipelineId, limit: input.limit, cursor: input.cursor }));

export const runGet = projectProcedure("VIEWER")
  .input(ZPipelineRunRefInput)
  .output(ZPipelineRunDto)
  .query(({ ctx, input }) => getPipelineRun(ctx.project.id, input.runId));

export const cancelRun = projectProcedure("MEMBER")
  .input(ZPipelineRunRefInput)
  .output(ZPipelineRunDto)
  .mutation(({ ctx, input }) => cancelPipelineRun({ projectId: ctx.project.id, runId: input.runId, actor: ctx.actor }));

/** Runs one FAILED or CANCELLED step of a finished run again; the steps before it keep their outputs. */
export const retryStep = projectProcedure("MEMBER")
  .input(ZRetryStepInput)
  .output(ZPipelineRunDto)
  .mutation(({ ctx, input }) => retry({ projectId: ctx.project.id, runId: input.runId, stepId: input.stepId, actor: ctx.actor }));
