import { db, type Prisma } from "../db";
import { AppError } from "../errors";
import { emitEvent } from "../events/outbox";
import { datasetVersionProfiled } from "../events/definitions";
import { DatasetProfiler } from "../ml/profile";
import { readStoredTable } from "./read";
import { SplitAssigner } from "./split";
import { storedSplit } from "./versions";

const asJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;

/**
 * The dataset.profile job: one pass over the stored bytes for the profile and the split counts,
 * then the dataset.version.profiled event, emitted in the same transaction. A second run of a finished version
 * does nothing.
 */
export async function profileVersion(versionId: string, signal?: AbortSignal): Promise<void> {
  const version = await db().datasetVersion.findUnique({ where: { id: versionId } });
  if (!version || version.profileStatus === "READY") return;
  const split = storedSplit(version);
  const profiler = new DatasetProfiler(version.columns);
  const assigner = new SplitAssigner(split, version.columns);
  try {
    await readStoredTable(
      version,
      (rows) => {
        for (const row of rows) {
          profiler.pushRow(row);
          assigner.next(row);
        }
      },
      signal,
    );
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    // The bytes themselves are bad (they passed the upload check, so this means a reader change): retrying cannot help.
    await db().datasetVersion.update({ where: { id: version.id }, data: { profileStatus: "FAILED", profileError: err.message, validation: "FAILED" } });
    return;
  }
  const profile = profiler.finish();
  await db().$transaction(async (tx) => {
    const updated = await tx.datasetVersion.updateMany({
      where: { id: version.id, profileStatus: { not: "READY" } },
      data: { profileStatus: "READY", profileError: null, rowCount: profile.rowCount, profile: asJson(profile), splitCounts: assigner.counts },
    });
    if (updated.count === 1) await emitEvent(tx, datasetVersionProfiled, { projectId: version.projectId, payload: { versionId: version.id, datasetId: version.datasetId } });
  });
}
