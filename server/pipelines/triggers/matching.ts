/**
 * Which pipelines a trigger starts: the triggers of a pipeline are those of its current revision
 * (the YAML saved last), read back through ZPipelineSpec like any stored JSON.
 */
import { db, type Tx } from "../../db";
import { ZPipelineSpec, type PipelineSpec, type Trigger } from "../spec";

export interface TriggeredPipeline {
  id: string;
  projectId: string;
  name: string;
  spec: PipelineSpec;
}

/** The current spec of one pipeline revision, or null (logged) when the stored spec no longer parses. */
export function storedSpec(revisionId: string, spec: unknown): PipelineSpec | null {
  const parsed = ZPipelineSpec.safeParse(spec);
  if (parsed.success) return parsed.data;
  // A revision saved by an older version of the spec that this one refuses starts nothing rather than failing every trigger of the project.
  console.error(`[pipelines] revision ${revisionId} has a spec this version cannot read: ${parsed.error.message}`);
  return null;
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
