import { db, type Prisma, type Tx } from "../db";
import { AppError, notFound } from "../errors";
import { recordAudit, type Actor } from "../audit/audit";
import { emitEvent } from "../events/outbox";
import { datasetVersionCreated } from "../events/definitions";
import { addEdge, type NodeKind } from "../lineage/lineage";
import { artifactStore } from "../storage/artifact-store";
import { collectUnreferenced, commitReferenced } from "../storage/references";
import { assertWithinQuota, UploadBudget, uploadLimits, type UploadLimits } from "../storage/quota";
import { parquetMeta, TextTableDecoder, type TableMeta } from "./decode";
import { checkFileName, formatFromName, type DatasetFormat, type Encoding } from "./formats";
import { findUploadTarget, lockUploadDataset, type UploadDataset } from "./datasets";
import { versionWithParents } from "./versions";
import { diffColumns, schemaChangeRefused } from "./schema-change";
import type { Transform, VersionDto } from "./schemas";

type DatasetVersion = Prisma.DatasetVersionModel;

export interface IngestArgs {
  projectId: string;
  orgId: string;
  /** Dataset id or slug. */
  dataset: string;
  /** Create the dataset (named after the slug) when it does not exist. */
  createDataset: boolean;
  actor: Actor;
  body: AsyncIterable<Uint8Array>;
  fileName: string;
  format?: DatasetFormat;
  delimiter?: string;
  encoding?: Encoding;
  parents?: string[];
  transform?: Transform;
  /** Maximum upload size and org quota; the installation's when not given. */
  limits?: UploadLimits;
  /** The body's length as the client declared it (Content-Length), refused up front when over the limit. */
  declaredBytes?: number;
  /** Accept columns that differ from the latest version's (recorded on the version); refused otherwise. */
  allowSchemaChange?: boolean;
  /** More lineage edges from the new version, written with it (e.g. `scored_by` a model version). */
  edges?: { to: { kind: NodeKind; id: string }; relation: string }[];
}

/**
 * Streams an upload into the artifact store while checking that it parses, then records an
 * immutable version. Identical bytes return the existing version. Nothing is kept when the
 * upload is malformed or interrupted: the bytes live in a temporary file until the version exists.
 */
export async function ingestVersion(args: IngestArgs): Promise<{ version: VersionDto; created: boolean }> {
  const fileName = checkFileName(args.fileName);
  const format = args.format ?? formatFromName(fileName);
  if (!format) throw new AppError("BAD_REQUEST", `Cannot tell the format of "${fileName}"; pass format=csv, jsonl or parquet`);
  const parentIds = [...new Set(args.parents ?? [])];
  if (parentIds.length > 0) {
    const found = await db().datasetVersion.count({ where: { id: { in: parentIds }, projectId: args.projectId } });
    if (found !== parentIds.length) throw notFound("Parent dataset version");
  }
  if (args.transform && parentIds.length === 0) throw new AppError("BAD_REQUEST", "A transform needs at least one parent version");
  const target = await findUploadTarget({ projectId: args.projectId, ref: args.dataset, create: args.createDataset });

  // A CSV whose header already shows a refused schema change is stopped there, not after the last byte.
  const latest = target.existing && !args.allowSchemaChange
    ? await db().datasetVersion.findFirst({ where: { datasetId: target.existing.id }, orderBy: { number: "desc" }, select: { number: true, columns: true } })
    : null;
  let headerChecked = latest === null;
  const limits = args.limits ?? uploadLimits();
  const budget = await UploadBudget.forOrg(args.orgId, limits);
  budget.declare(args.declaredBytes);
  const store = artifactStore();
  const pending = await store.beginWrite();
  let meta: TableMeta;
  let sha256: string;
  let sizeBytes: number;
  try {
    const decoder = format === "PARQUET" ? null : new TextTableDecoder(format, { delimiter: args.delimiter, encoding: args.encoding });
    for await (const chunk of args.body) {
      budget.take(chunk.byteLength);
      await pending.write(chunk);
      if (decoder) await decoder.push(chunk);
      if (!headerChecked && latest && decoder?.headerColumns) {
        headerChecked = true;
        const change = diffColumns(latest.number, latest.columns, decoder.headerColumns);
        // An older version with these very columns may be these very bytes, which return that version.
        if (change && !(await db().datasetVersion.findFirst({ where: { datasetId: target.existing!.id, columns: { equals: decoder.headerColumns } }, select: { id: true } }))) {
          throw schemaChangeRefused(change);
        }
      }
    }
    ({ sha256, sizeBytes } = await pending.finish());
    if (decoder) {
      meta = await decoder.end();
    } else {
      const range = await pending.range();
      try {
        meta = await parquetMeta(range);
      } finally {
        await range.close();
      }
    }
  } catch (err) {
    await pending.abort();
    throw err;
  }

  if (target.existing) {
    const existing = await db().datasetVersion.findUnique({ where: { datasetId_sha256: { datasetId: target.existing.id, sha256 } } });
    if (existing) {
      await pending.abort();
      return { version: await versionWithParents(existing), created: false };
    }
  }
  try {
    // The bytes are pinned at their address while the row that references them is recorded.
    const { row, created } = await commitReferenced(pending, () => recordVersion({ ...args, limits, fileName, format, target, meta, sha256, sizeBytes, parentIds }));
    return { version: await versionWithParents(row), created };
  } catch (err) {
    await pending.abort();
    // Content addresses are shared across datasets and runs: only bytes nothing refers to go.
    await collectUnreferenced([sha256]);
    throw err;
  }
}

/**
 * Records the version in one transaction that also creates a new dataset and holds its row lock:
 * concurrent uploads to one dataset take numbers one after another instead of colliding, and
 * identical bytes that raced in return the version that won.
 */
async function recordVersion(a: Omit<IngestArgs, "dataset" | "body"> & {
  fileName: string;
  format: DatasetFormat;
  target: Awaited<ReturnType<typeof findUploadTarget>>;
  meta: TableMeta;
  sha256: string;
  sizeBytes: number;
  parentIds: string[];
}): Promise<{ row: DatasetVersion; created: boolean }> {
  // An upload whose bytes are stored waits for its turn rather than failing under a burst.
  return db().$transaction(
    async (tx) => {
      const dataset = await lockUploadDataset(tx, { projectId: a.projectId, orgId: a.orgId, actor: a.actor, target: a.target });
      const same = await tx.datasetVersion.findUnique({ where: { datasetId_sha256: { datasetId: dataset.id, sha256: a.sha256 } } });
      if (same) return { row: same, created: false };
      return { row: await createVersionRow(tx, { ...a, dataset }), created: true };
    },
    { maxWait: 60_000, timeout: 60_000 },
  );
}

async function createVersionRow(tx: Tx, a: Omit<IngestArgs, "dataset" | "body"> & {
  fileName: string;
  format: DatasetFormat;
  dataset: UploadDataset;
  meta: TableMeta;
  sha256: string;
  sizeBytes: number;
  parentIds: string[];
}): Promise<DatasetVersion> {
  // A key column the file lacks cannot drive the split; the version records that it used row order.
  const split = a.dataset.splitConfig.keyColumn && !a.meta.columns.includes(a.dataset.splitConfig.keyColumn)
    ? { ratios: a.dataset.splitConfig.ratios, seed: a.dataset.splitConfig.seed }
    : a.dataset.splitConfig;
  // The dataset row is locked by the caller, so the next number is ours alone.
  const last = await tx.datasetVersion.findFirst({ where: { datasetId: a.dataset.id }, orderBy: { number: "desc" }, select: { number: true, columns: true } });
  const schemaChange = last ? diffColumns(last.number, last.columns, a.meta.columns) : null;
  if (schemaChange && !a.allowSchemaChange) throw schemaChangeRefused(schemaChange);
  await assertWithinQuota(tx, a.orgId, a.sizeBytes, a.limits);
  const row = await tx.datasetVersion.create({
    data: {
      projectId: a.projectId,
      datasetId: a.dataset.id,
      number: (last?.number ?? 0) + 1,
      sha256: a.sha256,
      sizeBytes: BigInt(a.sizeBytes),
      format: a.format,
      fileName: a.fileName,
      encoding: a.meta.encoding,
      delimiter: a.meta.delimiter,
      columns: a.meta.columns,
      rowCount: a.meta.rowCount,
      split,
      transform: a.transform ? (JSON.parse(JSON.stringify(a.transform)) as Prisma.InputJsonObject) : undefined,
      schemaChange: schemaChange ?? undefined,
      createdBy: a.actor.label,
    },
  });
  for (const parentId of a.parentIds) {
    await addEdge(tx, {
      projectId: a.projectId,
      from: { kind: "dataset_version", id: row.id },
      to: { kind: "dataset_version", id: parentId },
      relation: "derived_from",
    });
  }
  for (const e of a.edges ?? []) await addEdge(tx, { projectId: a.projectId, from: { kind: "dataset_version", id: row.id }, to: e.to, relation: e.relation });
  await addEdge(tx, { projectId: a.projectId, from: { kind: "dataset_version", id: row.id }, to: { kind: "dataset", id: a.dataset.id }, relation: "version_of" });
  await emitEvent(tx, datasetVersionCreated, { projectId: a.projectId, payload: { versionId: row.id, datasetId: a.dataset.id, number: row.number } });
  await recordAudit(tx, {
    orgId: a.orgId,
    projectId: a.projectId,
    actor: a.actor,
    action: "dataset.version.create",
    target: { type: "dataset_version", id: row.id, label: `${a.dataset.slug} v${row.number}` },
    after: { sha256: a.sha256, rows: a.meta.rowCount, parents: a.parentIds, ...(schemaChange ? { schemaChange } : {}) },
  });
  return row;
}
