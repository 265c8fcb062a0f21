/**
 * MLflow's model registry on Cairn's: registered models are Cairn models, model versions are ONNX
 * files of a run registered through the registry's own services (signature read, lineage recorded,
 * gates run), aliases are Cairn aliases. `champion` is never moved here: only promotion (gate report
 * and approvals) moves it, so setting or deleting it through MLflow is refused.
 */
import { db } from "../db";
import { AppError, notFound } from "../errors";
import type { Actor } from "../audit/audit";
import { removeAlias, setAlias } from "../registry/aliases";
import { getModelByName, getModelVersionByNumber } from "../registry/lookup";
import { createModel } from "../registry/models";
import { ZAliasName, ZModelName, ZModelTask, type ModelTask } from "../registry/names";
import { getModel, listModels, listVersions, versionDto } from "../registry/read";
import type { ModelDto, ModelVersionDto } from "../registry/schemas";
import { MlflowError } from "./errors";
import { TASK_TAG } from "./versions";
import { pageOffset, pageToken, parseMlflowFilter, parseOrderBy, textClauseMatches } from "./filter";
import { registerFromSource } from "./versions";

interface Scope {
  projectId: string;
  orgId: string;
  actor: Actor;
}


async function sourceOf(v: ModelVersionDto): Promise<string> {
  if (!v.runId) return `models:/${v.model}/${v.number}`;
  const artifact = await db().runArtifact.findFirst({ where: { runId: v.runId, sha256: v.sha256 }, select: { path: true } });
  return `runs:/${v.runId}/${artifact?.path ?? ""}`;
}

export async function mlflowVersion(v: ModelVersionDto) {
  return {
    name: v.model,
    version: String(v.number),
    creation_timestamp: v.createdAt.getTime(),
    last_updated_timestamp: (v.archivedAt ?? v.createdAt).getTime(),
    user_id: v.createdBy.label,
    current_stage: "None",
    description: v.description,
    source: await sourceOf(v),
    ...(v.runId ? { run_id: v.runId } : {}),
    status: "READY",
    status_message: "",
    tags: [],
    aliases: v.aliases,
  };
}

async function mlflowModel(projectId: string, m: ModelDto) {
  return {
    name: m.name,
    creation_timestamp: m.createdAt.getTime(),
    last_updated_timestamp: m.updatedAt.getTime(),
    description: m.description,
    latest_versions: m.latest ? [await mlflowVersion(await versionDto(projectId, m.latest.id))] : [],
    tags: [{ key: TASK_TAG, value: m.task }],
    aliases: m.aliases.map((a) => ({ alias: a.name, version: String(a.number) })),
  };
}

/** A model name as Cairn accepts them (lowercase, digits, . _ -), refused with MLflow's code otherwise. */
const modelName = (name: string) => ZModelName.parse(name);

export async function createRegisteredModel(args: Scope & { name: string; description?: string; tags: { key: string; value: string }[] }) {
  const name = modelName(args.name);
  const taskTag = args.tags.find((t) => t.key === TASK_TAG)?.value;
  const task: ModelTask = taskTag === undefined ? "regression" : ZModelTask.parse(taskTag);
  if (await db().registeredModel.findUnique({ where: { projectId_name: { projectId: args.projectId, name } }, select: { id: true } })) {
    throw new MlflowError("RESOURCE_ALREADY_EXISTS", `Registered Model (name=${name}) already exists.`);
  }
  const model = await createModel({ projectId: args.projectId, orgId: args.orgId, actor: args.actor, name, task, description: args.description ?? "" }).catch((err: unknown) => {
    if (err instanceof AppError && err.code === "CONFLICT") throw new MlflowError("RESOURCE_ALREADY_EXISTS", `Registered Model (name=${name}) already exists.`);
    throw err;
  });
  return { registered_model: await mlflowModel(args.projectId, model) };
}

export async function getRegisteredModel(projectId: string, name: string) {
  return { registered_model: await mlflowModel(projectId, await getModel({ projectId, name: modelName(name) })) };
}

function paged<T>(items: T[], maxResults: number, token: string | undefined) {
  const offset = pageOffset(token);
  const page = items.slice(offset, offset + maxResults);
  return { page, next: offset + page.length < items.length ? pageToken(offset + page.length) : undefined };
}

/**
 * MLflow 2's latest version per stage. Cairn has aliases, not stages: every version is in stage
 * "None", so the answer is the newest version when "None" (or no stage) is asked for.
 */
export async function latestVersions(projectId: string, name: string, stages: string[]) {
  const model = await getModel({ projectId, name: modelName(name) });
  const wanted = stages.length === 0 || stages.some((s) => s.toLowerCase() === "none");
  return { model_versions: wanted && model.latest ? [await mlflowVersion(await versionDto(projectId, model.latest.id))] : [] };
}

/** Models by name (=, !=, LIKE, ILIKE, IN), ordered by name or last update. */
export async function searchRegisteredModels(args: { projectId: string; filter?: string; orderBy: string[]; maxResults: number; pageToken?: string }) {
  const clauses = parseMlflowFilter(args.filter);
  for (const c of clauses) if (c.key.toLowerCase() !== "name") throw new MlflowError("INVALID_PARAMETER_VALUE", `Registered models are searched by name only, not by ${c.key}`);
  let models = (await listModels({ projectId: args.projectId, includeArchived: false })).filter((m) => clauses.every((c) => textClauseMatches(c, m.name)));
  const order = args.orderBy[0] ? parseOrderBy(args.orderBy[0]) : { key: "name", dir: "asc" as const };
  const by = order.key.toLowerCase();
  if (by !== "name" && by !== "last_updated_timestamp" && by !== "timestamp") throw new MlflowError("INVALID_PARAMETER_VALUE", `Registered models are ordered by name or last_updated_timestamp, not ${order.key}`);
  models = models.sort((a, b) => (by === "name" ? a.name.localeCompare(b.name) : a.updatedAt.getTime() - b.updatedAt.getTime()) * (order.dir === "asc" ? 1 : -1));
  const { page, next } = paged(models, args.maxResults, args.pageToken);
  return { registered_models: await Promise.all(page.map((m) => mlflowModel(args.projectId, m))), ...(next ? { next_page_token: next } : {}) };
}

/** Versions by model name and run id (=, !=, LIKE, IN on name; =, IN on run_id), newest first. */
export async function searchModelVersions(args: { projectId: string; filter?: string; orderBy: string[]; maxResults: number; pageToken?: string }) {
  const clauses = parseMlflowFilter(args.filter);
  for (const c of clauses) {
    if (!["name", "run_id"].includes(c.key.toLowerCase())) throw new MlflowError("INVALID_PARAMETER_VALUE", `Model versions are searched by name and run_id, not by ${c.key}`);
  }
  const nameClauses = clauses.filter((c) => c.key.toLowerCase() === "name");
  const runClauses = clauses.filter((c) => c.key.toLowerCase() === "run_id");
  const models = (await listModels({ projectId: args.projectId, includeArchived: false })).filter((m) => nameClauses.every((c) => textClauseMatches(c, m.name)));
  const versions = (await Promise.all(models.map((m) => listVersions({ projectId: args.projectId, modelId: m.id, includeArchived: false }))))
    .flat()
    .filter((v) => runClauses.every((c) => textClauseMatches(c, v.runId ?? "")));
  const desc = !args.orderBy[0] || parseOrderBy(args.orderBy[0]).dir === "desc";
  versions.sort((a, b) => (a.createdAt.getTime() - b.createdAt.getTime() || a.number - b.number) * (desc ? -1 : 1));
  const { page, next } = paged(versions, args.maxResults, args.pageToken);
  return { model_versions: await Promise.all(page.map(mlflowVersion)), ...(next ? { next_page_token: next } : {}) };
}

export async function getMlflowModelVersion(projectId: string, name: string, version: string) {
  const model = await getModelByName(projectId, modelName(name));
  const row = await getModelVersionByNumber(projectId, model.id, Number(version));
  return { model_version: await mlflowVersion(await versionDto(projectId, row.id)) };
}

/** Registers a run's ONNX file (named by `source`) as the next version of an existing model. */
export async function createMlflowModelVersion(args: Scope & { name: string; source: string; runId?: string; description?: string }) {
  const name = modelName(args.name);
  const result = await registerFromSource({ ...args, name });
  return { model_version: await mlflowVersion(await versionDto(args.projectId, result.version.id)) };
}

async function aliasTarget(projectId: string, name: string, alias: string) {
  const model = await getModelByName(projectId, modelName(name));
  return { model, alias: ZAliasName.parse(alias) };
}

/** Points an alias at a version; `champion` is refused (promotion moves it) with the registry's own message. */
export async function setMlflowAlias(args: Scope & { name: string; alias: string; version: string }) {
  const { model, alias } = await aliasTarget(args.projectId, args.name, args.alias);
  const version = await getModelVersionByNumber(args.projectId, model.id, Number(args.version));
  await setAlias({ projectId: args.projectId, orgId: args.orgId, actor: args.actor, versionId: version.id, alias });
  return {};
}

export async function deleteMlflowAlias(args: Scope & { name: string; alias: string }) {
  const { model, alias } = await aliasTarget(args.projectId, args.name, args.alias);
  await removeAlias({ projectId: args.projectId, orgId: args.orgId, actor: args.actor, modelId: model.id, alias });
  return {};
}

export async function getVersionByAlias(projectId: string, name: string, alias: string) {
  const target = await aliasTarget(projectId, name, alias);
  const row = await db().modelAlias.findUnique({ where: { modelId_name: { modelId: target.model.id, name: target.alias } }, select: { versionId: true } });
  if (!row) throw notFound(`Alias '${target.alias}' of ${target.model.name}`);
  return { model_version: await mlflowVersion(await versionDto(projectId, row.versionId)) };
}
