/** Requesting gate evaluations: a PENDING report for (version, current policy revision, current champion) and its job, in one transaction. */
import { db, type Tx } from "../db";
import { AppError } from "../errors";
import type { Actor } from "../audit/audit";
import { enqueue } from "../jobs/boss";
import { gateEvaluate } from "../jobs/definitions";
import { getModelVersionRow } from "../registry/lookup";
import { CHAMPION } from "../registry/names";
import { getReport } from "./reports";

/** The alias that marks versions waiting to replace the champion; a new policy re-gates them. */
export const CHALLENGER = "challenger";

/**
 * A PENDING gate report for the version under the model's current policy revision and champion, with
 * its job. A report for the same triple that is still pending or running is returned instead of a
 * second one; with `finishedToo`, so is one that is done (an automatic request after registration
 * must not re-gate a version that a pipeline's gate step already judged, which would leave its
 * latest report pending just as the pipeline deploys it). Throws PRECONDITION_FAILED when the model
 * has no saved policy.
 */
export async function requestGateInTx(tx: Tx, args: { projectId: string; modelId: string; versionId: string; actor: Actor; finishedToo?: boolean }) {
  const revision = await tx.gatePolicyRevision.findFirst({ where: { modelId: args.modelId }, orderBy: { revision: "desc" }, select: { id: true } });
  if (!revision) throw new AppError("PRECONDITION_FAILED", "The model has no gate policy yet: save one (gate.savePolicy or PUT .../policy) first");
  const champion = await tx.modelAlias.findUnique({ where: { modelId_name: { modelId: args.modelId, name: CHAMPION } }, select: { versionId: true } });
  // The champion itself is not compared with itself: its champion checks read as "no champion".
  const championVersionId = champion && champion.versionId !== args.versionId ? champion.versionId : null;
  const open = await tx.gateReport.findFirst({
    where: { versionId: args.versionId, policyRevisionId: revision.id, championVersionId, ...(args.finishedToo ? {} : { status: { in: ["PENDING", "RUNNING"] } }) },
    orderBy: { createdAt: "desc" },
  });
  if (open) return open;
  const report = await tx.gateReport.create({
    data: { projectId: args.projectId, modelId: args.modelId, versionId: args.versionId, policyRevisionId: revision.id, championVersionId, requestedById: args.actor.id },
  });
  await enqueue(gateEvaluate, { reportId: report.id }, { tx });
  return report;
}

/** Requests a gate evaluation of a version on demand; see requestGateInTx. Returns the (pending) report. */
export async function requestGate(args: { projectId: string; versionId: string; actor: Actor }) {
  const version = await getModelVersionRow(args.projectId, args.versionId);
  if (version.archivedAt) throw new AppError("PRECONDITION_FAILED", "The version is archived");
  const report = await db().$transaction((tx) => requestGateInTx(tx, { projectId: args.projectId, modelId: version.modelId, versionId: version.id, actor: args.actor }));
  return getReport({ projectId: args.projectId, reportId: report.id });
}

/** After a policy change: re-gates the model's challenger and its latest version (non-archived ones). */
export async function requeueGatesForModel(tx: Tx, args: { projectId: string; modelId: string; actor: Actor }): Promise<string[]> {
  const challenger = await tx.modelAlias.findUnique({ where: { modelId_name: { modelId: args.modelId, name: CHALLENGER } }, select: { versionId: true } });
  const latest = await tx.modelVersion.findFirst({ where: { modelId: args.modelId, archivedAt: null }, orderBy: { number: "desc" }, select: { id: true } });
  const ids = [...new Set([challenger?.versionId, latest?.id].filter((id): id is string => id !== undefined))];
  const live = await tx.modelVersion.findMany({ where: { id: { in: ids }, modelId: args.modelId, archivedAt: null }, select: { id: true } });
  const reports = [];
  for (const v of live) reports.push((await requestGateInTx(tx, { ...args, versionId: v.id })).id);
  return reports;
}
