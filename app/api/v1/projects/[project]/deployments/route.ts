import { COMMAND_BODY_LIMIT, jsonBody, projectRoute } from "@/server/api/http";
import { listDeployments } from "@/server/deployments/deployments";
import { createFromRest, withEndpoint, ZRestBody } from "@/server/deployments/rest";

export const dynamic = "force-dynamic";

type Params = { project: string };

/** GET: the project's deployments with their splits and endpoints. */
export const GET = projectRoute<Params>({ minRole: "VIEWER", what: "reading deployments" }, async (_req, { access }) => {
  const deployments = await listDeployments({ projectId: access.project.id });
  return Response.json({ deployments: deployments.map(withEndpoint) });
});

/** POST {name, environment, model, version?|alias?, reason?}: serves the model (its champion by default) under `name`. 201. */
export const POST = projectRoute<Params>({ minRole: "ADMIN", what: "creating a deployment" }, async (req, { caller, access }) => {
  const body = await jsonBody(req, ZRestBody, { limit: COMMAND_BODY_LIMIT });
  const created = await createFromRest({ orgId: access.org.id, projectId: access.project.id, actor: caller.actor }, body);
  return Response.json(withEndpoint(created), { status: 201 });
});
