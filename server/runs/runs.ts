import { db, type Prisma } from "../db";
import { AppError, isUniqueViolation, notFound } from "../errors";
import { recordAudit, type Actor } from "../audit/audit";
import { addEdge } from "../lineage/lineage";
import { flattenParams, mergeParams } from "./params";
import type { CreateRunInput, RunDto, RunStatus } from "./schemas";

const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;
const TERMINAL: RunStatus[] = ["FINISHED", "FAILED", "KILLED"];

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
    params: (r.params ?? {}) as Record<string, unknown>,
    tags: (r.tags ?? {}) as Record<string, string>,
    note: r.note,
    code: { repo: r.codeRepo, commit: r.codeCommit, dirty: r.codeDirty },
    environment: (r.environment as Record<string, unknown> | null) ?? null,
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

/** Finds an experiment by name, creating it when missing (concurrent creators agree on one row). */
async function experimentId(projectId: string, name: string): Promise<string> {
  const found = await db().experiment.findUnique({ where: { projectId_name: { projectId, name } } });
  if (found) return found.id;
  try {
    return (await db().experiment.create({ data: { projectId, name } })).id;
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return (await db().experiment.findUniqueOrThrow({ where: { projectId_name: { projectId, name } } })).id;
  }
}

/** Starts a run (or queues it), recording params, tags, code version, environment and input data. */
export async function createRun(args: CreateRunInput & { orgId: string; actor: Actor }): Promise<RunDto> {
  const params = flattenParams(args.params ?? {});
  const inputs = [...new Set(args.inputs ?? [])];
  if (inputs.length) {
    const found = await db().datasetVersion.count({ where: { id: { in: inputs }, projectId: args.projectId } });
    if (found !== inputs.length) throw notFound("Input dataset version");
  }
  const expId = await experimentId(args.projectId, args.experiment);
  for (let attempt = 0; ; attempt++) {
    try {
      return await db().$transaction(async (tx) => {
        const last = await tx.run.findFirst({ where: { experimentId: expId }, orderBy: { number: "desc" }, select: { number: true } });
        const number = (last?.number ?? 0) + 1;
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
    } catch (err) {
      if (!(isUniqueViolation(err) && attempt < 5)) throw err;
    }
  }
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
    const merged = mergeParams((rows[0]!.params ?? {}) as Record<string, unknown>, incoming);
    const run = await tx.run.update({ where: { id: args.runId }, data: { params: json(merged) }, include });
    return toRunDto(run);
  });
}

/** Adds or changes `tags`, removes `removeTags`, and sets the note when given. */
export async function setTags(args: { projectId: string; runId: string; tags: Record<string, string>; removeTags?: string[]; note?: string }): Promise<RunDto> {
  return db().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ tags: unknown }[]>`SELECT tags FROM "Run" WHERE id = ${args.runId} AND "projectId" = ${args.projectId} FOR UPDATE`;
    if (rows.length === 0) throw notFound("Run");
    const tags = { ...((rows[0]!.tags ?? {}) as Record<string, string>), ...args.tags };
    for (const key of args.removeTags ?? []) delete tags[key];
    const run = await tx.run.update({ where: { id: args.runId }, data: { tags: json(tags), ...(args.note !== undefined ? { note: args.note } : {}) }, include });
    return toRunDto(run);
  });
}

/** Ends a run; finishing it again with the same status is a no-op, with another status a conflict. */
export async function finishRun(args: { projectId: string; orgId: string; runId: string; status: RunStatus; actor: Actor }): Promise<RunDto> {
  const run = await runRow(args.projectId, args.runId);
  if (TERMINAL.includes(run.status)) {
    if (run.status === args.status) return toRunDto(run);
    throw new AppError("CONFLICT", `The run already ended as ${run.status}`);
  }
  const updated = await db().run.update({ where: { id: run.id }, data: { status: args.status, endedAt: new Date(), startedAt: run.startedAt ?? new Date() }, include });
  if (args.status === "KILLED") {
    await db().$transaction((tx) =>
      recordAudit(tx, { orgId: args.orgId, projectId: args.projectId, actor: args.actor, action: "run.kill", target: { type: "run", id: run.id, label: run.name } }),
    );
  }
  return toRunDto(updated);
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
