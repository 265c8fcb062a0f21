import { notFound } from "next/navigation";
import { loadOrFail } from "../../../../../_lib/server-page";
import { projectTitle } from "../../../../../_lib/titles";
import { EditPipeline } from "./edit-pipeline";

export const dynamic = "force-dynamic";
export const generateMetadata = projectTitle("Pipelines", async (_c, _id, p) => `Edit ${decodeURIComponent(p.name!)}`);

type Props = { params: Promise<{ org: string; project: string; name: string }> };

export default async function Page({ params }: Props) {
  const { org: orgSlug, project: projectSlug, name } = await params;
  const id = await loadOrFail(async (caller) => {
    const project = await caller.project.get({ orgSlug, projectSlug });
    const all = await caller.pipeline.list({ projectId: project.id, includeArchived: true });
    return all.find((p) => p.name === decodeURIComponent(name))?.id ?? null;
  });
  if (!id) notFound();
  return <EditPipeline pipelineId={id} />;
}
