import { db, type Prisma } from "../db";
import { AppError, isUniqueViolation, notFound } from "../errors";
import { recordAudit, type Actor } from "../audit/audit";
import { emitEvent } from "../events/outbox";
import { datasetVersionCreated } from "../events/definitions";
import { addEdge } from "../lineage/lineage";
import { artifactStore } from "../storage/artifact-store";
import { collectUnreferenced, commitReferenced } from "../storage/references";
import { parquetMeta, TextTableDecoder, type TableMeta } from "./decode";
import { checkFileName, formatFromName, type DatasetFormat, type Encoding } from "./formats";
import { resolveDatasetForUpload } from "./datasets";
import { toVersionDto } from "./versions";
import type { SplitConfig, Transform, VersionDto } from "./schemas";

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
}

/**
 * Streams an upload into the artifact store while checking that it parses, then records an
 * immutable version. Identical bytes return the existing version. Nothing is kept when the
 * upload is malformed or interrupted: the bytes stay at a temporary place in the store until the version exists.
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
  const dataset = await resolveDatasetForUpload({ projectId: args.projectId, orgId: args.orgId, ref: args.dataset, create: args.createDataset, actor: args.actor });

  const store = artifactStore();
  const pending = await store.beginWrite();
  let meta: TableMeta;
  let sha256: string;
  let sizeBytes: number;
  try {
    const decoder = format === "PARQUET" ? null : new TextTableDecoder(format, { delimiter: args.delimiter, encoding: args.encoding });
    for await (const chunk of args.body) {
      await pending.write(chunk);
      if (decoder) await decoder.push(chunk);
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

  const existing = await db().datasetVersion.findUnique({ where: { datasetId_sha256: { datasetId: dataset.id, sha256 } } });
  if (existing) {
    await pending.abort();
    return { version: toVersionDto(existing), created: false };
  }
  try {
    const version = await commitReferenced(pending, () => createVersionRow({ ...args, fileName, format, dataset, meta, sha256, sizeBytes, parentIds }));
    return { version, created: true };
  } catch (err) {
    await pending.abort();
    // Content addresses are shared across datasets and runs: only bytes nothing refers to go.
    await collectUnreferenced([sha256]);
    if (isUniqueViolation(err)) {
      const raced = await db().datasetVersion.findUnique({ where: { datasetId_sha256: { datasetId: dataset.id, sha256 } } });
      if (raced) return { version: toVersionDto(raced), created: false };
    }
    throw err;
  }
}

async function createVersionRow(a: Omit<IngestArgs, "dataset" | "body"> & {
  fileName: string;
  format: DatasetFormat;
  dataset: { id: string; slug: string; splitConfig: SplitConfig };
  meta: TableMeta;
  sha256: string;
  sizeBytes: number;
  parentIds: string[];
}): Promise<VersionDto> {
  // A key column the file lacks cannot drive the split; the version records that it used row order.
  const split = a.dataset.splitConfig.keyColumn && !a.meta.columns.includes(a.dataset.splitConfig.keyColumn)
    ? { ratios: a.dataset.splitConfig.ratios, seed: a.dataset.splitConfig.seed }
    : a.dataset.splitConfig;
  for (let attempt = 0; ; attempt++) {
    try {
      return await db().$transaction(async (tx) => {
        const last = await tx.datasetVersion.findFirst({ where: { datasetId: a.dataset.id }, orderBy: { number: "desc" }, select: { number: true } });
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
        await addEdge(tx, { projectId: a.projectId, from: { kind: "dataset_version", id: row.id }, to: { kind: "dataset", id: a.dataset.id }, relation: "version_of" });
        await emitEvent(tx, datasetVersionCreated, { projectId: a.projectId, payload: { versionId: row.id, datasetId: a.dataset.id, number: row.number } });
        await recordAudit(tx, {
          orgId: a.orgId,
          projectId: a.projectId,
          actor: a.actor,
          action: "dataset.version.create",
          target: { type: "dataset_version", id: row.id, label: `${a.dataset.slug} v${row.number}` },
          after: { sha256: a.sha256, rows: a.meta.rowCount, parents: a.parentIds },
        });
        return toVersionDto(row);
      });
    } catch (err) {
      // Two different uploads took the same version number; the unique index decides, the loser renumbers.
      const numberClash = isUniqueViolation(err) && /number/.test(String((err as Error).message));
      if (!numberClash || attempt >= 5) throw err;
    }
  }
}
