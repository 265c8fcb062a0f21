/**
 * Aliases: movable names pointing at one version of a model. Every move is kept (ModelAliasEvent),
 * announced (model.alias.moved) and audited in the transaction that makes it. `champion` is not moved
 * here: only promotion, with its gate report and approvals, may move it.
 */
import { db, type Tx } from "../db";
import { AppError, notFound } from "../errors";
import { recordAudit, type Actor } from "../audit/audit";
import { emitEvent } from "../events/outbox";
import { modelAliasMoved } from "../events/definitions";
import { CHAMPION, type AliasMoveKind } from "./names";
import { getModel } from "./read";
import type { ModelDto } from "./schemas";

interface Args {
  projectId: string;
  orgId: string;
  actor: Actor;
}

const refuseChampion = (alias: string) => {
  if (alias === CHAMPION) {
    throw new AppError("BAD_REQUEST", `The ${CHAMPION} alias moves only through promotion (promotion.promote, after the gate passed and approvals are complete), never by setting it`);
  }
};

/**
 * Points `alias` of a model at `to` (null removes it) and records the move; the caller holds the
 * model's row lock. Returns false when the alias already points there (nothing recorded).
 */
export async function moveAlias(
  tx: Tx,
  args: Args & { model: { id: string; name: string }; alias: string; to: { id: string; number: number } | null; kind: AliasMoveKind; reason?: string | null; gateReportId?: string | null },
): Promise<boolean> {
  const current = await tx.modelAlias.findUnique({ where: { modelId_name: { modelId: args.model.id, name: args.alias } } });
  const from = current?.versionId ?? null;
  if (from === (args.to?.id ?? null)) return false;
  const actorId = args.actor.id;
  if (args.to) {
    await tx.modelAlias.upsert({
      where: { modelId_name: { modelId: args.model.id, name: args.alias } },
      create: { modelId: args.model.id, name: args.alias, versionId: args.to.id, updatedById: actorId },
      update: { versionId: args.to.id, updatedById: actorId },
    });
  } else {
    await tx.modelAlias.delete({ where: { modelId_name: { modelId: args.model.id, name: args.alias } } });
  }
  // History is read in createdAt order (rollback walks it back): under the row lock each move is
  // stamped strictly after the alias's last one, whatever the clocks of the hosts that made them.
  const last = await tx.modelAliasEvent.findFirst({ where: { modelId: args.model.id, alias: args.alias }, orderBy: { createdAt: "desc" }, select: { createdAt: true } });
  const createdAt = new Date(Math.max(Date.now(), (last?.createdAt.getTime() ?? 0) + 1));
  await tx.modelAliasEvent.create({
    data: { modelId: args.model.id, alias: args.alias, fromVersionId: from, toVersionId: args.to?.id ?? null, kind: args.kind, reason: args.reason ?? null, gateReportId: args.gateReportId ?? null, actorId, createdAt },
  });
  await emitEvent(tx, modelAliasMoved, { projectId: args.projectId, payload: { modelId: args.model.id, alias: args.alias, fromVersionId: from, toVersionId: args.to?.id ?? null, kind: args.kind } });
  await recordAudit(tx, {
    orgId: args.orgId,
    projectId: args.projectId,
    actor: args.actor,
    action: `model.alias.${args.kind}`,
    target: { type: "model", id: args.model.id, label: `${args.model.name}@${args.alias}` },
    before: { versionId: from },
    after: { versionId: args.to?.id ?? null, ...(args.to ? { number: args.to.number } : {}), ...(args.reason ? { reason: args.reason } : {}) },
  });
  return true;
}

/** Locks a model row until the transaction ends: alias moves and registrations of one model take turns. */
export async function lockModel(tx: Tx, projectId: string, modelId: string) {
  const [row] = await tx.$queryRaw<{ id: string; name: string }[]>`SELECT id, name FROM "RegisteredModel" WHERE id = ${modelId} AND "projectId" = ${projectId} FOR UPDATE`;
  if (!row) throw notFound("Model");
  return row;
}

/** Points an alias (any name but champion) at a version of its model; an archived version cannot take one. */
export async function setAlias(args: Args & { versionId: string; alias: string }): Promise<ModelDto> {
  refuseChampion(args.alias);
  const modelId = await db().$transaction(async (tx) => {
    const version = await tx.modelVersion.findFirst({ where: { id: args.versionId, projectId: args.projectId }, select: { id: true, number: true, modelId: true } });
    if (!version) throw notFound("Model version");
    const model = await lockModel(tx, args.projectId, version.modelId);
    // Read again under the lock: an archive that committed meanwhile is seen.
    const fresh = await tx.modelVersion.findUniqueOrThrow({ where: { id: version.id }, select: { archivedAt: true } });
    if (fresh.archivedAt) throw new AppError("CONFLICT", `${model.name} v${version.number} is archived; unarchive it before pointing an alias at it`);
    await moveAlias(tx, { ...args, model, to: { id: version.id, number: version.number }, kind: "set" });
    return model.id;
  });
  return getModel({ projectId: args.projectId, modelId });
}

/** Removes an alias (any name but champion); NOT_FOUND when the model has no such alias. */
export async function removeAlias(args: Args & { modelId: string; alias: string }): Promise<ModelDto> {
  refuseChampion(args.alias);
  await db().$transaction(async (tx) => {
    const model = await lockModel(tx, args.projectId, args.modelId);
    if (!(await moveAlias(tx, { ...args, model, to: null, kind: "remove" }))) throw notFound(`Alias ${args.alias} of ${model.name}`);
  });
  return getModel({ projectId: args.projectId, modelId: args.modelId });
}
