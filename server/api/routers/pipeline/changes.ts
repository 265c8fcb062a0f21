import { archivePipeline, rotateWebhookSecret as rotate, savePipeline } from "../../../pipelines/pipelines";
import { ZPipelineDetailDto, ZPipelineDto, ZPipelineRefInput, ZSavePipelineInput, ZWebhookDto } from "../../../pipelines/schemas";
import { projectProcedure } from "../../trpc";

/** Saves a cairn.yaml (a new revision only when the text changed); refused YAML carries its located problems in error.data.details.problems. */
export const save = projectProcedure("MEMBER")
  .input(ZSavePipelineInput)
  .output(ZPipelineDetailDto)
  .mutation(({ ctx, input }) => savePipeline({ projectId: ctx.project.id, yaml: input.yaml, source: input.source, actor: ctx.actor }));

export const archive = projectProcedure("MEMBER")
  .input(ZPipelineRefInput)
  .output(ZPipelineDto)
  .mutation(({ ctx, input }) => archivePipeline({ projectId: ctx.project.id, pipelineId: input.pipelineId, actor: ctx.actor }));

export const rotateWebhookSecret = projectProcedure("ADMIN")
  .input(ZPipelineRefInput)
  .output(ZWebhookDto)
  .mutation(({ ctx, input }) => rotate({ projectId: ctx.project.id, pipelineId: input.pipelineId, actor: ctx.actor }));
