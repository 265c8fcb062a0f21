import { db, type Tx } from "../db";
import { artifactStore } from "./artifact-store";
import type { PendingArtifact } from "./types";

// A pin older than this belongs to a process that died between placing bytes and recording them.
const PIN_LIFETIME_MS = 24 * 3600_000;

/*
 * Bytes are shared by content address across every project, so they may go only when no row
 * references them. The race to rule out: a collector finds no reference, a writer places the same
 * bytes and records its row, then the collector deletes the bytes under that row. Both sides take a
 * per-address advisory lock: writers share it while pinning the address before placing bytes,
 * the collector holds it exclusively from its reference count until the bytes are gone.
 */
const lockKey = (sha256: string) => `artifact:${sha256}`;

/**
 * Places a finished write at its content address and runs `record` (which inserts the row that
 * references it) while the address is pinned, so a concurrent collection cannot remove the bytes.
 */
export async function commitReferenced<T>(pending: PendingArtifact, record: () => Promise<T>): Promise<T> {
  const { sha256 } = await pending.finish();
  const pin = await db().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(hashtextextended(${lockKey(sha256)}, 0))`;
    return tx.artifactPin.create({ data: { sha256 }, select: { id: true } });
  });
  try {
    await pending.commit();
    return await record();
  } finally {
    await db().artifactPin.delete({ where: { id: pin.id } });
  }
}

/** Content addresses of the rows about to be deleted; read inside the deleting transaction. */
export async function addressesOf(tx: Tx, rows: { versionIds?: string[]; runIds?: string[]; modelVersionIds?: string[] }): Promise<string[]> {
  const [versions, artifacts, models] = await Promise.all([
    rows.versionIds?.length ? tx.datasetVersion.findMany({ where: { id: { in: rows.versionIds } }, select: { sha256: true } }) : [],
    rows.runIds?.length ? tx.runArtifact.findMany({ where: { runId: { in: rows.runIds } }, select: { sha256: true } }) : [],
    rows.modelVersionIds?.length ? tx.modelVersion.findMany({ where: { id: { in: rows.modelVersionIds } }, select: { sha256: true } }) : [],
  ]);
  return [...new Set([...versions, ...artifacts, ...models].map((r) => r.sha256))];
}

/**
 * Removes from the store the bytes at each address that no row of any project references any more
 * (dataset versions, run artifacts, model versions, live pins). Call after the deleting transaction committed.
 * Returns the addresses removed.
 */
export async function collectUnreferenced(addresses: Iterable<string>): Promise<string[]> {
  const removed: string[] = [];
  for (const sha256 of new Set(addresses)) {
    const gone = await db().$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${lockKey(sha256)}, 0))`;
        const [versions, artifacts, models, pins] = await Promise.all([
          tx.datasetVersion.count({ where: { sha256 } }),
          tx.runArtifact.count({ where: { sha256 } }),
          tx.modelVersion.count({ where: { sha256 } }),
          tx.artifactPin.count({ where: { sha256, createdAt: { gt: new Date(Date.now() - PIN_LIFETIME_MS) } } }),
        ]);
        if (versions + artifacts + models + pins > 0) return false;
        await artifactStore().delete(sha256);
        return true;
      },
      { timeout: 120_000 },
    );
    if (gone) removed.push(sha256);
  }
  return removed;
}
