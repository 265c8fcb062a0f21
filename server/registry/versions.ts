/**
 * Archiving and deleting model versions. A version something still points at (an alias, an approval,
 * a gate report that compared a challenger with it) is never archived or deleted from under it.
 */
import { db, type Tx } from "../db";
import { AppError, notFound } from "../errors";
import { recordAudit, type Actor } from "../audit/audit";
import { removeLineage } from "../lineage/dependents";
import { collectUnreferenced } from "../storage/references";
import { lockModel } from "./aliases";
import { versionDto } from "./read";
import type { ModelVersionDto } from "./schemas";

interface Args {
  projectId: string;
  orgId: string;
  actor: Actor;
  versionId: string;
}

/** The version and its model, with the model's row locked so no alias moves onto the version meanwhile. */
async function lockVersion(tx: Tx, projectId: string, versionId: string) {
  const found = await tx.modelVersion.findFirst({ where: { id: versionId, projectId }, select: { modelId: true } });
  if (!found) throw notFound("Model version");
  const model = await lockModel(tx, projectId, found.modelId);
  const version = await tx.modelVersion.findUniqueOrThrow({ where: { id: versionId } });
  return { model, version, label: `${model.name} v${version.number}` };
}

async function aliasesOn(tx: Tx, versionId: string): Promise<string[]> {
  return (await tx.modelAlias.findMany({ where: { versionId }, select: { name: true }, orderBy: { name: "asc" } })).map((a) => a.name);
}

/** Archives (hides) a version, or brings it back; CONFLICT while an alias points at it. */
export async function setVersionArchived(args: Args & { archived: boolean }): Promise<ModelVersionDto> {
  await db().$transaction(async (tx) => {
    const { version, label } = await lockVersion(tx, args.projectId, args.versionId);
    if ((version.archivedAt !== null) === args.archived) return;
    if (args.archived) {
      const aliases = await aliasesOn(tx, version.id);
      if (aliases.length > 0) throw new AppError("CONFLICT", `${label} cannot be archived while ${aliases.map((a) => `"${a}"`).join(", ")} point${aliases.length === 1 ? "s" : ""} at it; move or remove the alias first`);
    }
    await tx.modelVersion.update({ where: { id: version.id }, data: { archivedAt: args.archived ? new Date() : null } });
    await recordAudit(tx, {
      orgId: args.orgId,
      projectId: args.projectId,
      actor: args.actor,
      action: args.archived ? "model.version.archive" : "model.version.unarchive",
      target: { type: "model_version", id: version.id, label },
    });
  });
  return versionDto(args.projectId, args.versionId);
}

/**
 * Deletes a version with its gate reports; CONFLICT while an alias, an approval or another version's
 * gate report (as the champion it was compared with) refers to it. Its bytes go when nothing else uses them.
 */
export async function deleteVersion(args: Args): Promise<{ removedArtifacts: number }> {
  const sha256 = await db().$transaction(async (tx) => {
    const { version, label } = await lockVersion(tx, args.projectId, args.versionId);
    const [aliases, approvals, comparedIn] = await Promise.all([
      aliasesOn(tx, version.id),
      tx.modelApproval.count({ where: { versionId: version.id } }),
      tx.gateReport.count({ where: { championVersionId: version.id } }),
    ]);
    const uses = [
      ...(aliases.length ? [`alias ${aliases.map((a) => `"${a}"`).join(", ")}`] : []),
      ...(approvals ? [`${approvals} approval decision${approvals === 1 ? "" : "s"}`] : []),
      ...(comparedIn ? [`${comparedIn} gate report${comparedIn === 1 ? "" : "s"} that compared a challenger with it`] : []),
    ];
    if (uses.length > 0) throw new AppError("CONFLICT", `${label} cannot be deleted while ${uses.join("; ")} refer to it; archive it instead`);
    await removeLineage(tx, args.projectId, [{ kind: "model_version", id: version.id }]);
    await tx.modelVersion.delete({ where: { id: version.id } });
    await recordAudit(tx, {
      orgId: args.orgId,
      projectId: args.projectId,
      actor: args.actor,
      action: "model.version.delete",
      target: { type: "model_version", id: version.id, label },
      before: { sha256: version.sha256, runId: version.runId },
    });
    return version.sha256;
  });
  return { removedArtifacts: (await collectUnreferenced([sha256])).length };
}
