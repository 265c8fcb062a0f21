/** The one conversion of a pipeline run and its step rows into the DTO every reader gets. */
import { db, type Prisma, type Tx } from "../db";
import { notFound } from "../errors";
import { readStored } from "../lib/stored-json";
import { ZPipelineRunStatus, ZStepOutputs, ZStepStatus, ZTriggerKind, type PipelineRunDto } from "./schemas";
import { ZStepKind } from "./spec";
import { z } from "zod";
import { readSpec, stepNeeds } from "./steps/plan";

const ZParams = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
const ZInfo = z.record(z.string(), z.unknown());

/** What a run's DTO is made from: the run with its step rows, revision and pipeline name. */
export const RUN_DTO_INCLUDE = { steps: true, revision: { select: { number: true, spec: true } }, pipeline: { select: { name: true } } } satisfies Prisma.PipelineRunInclude;
type RunRow = Prisma.PipelineRunGetPayload<{ include: typeof RUN_DTO_INCLUDE }>;

/** A project's pipeline run as its DTO; another project's run is NOT_FOUND. */
export async function pipelineRunDto(projectId: string, runId: string, tx?: Tx): Promise<PipelineRunDto> {
  const run = await (tx ?? db()).pipelineRun.findFirst({ where: { id: runId, projectId }, include: RUN_DTO_INCLUDE });
  if (!run) throw notFound("Pipeline run");
  return (await pipelineRunDtos([run], tx))[0]!;
}

/** Runs (loaded with RUN_DTO_INCLUDE) as DTOs, in the given order; the runs their cached steps came from are read in one query. */
export async function pipelineRunDtos(runs: RunRow[], tx?: Tx): Promise<PipelineRunDto[]> {
  const cachedIds = runs.flatMap((r) => r.steps.map((s) => s.cachedFromId)).filter((id): id is string => id !== null);
  const sources = cachedIds.length
    ? await (tx ?? db()).pipelineStepRun.findMany({ where: { id: { in: cachedIds } }, select: { id: true, run: { select: { id: true, number: true } } } })
    : [];
  const sourceOf = new Map(sources.map((s) => [s.id, s.run]));
  return runs.map((run) => toDto(run, sourceOf));
}

function toDto(run: RunRow, sourceOf: ReadonlyMap<string, { id: string; number: number }>): PipelineRunDto {
  const spec = readSpec(run.revision.spec);
  const rows = new Map(run.steps.map((s) => [s.stepId, s]));
  return {
    id: run.id,
    number: run.number,
    status: ZPipelineRunStatus.parse(run.status),
    trigger: ZTriggerKind.parse(run.trigger),
    createdAt: run.createdAt,
    finishedAt: run.finishedAt,
    projectId: run.projectId,
    pipelineId: run.pipelineId,
    pipelineName: run.pipeline.name,
    revisionNumber: run.revision.number,
    triggerInfo: readStored(ZInfo, run.triggerInfo, "pipeline run trigger"),
    params: readStored(ZParams, run.params, "pipeline run params"),
    error: run.error,
    startedAt: run.startedAt,
    // Spec order, which is the order the steps run in; a row is there for every step once admitted.
    steps: spec.steps.flatMap((step) => {
      const row = rows.get(step.id);
      if (!row) return [];
      const from = row.cachedFromId ? sourceOf.get(row.cachedFromId) : undefined;
      return [
        {
          id: row.id,
          stepId: row.stepId,
          kind: ZStepKind.parse(row.kind),
          status: ZStepStatus.parse(row.status),
          attempt: row.attempt,
          needs: stepNeeds(spec, step.id),
          condition: step.if ?? null,
          resources: step.resources,
          timeoutSeconds: step.timeout ?? null,
          inputHash: row.inputHash,
          cachedFrom: from ? { runId: from.id, number: from.number } : null,
          outputs: row.outputs === null ? null : readStored(ZStepOutputs, row.outputs, "step outputs"),
          message: row.message,
          log: row.log,
          startedAt: row.startedAt,
          finishedAt: row.finishedAt,
        },
      ];
    }),
  };
}
