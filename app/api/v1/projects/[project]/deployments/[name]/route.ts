import { projectRoute } from "@/server/api/http";
import { getDeployment } from "@/server/deployments/deployments";
import { deploymentIdByName } from "@/server/deployments/lookup";
import { withEndpoint } from "@/server/deployments/rest";

export const dynamic = "force-dynamic";

type Params = { project: string; name: string };

/** GET: the deployment's split, status, rollout progress and endpoint. */
export const GET = projectRoute<Params>({ minRole: "VIEWER", what: "reading a deployment" }, async (_req, { access, params }) => {
  const deploymentId = await deploymentIdByName(access.project.id, params.name);
  return Response.json(withEndpoint(await getDeployment({ projectId: access.project.id, deploymentId })));
});
