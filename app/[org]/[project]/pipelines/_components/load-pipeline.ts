import { notFound } from "next/navigation";
import { loadOrFail } from "../../../../_lib/server-page";

type NameParams = Promise<{ org: string; project: string; name: string }>;

/**
 * Pipelines are addressed by name in URLs (as in the REST API and the CLI); their pages work with the id.
 * Archived pipelines too (their runs stay readable); an unknown name is a 404.
 */
export async function pipelineIdFromParams(params: NameParams): Promise<string> {
  const { org: orgSlug, project: projectSlug, name } = await params;
  const id = await loadOrFail(async (caller) => {
    const project = await caller.project.get({ orgSlug, projectSlug });
    const all = await caller.pipeline.list({ projectId: project.id, includeArchived: true });
    return all.find((p) => p.name === decodeURIComponent(name))?.id ?? null;
  });
  if (!id) notFound();
  return id;
}
