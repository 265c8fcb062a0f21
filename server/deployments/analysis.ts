/** What the shadow and A/B reports read about a deployment: its row (project-scoped) and its versions' tasks and encoding specs. */
import { db } from "../db";
import { notFound } from "../errors";
import { encodingForModelVersion } from "../evaluation/encoding";
import type { EncodingSpec } from "../ml/features";

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
  // A file that cannot be read leaves an external version without a spec; a stored spec that does not parse is an error.
  const spec = await encodingForModelVersion(v).catch((err: unknown) => {
    if (v.encoding !== null) throw err;
    return null;
  });
  return { id: v.id, task: v.task === "binary" ? "binary" : "regression", spec };
}
