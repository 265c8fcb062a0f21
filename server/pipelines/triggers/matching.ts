/**
 * Which pipelines a trigger starts: the triggers of a pipeline are those of its current revision
 * (the YAML saved last), read back through ZPipelineSpec like any stored JSON.
 */
import { db, type Tx } from "../../db";
import type { PipelineSpec, Trigger } from "../spec";
import { readSpec } from "../steps/plan";

export interface TriggeredPipeline {
  id: string;
  projectId: string;
  name: string;
  spec: PipelineSpec;
}

/** The stored spec of a revision, or null (logged) when it no longer reads. */
export function storedSpec(revisionId: string, spec: unknown): PipelineSpec | null {
  try {
    return readSpec(spec);
  } catch (err) {
    // A revision this version of the spec cannot read starts nothing, rather than failing every trigger of the project.
    console.error(`[pipelines] revision ${revisionId}: ${(err as Error).message}`);
    return null;
  }
}

/** Current specs of the given pipelines (archived ones and those never saved are left out), in the order given. */
export async function currentSpecs(
  pipelines: readonly { id: string; projectId: string; name: string; currentRevisionId: string | null; archivedAt: Date | null }[],
  client: Tx = db(),
): Promise<TriggeredPipeline[]> {
  const live = pipelines.filter((p) => p.archivedAt === null && p.currentRevisionId !== null);
  const revisions = await client.pipelineRevision.findMany({
    where: { id: { in: live.map((p) => p.currentRevisionId!) } },
    select: { id: true, pipelineId: true, spec: true },
  });
  const byId = new Map(revisions.map((r) => [r.id, r]));
  const out: TriggeredPipeline[] = [];
  for (const p of live) {
    const revision = byId.get(p.currentRevisionId!);
    // A revision always belongs to its pipeline; the check keeps a corrupted pointer from borrowing another pipeline's spec.
    if (!revision || revision.pipelineId !== p.id) continue;
    const spec = storedSpec(revision.id, revision.spec);
    if (spec) out.push({ id: p.id, projectId: p.projectId, name: p.name, spec });
  }
  return out;
}

/** The project's live pipelines having a trigger that `match` accepts, oldest first. */
export async function pipelinesTriggeredBy(projectId: string, match: (t: Trigger) => boolean, client: Tx = db()): Promise<TriggeredPipeline[]> {
  const pipelines = await client.pipeline.findMany({
    where: { projectId, archivedAt: null, currentRevisionId: { not: null } },
    select: { id: true, projectId: true, name: true, currentRevisionId: true, archivedAt: true },
    orderBy: { createdAt: "asc" },
  });
  return (await currentSpecs(pipelines, client)).filter((p) => p.spec.triggers.some(match));
}
