import { db, type Prisma } from "../db";
import { AppError, notFound } from "../errors";
import { recordAudit, type Actor } from "../audit/audit";
import { addEdge } from "../lineage/lineage";
import { toVersionDto } from "./versions";
import type { Transform } from "./schemas";

/** Sets parents and transform once: lineage of an immutable version is immutable too. */
export async function setDerivation(args: { projectId: string; orgId: string; versionId: string; parentVersionIds: string[]; transform: Transform; actor: Actor }) {
  return db().$transaction(async (tx) => {
    const v = await tx.datasetVersion.findFirst({ where: { id: args.versionId, projectId: args.projectId } });
    if (!v) throw notFound("Dataset version");
    const existing = await tx.lineageEdge.count({ where: { fromKind: "dataset_version", fromId: v.id, relation: "derived_from" } });
    if (existing > 0 || v.transform !== null) throw new AppError("CONFLICT", "This version already records its parents");
    const parents = [...new Set(args.parentVersionIds)];
    if (parents.includes(v.id)) throw new AppError("BAD_REQUEST", "A version cannot be its own parent");
    const found = await tx.datasetVersion.findMany({ where: { id: { in: parents }, projectId: args.projectId }, select: { id: true, createdAt: true } });
    if (found.length !== parents.length) throw notFound("Parent dataset version");
    // Parents must exist before the child, which also rules out cycles.
    if (found.some((p) => p.createdAt > v.createdAt)) throw new AppError("BAD_REQUEST", "A parent version must be older than the derived version");
    for (const p of parents) {
      await addEdge(tx, { projectId: args.projectId, from: { kind: "dataset_version", id: v.id }, to: { kind: "dataset_version", id: p }, relation: "derived_from" });
    }
    const updated = await tx.datasetVersion.update({ where: { id: v.id }, data: { transform: JSON.parse(JSON.stringify(args.transform)) as Prisma.InputJsonObject } });
    await recordAudit(tx, {
      orgId: args.orgId,
      projectId: args.projectId,
      actor: args.actor,
      action: "dataset.version.derivation",
      target: { type: "dataset_version", id: v.id, label: `v${v.number}` },
      after: { parents, transform: args.transform.name },
    });
    return toVersionDto(updated);
  });
}
