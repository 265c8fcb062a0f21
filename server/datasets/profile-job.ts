import { db, type Prisma } from "../db";
import { AppError, isUnstorableText } from "../errors";
import { emitEvent } from "../events/outbox";
import { datasetVersionProfiled } from "../events/definitions";
import { DatasetProfiler } from "../ml/profile";
import { readStoredTable } from "./read";
import { SplitAssigner } from "./split";
import { storedSplit } from "./versions";

const asJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;

/**
 * The dataset.profile job: one pass over the stored bytes for the profile and the split counts,
 * then the dataset.version.profiled event, emitted in the same transaction. A second run of a finished
 * version does nothing. A version that cannot be profiled ends FAILED with the reason: at once when the
 * data is at fault (retrying cannot help), otherwise on the job's last attempt.
 */
export async function profileVersion(versionId: string, signal?: AbortSignal, opts: { lastAttempt?: boolean; attempts?: number } = {}): Promise<void> {
  const version = await db().datasetVersion.findUnique({ where: { id: versionId } });
  if (!version || version.profileStatus === "READY") return;
  const fail = (reason: string) =>
    db().datasetVersion.updateMany({ where: { id: version.id, profileStatus: { not: "READY" } }, data: { profileStatus: "FAILED", profileError: reason.slice(0, 2000), validation: "FAILED" } });
  const giveUp = async (err: unknown) => {
    if (signal?.aborted || !opts.lastAttempt) throw err;
    await fail(`Profiling failed after ${opts.attempts ?? "several"} attempts: ${err instanceof Error ? err.message : String(err)}`);
  };
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
    // The readers name bad bytes with AppError (unreadable pages, values nested too deeply).
    if (err instanceof AppError) await fail(err.message);
    else await giveUp(err);
    return;
  }
  const profile = profiler.finish();
  try {
    await db().$transaction(async (tx) => {
      const updated = await tx.datasetVersion.updateMany({
        where: { id: version.id, profileStatus: { not: "READY" } },
        data: { profileStatus: "READY", profileError: null, rowCount: profile.rowCount, profile: asJson(profile), splitCounts: assigner.counts },
      });
      if (updated.count === 1) await emitEvent(tx, datasetVersionProfiled, { projectId: version.projectId, payload: { versionId: version.id, datasetId: version.datasetId } });
    });
  } catch (err) {
    if (isUnstorableText(err)) await fail("The data contains NUL characters (\\u0000) or other text Postgres cannot store, so its profile cannot be saved; remove them and upload again");
    else await giveUp(err);
  }
}
