import { notFound } from "next/navigation";
import { loadOrFail } from "../../../../_lib/server-page";
import { projectTitle } from "../../../../_lib/titles";
import { DeploymentPage } from "./deployment-page";

export const dynamic = "force-dynamic";
export const generateMetadata = projectTitle("Deployments", async (_c, _id, p) => decodeURIComponent(p.name!));

type Props = { params: Promise<{ org: string; project: string; name: string }> };

/** Deployments are addressed by name in URLs (as in the serving path /v2/models/{name}); the page works with the id. */
export default async function Page({ params }: Props) {
  const { org: orgSlug, project: projectSlug, name } = await params;
  const found = await loadOrFail(async (caller) => {
    const project = await caller.project.get({ orgSlug, projectSlug });
    const all = await caller.deployment.list({ projectId: project.id });
    const { baseUrl } = await caller.deployment.servingUrl({ projectId: project.id });
    const deployment = all.find((d) => d.name === decodeURIComponent(name));
    return deployment ? { id: deployment.id, baseUrl } : null;
  });
  if (!found) notFound();
  return <DeploymentPage deploymentId={found.id} serveUrl={found.baseUrl} />;
}
