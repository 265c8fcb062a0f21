/** What the shadow and A/B reports read about a deployment: its row (project-scoped) and its versions' tasks and encoding specs. */
import { db } from "../db";
import { notFound } from "../errors";
import { readArtifactBytes, storedEncoding } from "../evaluation/encoding";
import { parseEncodingSpec, type EncodingSpec } from "../ml/features";

export interface AnalysedVersion {
  id: string;
  task: "regression" | "binary";
  /** The encoding spec it was trained with; null for an external file that carries none. */
  spec: EncodingSpec | null;
}

/** The deployment `deploymentId` of the project (another tenant's is NOT_FOUND like a missing one). */
export async function deploymentRow(projectId: string, deploymentId: string) {
  const row = await db().deployment.findFirst({
    where: { id: deploymentId, projectId },
    select: { id: true, projectId: true, strategy: true, stableVersionId: true, candidateVersionId: true },
  });
  if (!row) throw notFound("Deployment");
  return row;
}

/** A version of the project with its task and spec (the spec read from the ONNX file when the row has none). */
export async function analysedVersion(projectId: string, versionId: string): Promise<AnalysedVersion> {
  const v = await db().modelVersion.findFirst({ where: { id: versionId, projectId }, select: { id: true, task: true, encoding: true, sha256: true } });
  if (!v) throw notFound("Model version");
  const spec = v.encoding !== null ? parseEncodingSpec(v.encoding) : ((await storedEncoding(null, await readArtifactBytes(v.sha256)).catch(() => null))?.spec ?? null);
  return { id: v.id, task: v.task === "binary" ? "binary" : "regression", spec };
}

/**
 * A time bound on a log's "createdAt" (timestamp without zone, written in UTC) for the SQL parameter
 * `param` holding a Date: pg sends a Date in the process's zone with its offset, which a comparison
 * with a zoneless column would drop, so the bound goes through timestamptz.
 */
export const utcBound = (param: string) => `(${param}::timestamptz AT TIME ZONE 'UTC')`;
