/**
 * Contracts of the pipelines domain: procedure inputs and the DTOs the UI, REST, the CLI and tests read.
 * The pipeline definition itself (cairn.yaml) is spec.ts.
 */
import { z } from "zod";
import { ZId } from "../lib/ids";
import { ZStepKind } from "./spec";

export const PIPELINE_RUN_STATUSES = ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"] as const;
export const ZPipelineRunStatus = z.enum(PIPELINE_RUN_STATUSES);
export type PipelineRunStatus = z.infer<typeof ZPipelineRunStatus>;
export const TERMINAL_RUN_STATUSES: readonly PipelineRunStatus[] = ["SUCCEEDED", "FAILED", "CANCELLED"];

export const STEP_STATUSES = ["PENDING", "RUNNING", "SUCCEEDED", "FAILED", "SKIPPED", "CANCELLED", "CACHED"] as const;
export const ZStepStatus = z.enum(STEP_STATUSES);
export type StepStatus = z.infer<typeof ZStepStatus>;

export const TRIGGER_KINDS = ["manual", "api", "dataset", "push", "cron", "monitor"] as const;
export const ZTriggerKind = z.enum(TRIGGER_KINDS);
export type TriggerKind = z.infer<typeof ZTriggerKind>;

/** A problem in a pipeline's YAML, located for the editor (1-based line and column; 0 when unknown). */
export const ZYamlProblem = z.object({ line: z.number().int(), column: z.number().int(), path: z.string(), message: z.string() });
export type YamlProblem = z.infer<typeof ZYamlProblem>;

/** Keys the triggers give their runs (server/pipelines/triggers); a caller's key may not take one of them. */
export const TRIGGER_KEY = /^(dataset|push|cron|monitor):/;

const ZYaml = z.string().min(1, "the pipeline YAML is empty").max(200_000, "a pipeline YAML has at most 200,000 characters");
const ZParams = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

export const ZListPipelinesInput = z.object({ projectId: ZId, includeArchived: z.boolean().default(false) });
export const ZValidateYamlInput = z.object({ projectId: ZId, yaml: ZYaml });
export const ZSavePipelineInput = z.object({ projectId: ZId, yaml: ZYaml, source: z.enum(["ui", "cli", "api"]).default("ui") });
export const ZPipelineRefInput = z.object({ projectId: ZId, pipelineId: ZId });
export const ZStartPipelineRunInput = ZPipelineRefInput.extend({
  params: ZParams.default({}),
  /** A second start with the same key answers the first run instead of starting another. */
  idempotencyKey: z
    .string()
    .min(1)
    .max(200)
    .refine((k) => !TRIGGER_KEY.test(k), "idempotency keys starting with dataset:, push:, cron: or monitor: are reserved for triggers")
    .optional(),
});
export type StartPipelineRunInput = z.infer<typeof ZStartPipelineRunInput>;
export const ZListPipelineRunsInput = z.object({
  projectId: ZId,
  pipelineId: ZId.optional(),
  limit: z.number().int().min(1).max(200).default(50),
  /** Id of the last run of the previous page. */
  cursor: ZId.optional(),
});
export const ZPipelineRunRefInput = z.object({ projectId: ZId, runId: ZId });
export const ZRetryStepInput = ZPipelineRunRefInput.extend({ stepId: z.string().min(1).max(63) });

/** Answer of pipeline.validate: the problems, or the parsed spec with the cron trigger's next runs. */
export const ZValidateYamlDto = z.object({
  ok: z.boolean(),
  problems: z.array(ZYamlProblem),
  name: z.string().nullable(),
  steps: z.array(z.object({ id: z.string(), kind: ZStepKind, needs: z.array(z.string()), condition: z.string().nullable() })),
  /** Next times (ISO, UTC) the cron trigger fires; empty without one. */
  nextCronRuns: z.array(z.string()),
});
export type ValidateYamlDto = z.infer<typeof ZValidateYamlDto>;

export const ZPipelineRevisionDto = z.object({ id: z.string(), number: z.number().int(), sha256: z.string(), source: z.string(), createdAt: z.date() });
/** pipeline.revision: one revision (an older one too) with its YAML. */
export const ZPipelineRevisionInput = z.object({ projectId: ZId, pipelineId: ZId, number: z.number().int().min(1) });
export const ZPipelineRevisionYamlDto = ZPipelineRevisionDto.extend({ yaml: z.string() });

export const ZPipelineRunSummaryDto = z.object({
  id: z.string(),
  number: z.number().int(),
  status: ZPipelineRunStatus,
  trigger: ZTriggerKind,
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
});

export const ZPipelineDto = z.object({
  id: z.string(),
  projectId: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  revision: ZPipelineRevisionDto,
  /** The triggers of the current revision, in words and as written, e.g. { kind: "cron", detail: "0 3 * * *" }. */
  triggers: z.array(z.object({ kind: z.enum(["dataset", "push", "cron", "monitor"]), detail: z.string() })),
  concurrency: z.enum(["queue", "cancel-previous"]),
  maxRunsPerDay: z.number().int().nullable(),
  nextCronAt: z.date().nullable(),
  lastRun: ZPipelineRunSummaryDto.nullable(),
  /** Set when archived: no trigger starts it; its runs and revisions stay readable. */
  archivedAt: z.date().nullable(),
  createdAt: z.date(),
});
export type PipelineDto = z.infer<typeof ZPipelineDto>;

/** pipeline.get: the DTO with the YAML of the current revision, all revisions and the next cron runs. */
export const ZPipelineDetailDto = ZPipelineDto.extend({
  yaml: z.string(),
  revisions: z.array(ZPipelineRevisionDto),
  nextCronRuns: z.array(z.string()),
});
export type PipelineDetailDto = z.infer<typeof ZPipelineDetailDto>;

/** What a step produced, for links on the run page (every field optional; a step fills its own). */
export const ZStepOutputs = z.object({
  datasetVersionId: z.string().optional(),
  runId: z.string().optional(),
  evaluationId: z.string().optional(),
  modelId: z.string().optional(),
  modelName: z.string().optional(),
  modelVersionId: z.string().optional(),
  modelVersion: z.number().int().optional(),
  gateReportId: z.string().optional(),
  /** gate: whether the gate passed. */
  passed: z.boolean().optional(),
  deploymentId: z.string().optional(),
  deploymentName: z.string().optional(),
});
export type StepOutputs = z.infer<typeof ZStepOutputs>;

export const ZStepRunDto = z.object({
  id: z.string(),
  stepId: z.string(),
  kind: ZStepKind,
  status: ZStepStatus,
  attempt: z.number().int(),
  needs: z.array(z.string()),
  condition: z.string().nullable(),
  resources: z.enum(["cpu", "gpu"]),
  timeoutSeconds: z.number().int().nullable(),
  inputHash: z.string().nullable(),
  /** The pipeline run (id and number) whose step outputs were reused, when CACHED. */
  cachedFrom: z.object({ runId: z.string(), number: z.number().int() }).nullable(),
  outputs: ZStepOutputs.nullable(),
  message: z.string().nullable(),
  log: z.array(z.string()),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
});
export type StepRunDto = z.infer<typeof ZStepRunDto>;

export const ZPipelineRunDto = ZPipelineRunSummaryDto.extend({
  projectId: z.string(),
  pipelineId: z.string(),
  pipelineName: z.string(),
  revisionNumber: z.number().int(),
  triggerInfo: z.record(z.string(), z.unknown()),
  params: ZParams,
  error: z.string().nullable(),
  startedAt: z.date().nullable(),
  steps: z.array(ZStepRunDto),
});
export type PipelineRunDto = z.infer<typeof ZPipelineRunDto>;

/** pipeline.webhook: where GitHub/GitLab send pushes and the secret they sign or send with them. */
export const ZWebhookDto = z.object({ githubUrl: z.string(), gitlabUrl: z.string(), secret: z.string() });
