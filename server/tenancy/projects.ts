import { db } from "../db";
import { AppError, isUniqueViolation, notFound } from "../errors";
import { slugify } from "../lib/ids";
import { recordAudit, type Actor } from "../audit/audit";
import type { PrimaryMetric, ProjectDto } from "./schemas";

type ProjectRow = {
  id: string;
  orgId: string;
  slug: string;
  name: string;
  description: string;
  primaryMetric: string | null;
  primaryMetricGoal: "MIN" | "MAX" | null;
  createdAt: Date;
  updatedAt: Date;
  org: { slug: string };
};

const primaryOf = (p: Pick<ProjectRow, "primaryMetric" | "primaryMetricGoal">): PrimaryMetric | null =>
  p.primaryMetric && p.primaryMetricGoal ? { key: p.primaryMetric, goal: p.primaryMetricGoal === "MIN" ? "min" : "max" } : null;

const toDto = (p: ProjectRow): ProjectDto => ({
  id: p.id,
  orgId: p.orgId,
  orgSlug: p.org.slug,
  slug: p.slug,
  name: p.name,
  description: p.description,
  primaryMetric: primaryOf(p),
  createdAt: p.createdAt,
  updatedAt: p.updatedAt,
});

/** Projects of an organisation; `onlyProjectId` narrows to one for project-scoped tokens. */
export async function listProjects(args: { orgId: string; onlyProjectId: string | null }): Promise<ProjectDto[]> {
  const rows = await db().project.findMany({
    where: { orgId: args.orgId, ...(args.onlyProjectId ? { id: args.onlyProjectId } : {}) },
    include: { org: { select: { slug: true } } },
    orderBy: { name: "asc" },
  });
  return rows.map(toDto);
}

export async function getProject(args: { projectId: string; orgId: string }): Promise<ProjectDto> {
  const row = await db().project.findFirst({
    where: { id: args.projectId, orgId: args.orgId },
    include: { org: { select: { slug: true } } },
  });
  if (!row) throw notFound("Project");
  return toDto(row);
}

/** Resolves org and project slugs to the project's id, or null. Access is checked by the caller. */
export async function findProjectIdBySlugs(orgSlug: string, projectSlug: string): Promise<string | null> {
  const row = await db().project.findFirst({ where: { slug: projectSlug, org: { slug: orgSlug } }, select: { id: true } });
  return row?.id ?? null;
}

export async function createProject(args: {
  orgId: string;
  name: string;
  slug?: string;
  description: string;
  actor: Actor;
}): Promise<ProjectDto> {
  const slug = args.slug ?? slugify(args.name);
  try {
    return await db().$transaction(async (tx) => {
      const project = await tx.project.create({
        data: { orgId: args.orgId, name: args.name, slug, description: args.description },
        include: { org: { select: { slug: true } } },
      });
      await recordAudit(tx, {
        orgId: args.orgId,
        projectId: project.id,
        actor: args.actor,
        action: "project.create",
        target: { type: "project", id: project.id, label: project.slug },
        after: { name: project.name, slug: project.slug },
      });
      return toDto(project);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", `A project with the slug "${slug}" already exists in this organisation`);
    throw err;
  }
}

export async function renameProject(args: {
  orgId: string;
  projectId: string;
  name: string;
  description?: string;
  actor: Actor;
}): Promise<ProjectDto> {
  return db().$transaction(async (tx) => {
    const before = await tx.project.findFirst({ where: { id: args.projectId, orgId: args.orgId } });
    if (!before) throw notFound("Project");
    const project = await tx.project.update({
      where: { id: before.id },
      data: { name: args.name, ...(args.description !== undefined ? { description: args.description } : {}) },
      include: { org: { select: { slug: true } } },
    });
    await recordAudit(tx, {
      orgId: args.orgId,
      projectId: project.id,
      actor: args.actor,
      action: "project.rename",
      target: { type: "project", id: project.id, label: project.slug },
      before: { name: before.name, description: before.description },
      after: { name: project.name, description: project.description },
    });
    return toDto(project);
  });
}

/** Sets or clears the metric that ranks the project's models; audited. */
export async function setPrimaryMetric(args: { orgId: string; projectId: string; primaryMetric: PrimaryMetric | null; actor: Actor }): Promise<ProjectDto> {
  return db().$transaction(async (tx) => {
    const before = await tx.project.findFirst({ where: { id: args.projectId, orgId: args.orgId } });
    if (!before) throw notFound("Project");
    const m = args.primaryMetric;
    const project = await tx.project.update({
      where: { id: before.id },
      data: { primaryMetric: m?.key ?? null, primaryMetricGoal: m ? (m.goal === "min" ? "MIN" : "MAX") : null },
      include: { org: { select: { slug: true } } },
    });
    await recordAudit(tx, {
      orgId: args.orgId,
      projectId: project.id,
      actor: args.actor,
      action: "project.primary_metric",
      target: { type: "project", id: project.id, label: project.slug },
      before: { primaryMetric: primaryOf(before) },
      after: { primaryMetric: primaryOf(project) },
    });
    return toDto(project);
  });
}

export async function deleteProject(args: { orgId: string; projectId: string; actor: Actor }): Promise<{ id: string }> {
  return db().$transaction(async (tx) => {
    const project = await tx.project.findFirst({ where: { id: args.projectId, orgId: args.orgId } });
    if (!project) throw notFound("Project");
    await tx.project.delete({ where: { id: project.id } });
    await recordAudit(tx, {
      orgId: args.orgId,
      projectId: project.id,
      actor: args.actor,
      action: "project.delete",
      target: { type: "project", id: project.id, label: project.slug },
      before: { name: project.name, slug: project.slug },
    });
    return { id: project.id };
  });
}
