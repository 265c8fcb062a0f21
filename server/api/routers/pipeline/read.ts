import { z } from "zod";
import { getPipeline, getPipelineRevision, getWebhook, listPipelines } from "../../../pipelines/pipelines";
import { validatePipelineYaml } from "../../../pipelines/yaml";
import { ZListPipelinesInput, ZPipelineDetailDto, ZPipelineDto, ZPipelineRefInput, ZPipelineRevisionInput, ZPipelineRevisionYamlDto, ZValidateYamlDto, ZValidateYamlInput, ZWebhookDto } from "../../../pipelines/schemas";
import { projectProcedure } from "../../trpc";

export const list = projectProcedure("VIEWER")
  .input(ZListPipelinesInput)
  .output(z.array(ZPipelineDto))
  .query(({ ctx, input }) => listPipelines({ projectId: ctx.project.id, includeArchived: input.includeArchived }));

export const get = projectProcedure("VIEWER")
  .input(ZPipelineRefInput)
  .output(ZPipelineDetailDto)
  .query(({ ctx, input }) => getPipeline({ projectId: ctx.project.id, pipelineId: input.pipelineId }));

/** One revision's YAML, for the history on the pipeline page. */
export const revision = projectProcedure("VIEWER")
  .input(ZPipelineRevisionInput)
  .output(ZPipelineRevisionYamlDto)
  .query(({ ctx, input }) => getPipelineRevision({ projectId: ctx.project.id, pipelineId: input.pipelineId, number: input.number }));

/** Checks a cairn.yaml without saving it: located problems, or the steps and the next cron runs (the editor calls it as one types). */
export const validate = projectProcedure("VIEWER")
  .input(ZValidateYamlInput)
  .output(ZValidateYamlDto)
  .query(({ input }) => validatePipelineYaml(input.yaml));

/** The push webhook's URLs and secret: the secret lets anyone start runs, so maintainers only. */
export const webhook = projectProcedure("ADMIN")
  .input(ZPipelineRefInput)
  .output(ZWebhookDto)
  .query(({ ctx, input }) => getWebhook({ projectId: ctx.project.id, pipelineId: input.pipelineId }));
