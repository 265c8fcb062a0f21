/** Environments of a project (staging, production, custom) and the gate state each lets take traffic. */
import type { Actor } from "../audit/audit";
import { recordAudit } from "../audit/audit";
import { db, type Tx } from "../db";
import { AppError, isUniqueViolation, notFound } from "../errors";
import { readStored } from "../lib/stored-json";
import { ZEnvironmentRequirement, type EnvironmentDto, type EnvironmentRequirement } from "./schemas";

/** The environments a project gets without asking; production is the strictest so a forgotten policy never lets an unreviewed version in. */
export const DEFAULT_ENVIRONMENTS: Readonly<Record<string, EnvironmentRequirement>> = { staging: "none", production: "approved" };

type Row = { id: string; projectId: string; name: string; requires: string; createdAt: Date; updatedAt: Date; _count: { deployments: number } };

const toDto = (r: Row): EnvironmentDto => ({
  id: r.id,
  projectId: r.projectId,
  name: r.name,
  requires: readStored(ZEnvironmentRequirement, r.requires, "environment requirement"),
  deploymentCount: r._count.deployments,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

const withCount = { _count: { select: { deployments: true } } } as const;

/** Creates the default environments the project lacks (all of them, or only `only`); safe to race. */
export async function ensureDefaultEnvironments(tx: Tx, projectId: string, only?: string): Promise<void> {
  const names = Object.keys(DEFAULT_ENVIRONMENTS).filter((n) => only === undefined || n === only);
  await tx.environment.createMany({ data: names.map((name) => ({ projectId, name, requires: DEFAULT_ENVIRONMENTS[name]! })), skipDuplicates: true });
}

/** The project's environments by name; a project that has none yet gets the defaults first. */
export async function listEnvironments(args: { projectId: string }): Promise<EnvironmentDto[]> {
  const existing = await db().environment.count({ where: { projectId: args.projectId } });
  if (existing === 0) await ensureDefaultEnvironments(db(), args.projectId);
  const rows = await db().environment.findMany({ where: { projectId: args.projectId }, include: withCount, orderBy: { name: "asc" } });
  return rows.map(toDto);
}

/** The environment called `name`, creating it when it is one of the defaults; NOT_FOUND otherwise. */
export async function environmentByName(tx: Tx, projectId: string, name: string) {
  // A project's first environment brings the other defaults with it, as listing them would.
  if (name in DEFAULT_ENVIRONMENTS) await ensureDefaultEnvironments(tx, projectId, (await tx.environment.count({ where: { projectId } })) === 0 ? undefined : name);
  const row = await tx.environment.findUnique({ where: { projectId_name: { projectId, name } } });
  if (!row) throw notFound(`Environment "${name}"`);
  return { ...row, requires: readStored(ZEnvironmentRequirement, row.requires, "environment requirement") };
}

export async function createEnvironment(args: { orgId: string; projectId: string; name: string; requires: EnvironmentRequirement; actor: Actor }): Promise<EnvironmentDto> {
  try {
    return await db().$transaction(async (tx) => {
      const row = await tx.environment.create({ data: { projectId: args.projectId, name: args.name, requires: args.requires }, include: withCount });
      await recordAudit(tx, {
        orgId: args.orgId,
        projectId: args.projectId,
        actor: args.actor,
        action: "environment.create",
        target: { type: "environment", id: row.id, label: row.name },
        after: { name: row.name, requires: row.requires },
      });
      return toDto(row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", `An environment named "${args.name}" already exists in this project`);
    throw err;
  }
}

/** Changes what a version needs to take traffic here; applies to the next change of each deployment, not retroactively. */
export async function updateEnvironment(args: { orgId: string; projectId: string; environmentId: string; requires: EnvironmentRequirement; actor: Actor }): Promise<EnvironmentDto> {
  return db().$transaction(async (tx) => {
    const before = await tx.environment.findFirst({ where: { id: args.environmentId, projectId: args.projectId } });
    if (!before) throw notFound("Environment");
    const row = await tx.environment.update({ where: { id: before.id }, data: { requires: args.requires }, include: withCount });
    await recordAudit(tx, {
      orgId: args.orgId,
      projectId: args.projectId,
      actor: args.actor,
      action: "environment.update",
      target: { type: "environment", id: row.id, label: row.name },
      before: { requires: before.requires },
      after: { requires: row.requires },
    });
    return toDto(row);
  });
}

/** Deletes an environment without deployments; CONFLICT while any deployment is in it (the cascade would drop live deployments). */
export async function deleteEnvironment(args: { orgId: string; projectId: string; environmentId: string; actor: Actor }): Promise<{ id: string }> {
  return db().$transaction(async (tx) => {
    // Locked so a deployment created meanwhile cannot slip in between the count and the delete.
    const locked = await tx.$queryRaw<{ id: string; name: string }[]>`SELECT "id", "name" FROM "Environment" WHERE "id" = ${args.environmentId} AND "projectId" = ${args.projectId} FOR UPDATE`;
    const env = locked[0];
    if (!env) throw notFound("Environment");
    const deployments = await tx.deployment.count({ where: { environmentId: env.id } });
    if (deployments > 0) throw new AppError("CONFLICT", `Environment "${env.name}" still has ${deployments} deployment${deployments === 1 ? "" : "s"}`);
    await tx.environment.delete({ where: { id: env.id } });
    await recordAudit(tx, {
      orgId: args.orgId,
      projectId: args.projectId,
      actor: args.actor,
      action: "environment.delete",
      target: { type: "environment", id: env.id, label: env.name },
    });
    return { id: env.id };
  });
}
