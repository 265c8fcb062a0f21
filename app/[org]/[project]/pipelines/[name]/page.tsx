import { notFound } from "next/navigation";
import { loadOrFail } from "../../../../_lib/server-page";
import { projectTitle } from "../../../../_lib/titles";
import { PipelinePage } from "./pipeline-page";

export const dynamic = "force-dynamic";
export const generateMetadata = projectTitle("Pipelines", async (_c, _id, p) => decodeURIComponent(p.name!));

type Props = { params: Promise<{ org: string; project: string; name: string }> };

/** Pipelines are addressed by name in URLs (as in the REST API and the CLI); the page works with the id. */
export default async function Page({ params }: Props) {
  const { org: orgSlug, project: projectSlug, name } = await params;
  const id = await loadOrFail(async (caller) => {
    const project = await caller.project.get({ orgSlug, projectSlug });
    const all = await caller.pipeline.list({ projectId: project.id, includeArchived: true });
    return all.find((p) => p.name === decodeURIComponent(name))?.id ?? null;
  });
  if (!id) notFound();
  return <PipelinePage pipelineId={id} />;
}
