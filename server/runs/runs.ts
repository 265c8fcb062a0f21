import { db, type Prisma } from "../db";
import { AppError, notFound } from "../errors";
import { ensureExperiment, nextRunNumber } from "./numbers";
import type { Actor } from "../audit/audit";
import { addEdge } from "../lineage/lineage";
import { flattenParams, mergeParams } from "./params";
import { transitionRun } from "./transitions";
import { readStored } from "../lib/stored-json";
import { ZStoredEnvironment, ZStoredParams, ZStoredTags, type CreateRunInput, type RunDto, type RunStatus } from "./schemas";

const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;

type RunRow = Prisma.RunGetPayload<{ include: { experiment: { select: { name: true } }; series: true } }>;

export function toRunDto(r: RunRow): RunDto {
  return {
    id: r.id,
    projectId: r.projectId,
    experimentId: r.experimentId,
    experiment: r.experiment.name,
    number: r.number,
    name: r.name,
    status: r.status,
    params: readStored(ZStoredParams, r.params, `params of run ${r.id}`),
    tags: readStored(ZStoredTags, r.tags, `tags of run ${r.id}`),
    note: r.note,
    code: { repo: r.codeRepo, commit: r.codeCommit, dirty: r.codeDirty },
    environment: r.environment === null ? null : readStored(ZStoredEnvironment, r.environment, `environment of run ${r.id}`),
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    archivedAt: r.archivedAt,
    metrics: r.series
      .map((s) => ({ key: s.key, count: s.count, last: s.lastValue, lastStep: s.lastStep === null ? null : Number(s.lastStep), min: s.minValue, max: s.maxValue }))
      .sort((a, b) => a.key.localeCompare(b.key)),
  };
}

const include = { experiment: { select: { name: true } }, series: true } as const;

/** Starts a run (or queues it), recording params, tags, code version, environment and input data. */
export async function createRun(args: CreateRunInput & { orgId: string; actor: Actor }): Promise<RunDto> {
  const params = flattenParams(args.params ?? {});
  const inputs = [...new Set(args.inputs ?? [])];
  if (inputs.length) {
    const found = await db().datasetVersion.count({ where: { id: { in: inputs }, projectId: args.projectId } });
    if (found !== inputs.length) throw notFound("Input dataset version");
  }
  const expId = await ensureExperiment(args.projectId, args.experiment);
  return db().$transaction(async (tx) => {
    const number = await nextRunNumber(tx, expId);
    const run = await tx.run.create({
      data: {
        projectId: args.projectId,
        experimentId: expId,
        number,
        name: args.name ?? `run-${number}`,
        status: args.status,
        params: json(params),
        tags: json(args.tags ?? {}),
        note: args.note ?? "",
        codeRepo: args.code?.repo ?? null,
        codeCommit: args.code?.commit ?? null,
        codeDirty: args.code?.dirty ?? null,
        environment: args.environment ? json(args.environment) : undefined,
        createdBy: args.actor.label,
        startedAt: args.status === "RUNNING" ? new Date() : null,
      },
      include,
    });
    for (const versionId of inputs) {
      await addEdge(tx, { projectId: args.projectId, from: { kind: "run", id: run.id }, to: { kind: "dataset_version", id: versionId }, relation: "trained_on" });
    }
    return toRunDto(run);
  });
}

async function runRow(projectId: string, runId: string) {
  const run = await db().run.findFirst({ where: { id: runId, projectId }, include });
  if (!run) throw notFound("Run");
  return run;
}

export async function logParams(args: { projectId: string; runId: string; params: Record<string, unknown> }): Promise<RunDto> {
  const incoming = flattenParams(args.params);
  return db().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ params: unknown }[]>`SELECT params FROM "Run" WHERE id = ${args.runId} AND "projectId" = ${args.projectId} FOR UPDATE`;
    if (rows.length === 0) throw notFound("Run");
    const merged = mergeParams(readStored(ZStoredParams, rows[0]!.params, `params of run ${args.runId}`), incoming);
    const run = await tx.run.update({ where: { id: args.runId }, data: { params: json(merged) }, include });
    return toRunDto(run);
  });
}

/** Adds or changes `tags`, removes `removeTags`, and sets the note when given. */
export async function setTags(args: { projectId: string; runId: string; tags: Record<string, string>; removeTags?: string[]; note?: string }): Promise<RunDto> {
  return db().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ tags: unknown }[]>`SELECT tags FROM "Run" WHERE id = ${args.runId} AND "projectId" = ${args.projectId} FOR UPDATE`;
    if (rows.length === 0) throw notFound("Run");
    const tags = { ...readStored(ZStoredTags, rows[0]!.tags, `tags of run ${args.runId}`), ...args.tags };
    for (const key of args.removeTags ?? []) delete tags[key];
    const run = await tx.run.update({ where: { id: args.runId }, data: { tags: json(tags), ...(args.note !== undefined ? { note: args.note } : {}) }, include });
    return toRunDto(run);
  });
}

/** Ends a run; finishing it again with the same status is a no-op, with another status a conflict. */
export async function finishRun(args: { projectId: string; orgId: string; runId: string; status: RunStatus; actor: Actor }): Promise<RunDto> {
  return db().$transaction(async (tx) => {
    const run = await tx.run.findFirst({ where: { id: args.runId, projectId: args.projectId }, select: { startedAt: true, kind: true } });
    if (!run) throw notFound("Run");
    // The worker ends a run it trains, after checking the model; its command's token (or anyone) marking
    // it FINISHED would publish a run without one.
    if (run.kind === "TRAINING") throw new AppError("FORBIDDEN", "A training run is ended by the worker that trains it; stop it with training.cancel");
    const moved = await transitionRun(tx, {
      runId: args.runId,
      from: ["QUEUED", "RUNNING"],
      to: args.status,
      actor: args.actor,
      orgId: args.orgId,
      action: args.status === "KILLED" ? "run.kill" : "run.finish",
      data: { endedAt: new Date(), startedAt: run.startedAt ?? new Date() },
    });
    if (!moved.changed && moved.current !== args.status) throw new AppError("CONFLICT", `The run already ended as ${moved.current}`);
    return toRunDto(await tx.run.findUniqueOrThrow({ where: { id: args.runId }, include }));
  });
}

export async function getRunDetail(projectId: string, runId: string) {
  const run = await runRow(projectId, runId);
  const [edges, artifacts] = await Promise.all([
    db().lineageEdge.findMany({ where: { projectId, fromKind: "run", fromId: run.id, toKind: "dataset_version" } }),
    db().runArtifact.findMany({ where: { runId: run.id }, orderBy: { path: "asc" } }),
  ]);
  const versions = await db().datasetVersion.findMany({
    where: { id: { in: edges.map((e) => e.toId) }, projectId },
    select: { id: true, datasetId: true, number: true, dataset: { select: { slug: true } } },
  });
  return {
    ...toRunDto(run),
    inputs: versions.map((v) => ({ versionId: v.id, datasetId: v.datasetId, datasetSlug: v.dataset.slug, number: v.number })),
    artifacts: artifacts.map((a) => ({ path: a.path, sizeBytes: Number(a.sizeBytes), contentType: a.contentType, createdAt: a.createdAt })),
  };
}

export async function listExperiments(projectId: string) {
  const rows = await db().experiment.findMany({
    where: { projectId },
    include: { _count: { select: { runs: true } }, runs: { orderBy: { createdAt: "desc" }, take: 1, select: { createdAt: true } } },
    orderBy: { name: "asc" },
  });
  return rows.map((e) => ({ id: e.id, name: e.name, description: e.description, runCount: e._count.runs, lastRunAt: e.runs[0]?.createdAt ?? null }));
}

/** Loads runs by id within a project, in the given order (for the compare view). */
export async function runsByIds(projectId: string, ids: string[]): Promise<RunDto[]> {
  const rows = await db().run.findMany({ where: { projectId, id: { in: ids } }, include });
  if (rows.length !== new Set(ids).size) throw notFound("Run");
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => toRunDto(byId.get(id)!));
}
