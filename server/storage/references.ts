import { db, type Tx } from "../db";
import { artifactStore } from "./artifact-store";

/**
 * Serialises, until the transaction ends, everything that writes or removes one content address:
 * bytes are moved to their address and recorded under this lock, and removed under it only when
 * no row refers to them, so one upload's failure cannot delete bytes that another is recording.
 */
export async function lockContent(tx: Tx, sha256: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`cairn-sha256:${sha256}`}, 0))`;
}

/**
 * Deletes stored bytes that no row refers to. Content addresses are shared by dataset versions and
 * run artifacts (of any tenant), so bytes whose recording failed go only when nothing else uses them.
 */
export async function deleteIfUnreferenced(sha256: string): Promise<void> {
  await db().$transaction(async (tx) => {
    await lockContent(tx, sha256);
    const versions = await tx.datasetVersion.count({ where: { sha256 } });
    const artifacts = await tx.runArtifact.count({ where: { sha256 } });
    if (versions + artifacts === 0) await artifactStore().delete(sha256);
  });
}
