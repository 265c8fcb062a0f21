import { db } from "../db";
import { artifactStore } from "./artifact-store";

/**
 * Deletes stored bytes that no row refers to. Content addresses are shared by dataset versions and
 * run artifacts (of any tenant), so bytes whose recording failed go only when nothing else uses them.
 */
export async function deleteIfUnreferenced(sha256: string): Promise<void> {
  const [versions, artifacts] = await Promise.all([db().datasetVersion.count({ where: { sha256 } }), db().runArtifact.count({ where: { sha256 } })]);
  if (versions + artifacts === 0) await artifactStore().delete(sha256);
}
