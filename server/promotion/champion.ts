/**
 * Moving the champion alias through the registry's one alias writer (history, audit, outbox event),
 * under the model's row lock that every move of the model takes.
 */
import type { Actor } from "../audit/audit";
import type { Tx } from "../db";
import { AppError, notFound } from "../errors";
import { moveAlias } from "../registry/aliases";
import { CHAMPION } from "../registry/names";
import type { AliasMoveDto } from "./schemas";

/** The version of `modelId` with `versionId`, share-locked so that it cannot be archived under the move. */
export async function lockVersion(tx: Tx, modelId: string, versionId: string) {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "ModelVersion" WHERE id = ${versionId} AND "modelId" = ${modelId} FOR SHARE`;
  if (locked.length === 0) throw notFound("Model version");
  return tx.modelVersion.findUniqueOrThrow({ where: { id: versionId } });
}

export async function championOf(tx: Tx, modelId: string): Promise<string | null> {
  const alias = await tx.modelAlias.findUnique({ where: { modelId_name: { modelId, name: CHAMPION } }, select: { versionId: true } });
  return alias?.versionId ?? null;
}

export interface MoveArgs {
  orgId: string;
  projectId: string;
  model: { id: string; name: string };
  to: { id: string; number: number };
  kind: "promote" | "override" | "rollback";
  reason: string | null;
  gateReportId: string | null;
  actor: Actor;
}

/** Points champion at `to` and answers the recorded move; the caller holds the model's row lock. */
export async function moveChampion(tx: Tx, a: MoveArgs): Promise<AliasMoveDto> {
  const moved = await moveAlias(tx, { projectId: a.projectId, orgId: a.orgId, actor: a.actor, model: a.model, alias: CHAMPION, to: a.to, kind: a.kind, reason: a.reason, gateReportId: a.gateReportId });
  if (!moved) throw new AppError("CONFLICT", `v${a.to.number} is already the champion`);
  const event = await tx.modelAliasEvent.findFirstOrThrow({ where: { modelId: a.model.id, alias: CHAMPION }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  return {
    modelId: a.model.id,
    alias: CHAMPION,
    kind: a.kind,
    fromVersionId: event.fromVersionId,
    toVersionId: a.to.id,
    toVersionNumber: a.to.number,
    gateReportId: a.gateReportId,
    eventId: event.id,
    createdAt: event.createdAt,
  };
}
