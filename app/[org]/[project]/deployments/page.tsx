import { loadOrFail } from "../../../_lib/server-page";
import { projectTitle } from "../../../_lib/titles";
import { DeploymentsPage } from "./deployments-page";

export const dynamic = "force-dynamic";
export const generateMetadata = projectTitle("Deployments");

type Props = { params: Promise<{ org: string; project: string }> };

export default async function Page({ params }: Props) {
  const { org: orgSlug, project: projectSlug } = await params;
  const { baseUrl } = await loadOrFail(async (caller) => {
    const project = await caller.project.get({ orgSlug, projectSlug });
    return caller.deployment.servingUrl({ projectId: project.id });
  });
  return <DeploymentsPage serveUrl={baseUrl} />;
}
