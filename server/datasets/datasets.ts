import { db } from "../db";
import { AppError, isUniqueViolation, notFound } from "../errors";
import { slugify } from "../lib/ids";
import { readStored } from "../lib/stored-json";
import { recordAudit, type Actor } from "../audit/audit";
import { DEFAULT_SPLIT, ZSplitConfig, type DatasetDto, type SplitConfig } from "./schemas";

type DatasetRow = {
  id: string;
  projectId: string;
  slug: string;
  name: string;
  description: string;
  splitConfig: unknown;
  archivedAt: Date | null;
  createdAt: Date;
  contract: { id: string } | null;
  _count: { versions: number };
  versions: { id: string; number: number; rowCount: number | null; validation: string; createdAt: Date }[];
};

const include = {
  contract: { select: { id: true } },
  _count: { select: { versions: true } },
  versions: { orderBy: { number: "desc" as const }, take: 1, select: { id: true, number: true, rowCount: true, validation: true, createdAt: true } },
};

function toDto(d: DatasetRow): DatasetDto {
  return {
    id: d.id,
    projectId: d.projectId,
    slug: d.slug,
    name: d.name,
    description: d.description,
    splitConfig: readStored(ZSplitConfig, d.splitConfig, `split config of dataset ${d.id}`),
    versionCount: d._count.versions,
    latest: d.versions[0] ?? null,
    hasContract: d.contract !== null,
    archivedAt: d.archivedAt,
    createdAt: d.createdAt,
  };
}

export async function listDatasets(projectId: string, opts: { includeArchived?: boolean } = {}): Promise<DatasetDto[]> {
  const rows = await db().dataset.findMany({ where: { projectId, ...(opts.includeArchived ? {} : { archivedAt: null }) }, include, orderBy: { name: "asc" } });
  return rows.map(toDto);
}

/** By id or slug, always inside the project. */
export async function getDataset(projectId: string, ref: { datasetId: string } | { slug: string }): Promise<DatasetDto> {
  const row = await db().dataset.findFirst({
    where: { projectId, ...("datasetId" in ref ? { id: ref.datasetId } : { slug: ref.slug }) },
    include,
  });
  if (!row) throw notFound("Dataset");
  return toDto(row);
}

export async function createDataset(args: {
  projectId: string;
  orgId: string;
  name: string;
  slug?: string;
  description: string;
  splitConfig?: SplitConfig;
  actor: Actor;
}): Promise<DatasetDto> {
  const slug = args.slug ?? slugify(args.name);
  try {
    return await db().$transaction(async (tx) => {
      const row = await tx.dataset.create({
        data: { projectId: args.projectId, name: args.name, slug, description: args.description, splitConfig: args.splitConfig ?? DEFAULT_SPLIT },
        include,
      });
      await recordAudit(tx, {
        orgId: args.orgId,
        projectId: args.projectId,
        actor: args.actor,
        action: "dataset.create",
        target: { type: "dataset", id: row.id, label: row.slug },
        after: { name: row.name },
      });
      return toDto(row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", `A dataset with the slug "${slug}" already exists in this project`);
    throw err;
  }
}

export async function updateDataset(args: {
  projectId: string;
  orgId: string;
  datasetId: string;
  name?: string;
  description?: string;
  splitConfig?: SplitConfig;
  actor: Actor;
}): Promise<DatasetDto> {
  return db().$transaction(async (tx) => {
    const before = await tx.dataset.findFirst({ where: { id: args.datasetId, projectId: args.projectId } });
    if (!before) throw notFound("Dataset");
    const row = await tx.dataset.update({
      where: { id: before.id },
      data: {
        ...(args.name !== undefined ? { name: args.name } : {}),
        ...(args.description !== undefined ? { description: args.description } : {}),
        ...(args.splitConfig !== undefined ? { splitConfig: args.splitConfig } : {}),
      },
      include,
    });
    await recordAudit(tx, {
      orgId: args.orgId,
      projectId: args.projectId,
      actor: args.actor,
      action: "dataset.update",
      target: { type: "dataset", id: row.id, label: row.slug },
      before: { name: before.name, splitConfig: before.splitConfig as object },
      after: { name: row.name, splitConfig: row.splitConfig as object },
    });
    return toDto(row);
  });
}

/** Finds a dataset by id or slug, creating it (named after the slug) when `create` is set. */
export async function resolveDatasetForUpload(args: {
  projectId: string;
  orgId: string;
  ref: string;
  create: boolean;
  actor: Actor;
}): Promise<{ id: string; slug: string; splitConfig: SplitConfig }> {
  const found = await db().dataset.findFirst({ where: { projectId: args.projectId, OR: [{ id: args.ref }, { slug: args.ref }] } });
  if (found) return { id: found.id, slug: found.slug, splitConfig: readStored(ZSplitConfig, found.splitConfig, `split config of dataset ${found.id}`) };
  if (!args.create) throw notFound("Dataset");
  try {
    const created = await createDataset({ projectId: args.projectId, orgId: args.orgId, name: args.ref, slug: args.ref, description: "", actor: args.actor });
    return { id: created.id, slug: created.slug, splitConfig: created.splitConfig };
  } catch (err) {
    // Two first uploads racing: the loser uses the winner's dataset.
    if (err instanceof AppError && err.code === "CONFLICT") return resolveDatasetForUpload({ ...args, create: false });
    throw err;
  }
}
