import { db, type Tx } from "../db";
import { notFound } from "../errors";
import { recordAudit, type Actor } from "../audit/audit";
import { labelDependents, lineageDependents, refuseWhileDepended, removeLineage, type Dependent, type LineageNode } from "../lineage/dependents";
import { addressesOf, collectUnreferenced } from "../storage/references";
import { getDataset } from "./datasets";
import type { DatasetDto } from "./schemas";

interface Args {
  projectId: string;
  orgId: string;
  actor: Actor;
}

/** Hides a dataset from default lists (archived) or shows it again; its versions stay usable. */
export async function setDatasetArchived(args: Args & { datasetId: string; archived: boolean }): Promise<DatasetDto> {
  await db().$transaction(async (tx) => {
    const row = await tx.dataset.findFirst({ where: { id: args.datasetId, projectId: args.projectId }, select: { id: true, slug: true, archivedAt: true } });
    if (!row) throw notFound("Dataset");
    if ((row.archivedAt !== null) === args.archived) return;
    await tx.dataset.update({ where: { id: row.id }, data: { archivedAt: args.archived ? new Date() : null } });
    await recordAudit(tx, {
      orgId: args.orgId,
      projectId: args.projectId,
      actor: args.actor,
      action: args.archived ? "dataset.archive" : "dataset.unarchive",
      target: { type: "dataset", id: row.id, label: row.slug },
    });
  });
  return getDataset(args.projectId, { datasetId: args.datasetId });
}

/** Runs outside the deleted set that were evaluated on one of `versionIds`. */
async function evaluationDependents(tx: Tx, versionIds: string[]): Promise<Dependent[]> {
  const reports = await tx.evaluationReport.findMany({ where: { versionId: { in: versionIds } }, select: { runId: true } });
  return reports.map((r) => ({ kind: "run", id: r.runId, how: "was evaluated on" }));
}

/**
 * Deletes a version that nothing depends on (no derived version, no run trained or evaluated on
 * it), then its bytes when no row of any project references them any more.
 */
export async function deleteVersion(args: Args & { versionId: string }): Promise<{ removedArtifacts: number }> {
  const addresses = await db().$transaction(async (tx) => {
    // FOR UPDATE: an edge being added to this version waits for us (see lineage.lockNode).
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "DatasetVersion" WHERE id = ${args.versionId} AND "projectId" = ${args.projectId} FOR UPDATE`;
    if (locked.length === 0) throw notFound("Dataset version");
    const v = await tx.datasetVersion.findUniqueOrThrow({ where: { id: args.versionId }, include: { dataset: { select: { slug: true } } } });
    const label = `${v.dataset.slug} v${v.number}`;
    const nodes: LineageNode[] = [{ kind: "dataset_version", id: v.id }];
    const deps = [...(await lineageDependents(tx, args.projectId, nodes)), ...(await evaluationDependents(tx, [v.id]))];
    refuseWhileDepended(`Dataset version ${label}`, await labelDependents(tx, deps));
    const addresses = await addressesOf(tx, { versionIds: [v.id] });
    await removeLineage(tx, args.projectId, nodes);
    await tx.datasetVersion.delete({ where: { id: v.id } });
    await recordAudit(tx, {
      orgId: args.orgId,
      projectId: args.projectId,
      actor: args.actor,
      action: "dataset.version.delete",
      target: { type: "dataset_version", id: v.id, label },
      before: { sha256: v.sha256, rows: v.rowCount, sizeBytes: Number(v.sizeBytes) },
    });
    return addresses;
  });
  return { removedArtifacts: (await collectUnreferenced(addresses)).length };
}

/** Deletes a dataset with all its versions, refused while anything outside it depends on one of them. */
export async function deleteDataset(args: Args & { datasetId: string }): Promise<{ removedArtifacts: number }> {
  const addresses = await db().$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string; slug: string }[]>`SELECT id, slug FROM "Dataset" WHERE id = ${args.datasetId} AND "projectId" = ${args.projectId} FOR UPDATE`;
    const dataset = locked[0];
    if (!dataset) throw notFound("Dataset");
    const versions = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "DatasetVersion" WHERE "datasetId" = ${dataset.id} FOR UPDATE`;
    const versionIds = versions.map((v) => v.id);
    const nodes: LineageNode[] = [{ kind: "dataset", id: dataset.id }, ...versionIds.map((id) => ({ kind: "dataset_version" as const, id }))];
    const deps = [...(await lineageDependents(tx, args.projectId, nodes)), ...(await evaluationDependents(tx, versionIds))];
    refuseWhileDepended(`Dataset ${dataset.slug}`, await labelDependents(tx, deps));
    const addresses = await addressesOf(tx, { versionIds });
    await removeLineage(tx, args.projectId, nodes);
    await tx.dataset.delete({ where: { id: dataset.id } });
    await recordAudit(tx, {
      orgId: args.orgId,
      projectId: args.projectId,
      actor: args.actor,
      action: "dataset.delete",
      target: { type: "dataset", id: dataset.id, label: dataset.slug },
      before: { versions: versionIds.length },
    });
    return addresses;
  });
  return { removedArtifacts: (await collectUnreferenced(addresses)).length };
}
