import { db, type Tx } from "../db";
import { AppError, notFound } from "../errors";
import { recordAudit, type Actor } from "../audit/audit";
import { labelDependents, lineageDependents, refuseWhileDepended, removeLineage, type LineageNode } from "../lineage/dependents";
import { addressesOf, collectUnreferenced } from "../storage/references";
import { runsByIds } from "./runs";
import type { RunDto } from "./schemas";

interface Args {
  projectId: string;
  orgId: string;
  actor: Actor;
}

/** Hides a run from default lists (archived) or shows it again. */
export async function setRunArchived(args: Args & { runId: string; archived: boolean }): Promise<RunDto> {
  await db().$transaction(async (tx) => {
    const run = await tx.run.findFirst({ where: { id: args.runId, projectId: args.projectId }, select: { id: true, number: true, name: true, archivedAt: true } });
    if (!run) throw notFound("Run");
    if ((run.archivedAt !== null) === args.archived) return;
    await tx.run.update({ where: { id: run.id }, data: { archivedAt: args.archived ? new Date() : null } });
    await recordAudit(tx, {
      orgId: args.orgId,
      projectId: args.projectId,
      actor: args.actor,
      action: args.archived ? "run.archive" : "run.unarchive",
      target: { type: "run", id: run.id, label: `#${run.number} ${run.name}` },
    });
  });
  return (await runsByIds(args.projectId, [args.runId]))[0]!;
}

/**
 * Locks runs for deletion and refuses while one is still queued or running (its worker would
 * write into a deleted run) or something outside the set depends on one (e.g. a model version).
 */
async function lockRunsForDelete(tx: Tx, projectId: string, runIds: string[], what: string): Promise<void> {
  if (runIds.length === 0) return;
  const rows = await tx.$queryRaw<{ number: number; status: string }[]>`SELECT number, status::text AS status FROM "Run" WHERE id = ANY(${runIds}) ORDER BY id FOR UPDATE`;
  const active = rows.filter((r) => r.status === "QUEUED" || r.status === "RUNNING");
  if (active.length > 0) {
    throw new AppError("CONFLICT", `${what} cannot be deleted while run ${active.map((r) => `#${r.number}`).join(", ")} is queued or running; cancel or finish it first.`);
  }
  // Model versions keep their run as lineage and evidence (the foreign key refuses too, without a useful message).
  const versions = await tx.modelVersion.findMany({ where: { runId: { in: runIds } }, select: { number: true, model: { select: { name: true } } }, orderBy: { number: "asc" }, take: 6 });
  if (versions.length > 0) {
    const names = versions.slice(0, 5).map((v) => `${v.model.name} v${v.number}`).join(", ");
    throw new AppError("CONFLICT", `${what} cannot be deleted while model version${versions.length === 1 ? "" : "s"} ${names}${versions.length > 5 ? " and more" : ""} came from it; delete those versions first.`);
  }
  const nodes: LineageNode[] = runIds.map((id) => ({ kind: "run", id }));
  refuseWhileDepended(what, await labelDependents(tx, await lineageDependents(tx, projectId, nodes)));
}

async function removeRuns(tx: Tx, projectId: string, runIds: string[]): Promise<string[]> {
  const addresses = await addressesOf(tx, { runIds });
  await removeLineage(tx, projectId, runIds.map((id) => ({ kind: "run", id })));
  return addresses;
}

/** Deletes a finished run with its metrics, logs, evaluations and artifacts (bytes nobody else references). */
export async function deleteRun(args: Args & { runId: string }): Promise<{ removedArtifacts: number }> {
  const addresses = await db().$transaction(async (tx) => {
    const run = await tx.run.findFirst({ where: { id: args.runId, projectId: args.projectId }, select: { id: true, number: true, name: true, status: true, experiment: { select: { name: true } } } });
    if (!run) throw notFound("Run");
    const label = `#${run.number} ${run.name}`;
    await lockRunsForDelete(tx, args.projectId, [run.id], `Run ${label}`);
    const addresses = await removeRuns(tx, args.projectId, [run.id]);
    await tx.run.delete({ where: { id: run.id } });
    await recordAudit(tx, {
      orgId: args.orgId,
      projectId: args.projectId,
      actor: args.actor,
      action: "run.delete",
      target: { type: "run", id: run.id, label },
      before: { experiment: run.experiment.name, status: run.status, artifacts: addresses.length },
    });
    return addresses;
  });
  return { removedArtifacts: (await collectUnreferenced(addresses)).length };
}

/** Deletes an experiment with all its runs, under the same rules as deleting each run. */
export async function deleteExperiment(args: Args & { experimentId: string }): Promise<{ removedArtifacts: number }> {
  const addresses = await db().$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string; name: string }[]>`SELECT id, name FROM "Experiment" WHERE id = ${args.experimentId} AND "projectId" = ${args.projectId} FOR UPDATE`;
    const experiment = locked[0];
    if (!experiment) throw notFound("Experiment");
    const runIds = (await tx.run.findMany({ where: { experimentId: experiment.id }, select: { id: true } })).map((r) => r.id);
    await lockRunsForDelete(tx, args.projectId, runIds, `Experiment ${experiment.name}`);
    const addresses = await removeRuns(tx, args.projectId, runIds);
    await tx.experiment.delete({ where: { id: experiment.id } });
    await recordAudit(tx, {
      orgId: args.orgId,
      projectId: args.projectId,
      actor: args.actor,
      action: "experiment.delete",
      target: { type: "experiment", id: experiment.id, label: experiment.name },
      before: { runs: runIds.length },
    });
    return addresses;
  });
  return { removedArtifacts: (await collectUnreferenced(addresses)).length };
}
