/**
 * Moving the champion alias: the row lock every move takes, and the one write (alias, history event,
 * audit, outbox event) that promote, override and rollback share.
 */
import { recordAudit, type Actor } from "../audit/audit";
import type { Tx } from "../db";
import { notFound } from "../errors";
import { modelAliasMoved } from "../events/definitions";
import { emitEvent } from "../events/outbox";
import { getModelRow } from "../registry/lookup";
import { CHAMPION } from "../registry/names";
import type { AliasMoveDto } from "./schemas";

/**
 * Locks the model row (SELECT … FOR UPDATE) for the rest of the transaction: champion moves of one
 * model run one at a time, and each sees the alias as the previous one left it.
 */
export async function lockModel(tx: Tx, projectId: string, modelId: string) {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "RegisteredModel" WHERE id = ${modelId} AND "projectId" = ${projectId} FOR UPDATE`;
  if (locked.length === 0) throw notFound("Model");
  return getModelRow(projectId, modelId, tx);
}

/** The version of `modelId` with `versionId`, share-locked so it cannot be archived under the move. */
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
  from: string | null;
  to: { id: string; number: number };
  kind: "promote" | "override" | "rollback";
  reason: string | null;
  gateReportId: string | null;
  actor: Actor;
}

/** Writes the move: alias, history, audit and the modelAliasMoved event, all in the caller's transaction. */
export async function moveChampion(tx: Tx, a: MoveArgs): Promise<AliasMoveDto> {
  // History is ordered by createdAt; under the row lock each move is stamped strictly after the last,
  // so rollback's walk never depends on two moves landing in different milliseconds.
  const last = await tx.modelAliasEvent.findFirst({ where: { modelId: a.model.id, alias: CHAMPION }, orderBy: { createdAt: "desc" }, select: { createdAt: true } });
  const createdAt = new Date(Math.max(Date.now(), (last?.createdAt.getTime() ?? 0) + 1));
  const updatedById = a.actor.id;
  await tx.modelAlias.upsert({
    where: { modelId_name: { modelId: a.model.id, name: CHAMPION } },
    create: { modelId: a.model.id, name: CHAMPION, versionId: a.to.id, updatedById },
    update: { versionId: a.to.id, updatedById },
  });
  const event = await tx.modelAliasEvent.create({
    data: { modelId: a.model.id, alias: CHAMPION, fromVersionId: a.from, toVersionId: a.to.id, kind: a.kind, reason: a.reason, gateReportId: a.gateReportId, actorId: a.actor.id, createdAt },
  });
  await recordAudit(tx, {
    orgId: a.orgId,
    projectId: a.projectId,
    actor: a.actor,
    action: `model.champion.${a.kind}`,
    target: { type: "model", id: a.model.id, label: `${a.model.name} → v${a.to.number}` },
    before: { championVersionId: a.from },
    after: { championVersionId: a.to.id, kind: a.kind, reason: a.reason, gateReportId: a.gateReportId, ...(a.kind === "override" ? { override: true } : {}) },
  });
  await emitEvent(tx, modelAliasMoved, {
    projectId: a.projectId,
    payload: { modelId: a.model.id, alias: CHAMPION, fromVersionId: a.from, toVersionId: a.to.id, kind: a.kind },
  });
  return {
    modelId: a.model.id,
    alias: CHAMPION,
    kind: a.kind,
    fromVersionId: a.from,
    toVersionId: a.to.id,
    toVersionNumber: a.to.number,
    gateReportId: a.gateReportId,
    eventId: event.id,
    createdAt: event.createdAt,
  };
}
