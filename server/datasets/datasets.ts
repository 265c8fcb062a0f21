import { db, type Tx } from "../db";
import { AppError, isUniqueViolation, notFound } from "../errors";
import { slugify, ZSlug } from "../lib/ids";
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

export interface UploadDataset {
  id: string;
  slug: string;
  splitConfig: SplitConfig;
}

/**
 * Where an upload goes: an existing dataset (by id or slug), or a new slug that passes the same
 * rule as dataset.create. Nothing is created here: the dataset is created with its first version,
 * so a failed first upload leaves no empty dataset.
 */
export async function findUploadTarget(args: { projectId: string; ref: string; create: boolean }): Promise<{ existing: UploadDataset | null; slug: string }> {
  // Longer refs or control characters can match no id or slug; do not send them to Postgres.
  const lookup = args.ref.length <= 64 && !/[\u0000-\u001f\u007f]/.test(args.ref);
  const found = lookup ? await db().dataset.findFirst({ where: { projectId: args.projectId, OR: [{ id: args.ref }, { slug: args.ref }] } }) : null;
  if (found) return { existing: toUploadDataset(found), slug: found.slug };
  if (!args.create) throw notFound("Dataset");
  const slug = ZSlug.safeParse(args.ref);
  if (!slug.success) {
    throw new AppError("BAD_REQUEST", `${JSON.stringify(args.ref.slice(0, 64))} is not a valid dataset slug (${slug.error.issues.map((i) => i.message).join("; ")})`);
  }
  return { existing: null, slug: slug.data };
}

/**
 * Inside an upload's transaction: creates the target dataset when it is new (audited, at most once
 * however many first uploads race) and locks its row until the transaction ends, so version
 * numbers are taken one at a time and never collide.
 */
export async function lockUploadDataset(
  tx: Tx,
  args: { projectId: string; orgId: string; actor: Actor; target: { existing: UploadDataset | null; slug: string } },
): Promise<UploadDataset> {
  if (!args.target.existing) {
    const { count } = await tx.dataset.createMany({
      data: [{ projectId: args.projectId, name: args.target.slug, slug: args.target.slug, description: "", splitConfig: DEFAULT_SPLIT }],
      skipDuplicates: true,
    });
    if (count === 1) {
      const created = await tx.dataset.findFirstOrThrow({ where: { projectId: args.projectId, slug: args.target.slug }, select: { id: true } });
      await recordAudit(tx, {
        orgId: args.orgId,
        projectId: args.projectId,
        actor: args.actor,
        action: "dataset.create",
        target: { type: "dataset", id: created.id, label: args.target.slug },
        after: { name: args.target.slug },
      });
    }
  }
  const rows = args.target.existing
    ? await tx.$queryRaw<LockedDataset[]>`SELECT id, slug, "splitConfig" FROM "Dataset" WHERE id = ${args.target.existing.id} FOR UPDATE`
    : await tx.$queryRaw<LockedDataset[]>`SELECT id, slug, "splitConfig" FROM "Dataset" WHERE "projectId" = ${args.projectId} AND slug = ${args.target.slug} FOR UPDATE`;
  const row = rows[0];
  if (!row) throw notFound("Dataset");
  return toUploadDataset(row);
}

type LockedDataset = { id: string; slug: string; splitConfig: unknown };

function toUploadDataset(d: LockedDataset): UploadDataset {
  return { id: d.id, slug: d.slug, splitConfig: readStored(ZSplitConfig, d.splitConfig, `split config of dataset ${d.id}`) };
}
