/**
 * Starting pipeline runs (every trigger goes through startPipelineRun: manual, API, dataset, push,
 * cron, monitor) and reading them. Admission (concurrency, step rows, the first job) is the engine's.
 */
import { recordAudit, type Actor } from "../audit/audit";
import { db } from "../db";
import { AppError, notFound } from "../errors";
import { toJsonValue } from "../lib/stored-json";
import { admitRun, lockPipeline } from "./engine";
import { pipelineRunDto, pipelineRunDtos, RUN_DTO_INCLUDE } from "./run-dto";
import type { PipelineRunDto, TriggerKind } from "./schemas";
import type { PipelineSpec } from "./spec";
import { readSpec } from "./steps/plan";

type ParamValue = string | number | boolean;

/**
 * The run's params: the spec's defaults overridden by the caller's. A name the spec does not declare
 * is refused (a typo would otherwise run with the default silently). A string for a number or boolean
 * param is read as one ("300", "true"), so CLI flags and query strings work; anything else must match
 * the declared type.
 */
export function runParams(spec: PipelineSpec, given: Record<string, ParamValue>): Record<string, ParamValue> {
  const declared = spec.params;
  const out: Record<string, ParamValue> = { ...declared };
  const problems: string[] = [];
  for (const [name, value] of Object.entries(given)) {
    if (!Object.hasOwn(declared, name)) {
      problems.push(`"${name}" is not a param of this pipeline`);
      continue;
    }
    const want = typeof declared[name];
    const coerced = coerce(value, want);
    if (coerced === undefined) problems.push(`"${name}" must be a ${want} (like its default ${JSON.stringify(declared[name])}), got ${JSON.stringify(value)}`);
    else out[name] = coerced;
  }
  if (problems.length > 0) {
    const names = Object.keys(declared).sort();
    throw new AppError("BAD_REQUEST", `params: ${problems.join("; ")}. ${names.length ? `Declared params: ${names.join(", ")}` : "The pipeline declares no params"}`);
  }
  return out;
}

function coerce(value: ParamValue, want: string): ParamValue | undefined {
  if (typeof value === want) return value;
  if (typeof value !== "string") return undefined;
  if (want === "number" && /^\s*-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(value)) return Number(value);
  if (want === "boolean" && (value === "true" || value === "false")) return value === "true";
  return undefined;
}

const utcMidnight = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));

/**
 * Starts a run of the pipeline's current revision. Under the pipeline's row lock, so concurrent starts
 * get consecutive numbers, the budget counts every run, and one idempotency key makes one run.
 * A repeated key answers the first run with created=false. Archived pipeline = NOT_FOUND.
 */
export async function startPipelineRun(args: {
  projectId: string;
  pipelineId: string;
  trigger: TriggerKind;
  triggerInfo: Record<string, unknown>;
  params?: Record<string, ParamValue>;
  idempotencyKey?: string;
  actor: Actor;
}): Promise<{ run: PipelineRunDto; created: boolean }> {
  return db().$transaction(async (tx) => {
    const pipeline = await tx.pipeline.findFirst({ where: { id: args.pipelineId, projectId: args.projectId }, include: { project: { select: { orgId: true } } } });
    if (!pipeline) throw notFound("Pipeline");
    await lockPipeline(tx, pipeline.id);
    if (args.idempotencyKey !== undefined) {
      const first = await tx.pipelineRun.findUnique({ where: { pipelineId_idempotencyKey: { pipelineId: pipeline.id, idempotencyKey: args.idempotencyKey } }, select: { id: true } });
      if (first) return { run: await pipelineRunDto(args.projectId, first.id, tx), created: false };
    }
    if (pipeline.archivedAt) throw new AppError("NOT_FOUND", `Pipeline "${pipeline.name}" is archived; save its YAML again to restore it`);
    const revision = pipeline.currentRevisionId ? await tx.pipelineRevision.findUnique({ where: { id: pipeline.currentRevisionId } }) : null;
    if (!revision) throw notFound("Pipeline");
    const spec = readSpec(revision.spec);
    const params = runParams(spec, args.params ?? {});

    const now = new Date();
    if (spec.budget) {
      const today = await tx.pipelineRun.count({ where: { pipelineId: pipeline.id, createdAt: { gte: utcMidnight(now) } } });
      if (today >= spec.budget.maxRunsPerDay) {
        throw new AppError(
          "TOO_MANY_REQUESTS",
          `Pipeline "${pipeline.name}" has used its budget (budget.maxRunsPerDay: ${spec.budget.maxRunsPerDay} runs a day, ${today} today); the next run can start after 00:00 UTC`,
        );
      }
    }
    const last = await tx.pipelineRun.findFirst({ where: { pipelineId: pipeline.id }, orderBy: { number: "desc" }, select: { number: true } });
    const run = await tx.pipelineRun.create({
      data: {
        projectId: args.projectId,
        pipelineId: pipeline.id,
        revisionId: revision.id,
        number: (last?.number ?? 0) + 1,
        trigger: args.trigger,
        triggerInfo: toJsonValue(args.triggerInfo),
        params: toJsonValue(params),
        idempotencyKey: args.idempotencyKey ?? null,
        createdById: args.actor.id,
        createdAt: now,
      },
    });
    await admitRun(tx, run.id);
    await recordAudit(tx, {
      orgId: pipeline.project.orgId,
      projectId: args.projectId,
      actor: args.actor,
      action: "pipeline.run.start",
      target: { type: "pipeline_run", id: run.id, label: `${pipeline.name} #${run.number}` },
      after: toJsonValue({ trigger: args.trigger, revision: revision.number, params }),
    });
    return { run: await pipelineRunDto(args.projectId, run.id, tx), created: true };
  });
}

/** A run of the project, with its steps; another project's run is NOT_FOUND. */
export const getPipelineRun = (projectId: string, runId: string): Promise<PipelineRunDto> => pipelineRunDto(projectId, runId);

/** Run `number` of the pipeline (as the CLI and REST name runs). */
export async function getPipelineRunByNumber(projectId: string, pipelineId: string, number: number): Promise<PipelineRunDto> {
  const row = await db().pipelineRun.findFirst({ where: { projectId, pipelineId, number }, select: { id: true } });
  if (!row) throw new AppError("NOT_FOUND", `Pipeline run #${number} not found`);
  return pipelineRunDto(projectId, row.id);
}

/** Runs of the project (or of one pipeline), newest first; `cursor` is the last run id of the previous page. */
export async function listPipelineRuns(args: { projectId: string; pipelineId?: string; limit: number; cursor?: string }): Promise<PipelineRunDto[]> {
  if (args.pipelineId && !(await db().pipeline.findFirst({ where: { id: args.pipelineId, projectId: args.projectId }, select: { id: true } }))) throw notFound("Pipeline");
  if (args.cursor) {
    const exists = await db().pipelineRun.findFirst({ where: { id: args.cursor, projectId: args.projectId }, select: { id: true } });
    if (!exists) throw new AppError("BAD_REQUEST", "cursor: not a run of this project");
  }
  const rows = await db().pipelineRun.findMany({
    where: { projectId: args.projectId, ...(args.pipelineId ? { pipelineId: args.pipelineId } : {}) },
    // Within a pipeline the number is the order; across pipelines, creation time.
    orderBy: args.pipelineId ? [{ number: "desc" }] : [{ createdAt: "desc" }, { id: "desc" }],
    take: args.limit,
    ...(args.cursor ? { cursor: { id: args.cursor }, skip: 1 } : {}),
    include: RUN_DTO_INCLUDE,
  });
  return pipelineRunDtos(rows);
}
