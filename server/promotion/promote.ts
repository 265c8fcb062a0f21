/**
 * Promote (gated), override (OWNER, reasoned) and rollback: each one transaction holding the model's
 * row lock, so two moves of one model never interleave and the loser of a race gets CONFLICT.
 */
import type { Actor } from "../audit/audit";
import { db } from "../db";
import { AppError } from "../errors";
import { CHAMPION } from "../registry/names";
import { lockModel } from "../registry/aliases";
import { championOf, lockVersion, moveChampion } from "./champion";
import { assessPromotion, currentPolicy, latestReport } from "./readiness";
import type { AliasMoveDto } from "./schemas";
import { voidApprovals } from "./voiding";

interface MoveTarget {
  projectId: string;
  orgId: string;
  modelId: string;
  versionId: string;
  actor: Actor;
}

/** Makes the version champion when its gate passed against the current champion and its approvals are complete. */
export async function promote(args: MoveTarget): Promise<AliasMoveDto> {
  return db().$transaction(async (tx) => {
    const model = await lockModel(tx, args.projectId, args.modelId);
    const version = await lockVersion(tx, model.id, args.versionId);
    const champion = await championOf(tx, model.id);
    const readiness = await assessPromotion(tx, { orgId: args.orgId, modelId: model.id, version, championVersionId: champion });
    if (readiness.blockers.length > 0) {
      // A race lost (the champion moved under the gate) is CONFLICT, whatever else is missing.
      const code = readiness.blockers.some((b) => b.code === "CONFLICT") ? "CONFLICT" : "PRECONDITION_FAILED";
      const ordered = [...readiness.blockers].sort((x, y) => Number(y.code === code) - Number(x.code === code));
      throw new AppError(code, `Cannot promote ${model.name} v${version.number}: ${ordered.map((b) => b.message).join("; ")}`);
    }
    return moveChampion(tx, {
      orgId: args.orgId,
      projectId: args.projectId,
      model,
      to: version,
      kind: "promote",
      reason: null,
      gateReportId: readiness.latest!.id,
      actor: args.actor,
    });
  });
}

/** OWNER's promotion without gates or approvals; the reason is mandatory and the move is flagged "override". */
export async function overridePromote(args: MoveTarget & { reason: string }): Promise<AliasMoveDto> {
  const reason = args.reason.trim();
  if (!reason) throw new AppError("BAD_REQUEST", "An override needs a reason");
  return db().$transaction(async (tx) => {
    const model = await lockModel(tx, args.projectId, args.modelId);
    const version = await lockVersion(tx, model.id, args.versionId);
    if (version.archivedAt) throw new AppError("PRECONDITION_FAILED", `v${version.number} is archived`);
    const champion = await championOf(tx, model.id);
    if (champion === version.id) throw new AppError("CONFLICT", `v${version.number} is already the champion`);
    // The gate report of the moment (if any) is kept with the override, to show what was skipped.
    const policy = await currentPolicy(tx, model.id);
    const report = policy ? await latestReport(tx, version.id, policy.id) : null;
    return moveChampion(tx, { orgId: args.orgId, projectId: args.projectId, model, to: version, kind: "override", reason, gateReportId: report?.id ?? null, actor: args.actor });
  });
}

/**
 * The champion before the current one, reading the history as a stack: a promote, override or set
 * pushes the champion it replaced, a rollback pops it (v1→v2→v3, rollback → v2, rollback → v1).
 */
export function previousChampion(events: { kind: string; fromVersionId: string | null; toVersionId: string | null }[], current: string | null): string | null {
  const stack: string[] = [];
  for (const e of events) {
    if (e.kind === "rollback") stack.pop();
    else if (e.fromVersionId !== null && e.fromVersionId !== e.toVersionId) stack.push(e.fromVersionId);
  }
  while (stack.length > 0 && stack.at(-1) === current) stack.pop();
  return stack.at(-1) ?? null;
}

/** Moves the champion back to the one before it; PRECONDITION_FAILED when there is none. */
export async function rollback(args: Omit<MoveTarget, "versionId"> & { reason?: string }): Promise<AliasMoveDto> {
  return db().$transaction(async (tx) => {
    const model = await lockModel(tx, args.projectId, args.modelId);
    const champion = await championOf(tx, model.id);
    const events = await tx.modelAliasEvent.findMany({
      where: { modelId: model.id, alias: CHAMPION },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { kind: true, fromVersionId: true, toVersionId: true },
    });
    const target = previousChampion(events, champion);
    if (!target) throw new AppError("PRECONDITION_FAILED", `${model.name} has no previous champion to roll back to`);
    const version = await lockVersion(tx, model.id, target);
    if (version.archivedAt) throw new AppError("PRECONDITION_FAILED", `The previous champion v${version.number} is archived: unarchive it or promote another version`);
    const reason = args.reason?.trim() || null;
    if (champion) {
      // The version rolled back from was found wanting in production: its old approvals must not
      // carry it back to champion; promoting it again needs fresh decisions.
      const from = await tx.modelVersion.findUniqueOrThrow({ where: { id: champion }, select: { number: true } });
      const approvals = await tx.modelApproval.findMany({ where: { versionId: champion, voidedAt: null } });
      await voidApprovals(tx, {
        orgId: args.orgId,
        projectId: args.projectId,
        actor: args.actor,
        approvals,
        reason: () => `v${from.number} was rolled back from champion${reason ? `: ${reason}` : ""}; promoting it again needs new decisions`,
        cause: { rollbackToVersionId: version.id },
      });
    }
    return moveChampion(tx, {
      orgId: args.orgId,
      projectId: args.projectId,
      model,
      to: version,
      kind: "rollback",
      reason,
      gateReportId: null,
      actor: args.actor,
    });
  });
}
