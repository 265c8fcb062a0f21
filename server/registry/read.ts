/** Reading the registry: rows to DTOs, stored JSON parsed with its schema on the way out. */
import { db, type Prisma } from "../db";
import { notFound } from "../errors";
import { readStored } from "../lib/stored-json";
import { ZEncodingSpec } from "../ml/features/spec";
import { getModelByName, getModelRow } from "./lookup";
import { CHAMPION, ZModelTask } from "./names";
import { ZLineage, ZMetricsSnapshot, ZModelSignature, type AliasEventDto, type ModelDto, type ModelVersionDto, type VersionSummaryDto } from "./schemas";

type VersionRow = Prisma.ModelVersionGetPayload<object>;
type ModelRow = Prisma.RegisteredModelGetPayload<object>;

/** Display labels of user ids (and API token ids, for versions a token registered). */
export async function userLabels(ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((i): i is string => i !== null))];
  if (wanted.length === 0) return new Map();
  const [users, tokens] = await Promise.all([
    db().user.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true, email: true } }),
    db().apiToken.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } }),
  ]);
  return new Map([...users.map((u) => [u.id, u.name || u.email] as const), ...tokens.map((t) => [t.id, `token ${t.name}`] as const)]);
}

const summary = (v: VersionRow): VersionSummaryDto => ({
  id: v.id,
  number: v.number,
  sha256: v.sha256,
  createdAt: v.createdAt,
  archivedAt: v.archivedAt,
  metrics: v.metrics === null ? null : readStored(ZMetricsSnapshot, v.metrics, `metrics of model version ${v.id}`).metrics,
});

function toVersionDto(v: VersionRow, modelName: string, aliases: string[], labels: Map<string, string>): ModelVersionDto {
  const what = `model version ${v.id}`;
  return {
    id: v.id,
    modelId: v.modelId,
    model: modelName,
    number: v.number,
    sha256: v.sha256,
    sizeBytes: Number(v.sizeBytes),
    task: readStored(ZModelTask, v.task, `task of ${what}`),
    signature: readStored(ZModelSignature, v.signature, `signature of ${what}`),
    encoding: v.encoding === null ? null : readStored(ZEncodingSpec, v.encoding, `encoding spec of ${what}`),
    metrics: v.metrics === null ? null : readStored(ZMetricsSnapshot, v.metrics, `metrics of ${what}`),
    lineage: readStored(ZLineage, v.lineage, `lineage of ${what}`),
    runId: v.runId,
    aliases,
    description: v.description,
    createdBy: { id: v.createdById, label: labels.get(v.createdById) ?? v.createdById },
    createdAt: v.createdAt,
    archivedAt: v.archivedAt,
  };
}

async function versionDtos(rows: VersionRow[]): Promise<ModelVersionDto[]> {
  if (rows.length === 0) return [];
  const [models, aliases, labels] = await Promise.all([
    db().registeredModel.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.modelId))] } }, select: { id: true, name: true } }),
    db().modelAlias.findMany({ where: { versionId: { in: rows.map((r) => r.id) } }, orderBy: { name: "asc" } }),
    userLabels(rows.map((r) => r.createdById)),
  ]);
  const names = new Map(models.map((m) => [m.id, m.name]));
  return rows.map((r) => toVersionDto(r, names.get(r.modelId) ?? "", aliases.filter((a) => a.versionId === r.id).map((a) => a.name), labels));
}

/** One version by id, scoped to the project. */
export async function versionDto(projectId: string, versionId: string): Promise<ModelVersionDto> {
  const row = await db().modelVersion.findFirst({ where: { id: versionId, projectId } });
  if (!row) throw notFound("Model version");
  return (await versionDtos([row]))[0]!;
}

/** A model's versions, newest first. */
export async function listVersions(args: { projectId: string; modelId: string; includeArchived: boolean }): Promise<ModelVersionDto[]> {
  await getModelRow(args.projectId, args.modelId);
  const rows = await db().modelVersion.findMany({ where: { modelId: args.modelId, projectId: args.projectId, ...(args.includeArchived ? {} : { archivedAt: null }) }, orderBy: { number: "desc" } });
  return versionDtos(rows);
}

/** A version by its model's name and its number (REST paths). */
export async function versionByNumber(projectId: string, modelName: string, number: number): Promise<ModelVersionDto> {
  const model = await getModelByName(projectId, modelName);
  const row = await db().modelVersion.findFirst({ where: { projectId, modelId: model.id, number } });
  if (!row) throw notFound("Model version");
  return (await versionDtos([row]))[0]!;
}

async function modelDtos(models: ModelRow[]): Promise<ModelDto[]> {
  if (models.length === 0) return [];
  const ids = models.map((m) => m.id);
  const [aliases, latest, counts, experiments, labels] = await Promise.all([
    db().modelAlias.findMany({ where: { modelId: { in: ids } }, orderBy: { name: "asc" } }),
    db().modelVersion.findMany({ where: { modelId: { in: ids }, archivedAt: null }, orderBy: [{ modelId: "asc" }, { number: "desc" }], distinct: ["modelId"] }),
    db().modelVersion.groupBy({ by: ["modelId"], where: { modelId: { in: ids } }, _count: { _all: true } }),
    db().experiment.findMany({ where: { id: { in: models.map((m) => m.autoRegisterExperimentId).filter((e): e is string => e !== null) } }, select: { id: true, name: true } }),
    userLabels(models.map((m) => m.ownerId)),
  ]);
  const aliased = await db().modelVersion.findMany({ where: { id: { in: aliases.map((a) => a.versionId) } } });
  const byId = new Map([...aliased, ...latest].map((v) => [v.id, v]));
  const experimentNames = new Map(experiments.map((e) => [e.id, e.name]));
  return models.map((m) => {
    const own = aliases.filter((a) => a.modelId === m.id);
    const champion = own.find((a) => a.name === CHAMPION);
    const newest = latest.find((v) => v.modelId === m.id);
    return {
      id: m.id,
      name: m.name,
      description: m.description,
      task: readStored(ZModelTask, m.task, `task of model ${m.id}`),
      owner: m.ownerId ? { id: m.ownerId, label: labels.get(m.ownerId) ?? m.ownerId } : null,
      autoRegister: m.autoRegisterExperimentId ? { experimentId: m.autoRegisterExperimentId, experiment: experimentNames.get(m.autoRegisterExperimentId) ?? "" } : null,
      createdAt: m.createdAt,
      updatedAt: m.updatedAt,
      versionCount: counts.find((c) => c.modelId === m.id)?._count._all ?? 0,
      champion: champion && byId.has(champion.versionId) ? summary(byId.get(champion.versionId)!) : null,
      latest: newest ? summary(newest) : null,
      aliases: own.map((a) => ({ name: a.name, versionId: a.versionId, number: byId.get(a.versionId)?.number ?? 0, updatedAt: a.updatedAt })),
    };
  });
}

export async function listModels(args: { projectId: string; includeArchived: boolean }): Promise<ModelDto[]> {
  const rows = await db().registeredModel.findMany({ where: { projectId: args.projectId, ...(args.includeArchived ? {} : { archivedAt: null }) }, orderBy: { name: "asc" } });
  return modelDtos(rows);
}

/** A model by id or name, scoped to the project. */
export async function getModel(args: { projectId: string; modelId?: string; name?: string }): Promise<ModelDto> {
  const row = args.modelId ? await getModelRow(args.projectId, args.modelId) : await getModelByName(args.projectId, args.name ?? "");
  return (await modelDtos([row]))[0]!;
}

/** The alias moves of a model, newest first (the history timeline; rollback walks it back). */
export async function aliasHistory(args: { projectId: string; modelId: string; alias?: string; limit: number }): Promise<AliasEventDto[]> {
  await getModelRow(args.projectId, args.modelId);
  const rows = await db().modelAliasEvent.findMany({
    where: { modelId: args.modelId, ...(args.alias ? { alias: args.alias } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: args.limit,
  });
  const versionIds = rows.flatMap((r) => [r.fromVersionId, r.toVersionId]).filter((v): v is string => v !== null);
  const [versions, labels] = await Promise.all([
    db().modelVersion.findMany({ where: { id: { in: versionIds } }, select: { id: true, number: true } }),
    userLabels(rows.map((r) => r.actorId)),
  ]);
  const numbers = new Map(versions.map((v) => [v.id, v.number]));
  // A deleted version keeps its place in history with no number.
  const ref = (id: string | null) => (id ? { id, number: numbers.get(id) ?? null } : null);
  return rows.map((r) => ({
    id: r.id,
    alias: r.alias,
    kind: r.kind,
    from: ref(r.fromVersionId),
    to: ref(r.toVersionId),
    reason: r.reason,
    gateReportId: r.gateReportId,
    actor: r.actorId ? { id: r.actorId, label: labels.get(r.actorId) ?? r.actorId } : null,
    createdAt: r.createdAt,
  }));
}
