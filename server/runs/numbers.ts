import { db, type Tx } from "../db";
import { isUniqueViolation } from "../errors";

/** Finds an experiment by name, creating it when missing (concurrent creators agree on one row). */
export async function ensureExperiment(projectId: string, name: string): Promise<string> {
  const found = await db().experiment.findUnique({ where: { projectId_name: { projectId, name } }, select: { id: true } });
  if (found) return found.id;
  try {
    return (await db().experiment.create({ data: { projectId, name }, select: { id: true } })).id;
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return (await db().experiment.findUniqueOrThrow({ where: { projectId_name: { projectId, name } }, select: { id: true } })).id;
  }
}

/**
 * The next run number of an experiment, for a run created in the same transaction. The experiment
 * row stays locked until that transaction ends, so concurrent creators (tracked runs and training
 * runs alike) take turns instead of colliding on the (experimentId, number) unique key.
 */
export async function nextRunNumber(tx: Tx, experimentId: string): Promise<number> {
  await tx.$queryRaw`SELECT 1 FROM "Experiment" WHERE id = ${experimentId} FOR UPDATE`;
  const last = await tx.run.findFirst({ where: { experimentId }, orderBy: { number: "desc" }, select: { number: true } });
  return (last?.number ?? 0) + 1;
}
