import { COMMAND_BODY_LIMIT, jsonBody, projectRoute } from "@/server/api/http";
import { deploymentIdByName } from "@/server/deployments/lookup";
import { changeFromRest, withEndpoint, ZRestBody } from "@/server/deployments/rest";

export const dynamic = "force-dynamic";

type Params = { project: string; name: string; action: string };

/**
 * POST …/{replace|candidate|switch|pause|resume|abort|promote|rollback|advance} with the same fields as the
 * tRPC procedure (a version by `version` number or `alias`; `reason` always welcome). Answers the
 * deployment as it now is; 412 when the environment's policy refuses a version, 409 on a state conflict.
 */
export const POST = projectRoute<Params>({ minRole: "ADMIN", what: "changing a deployment" }, async (req, { caller, access, params }) => {
  const body = await jsonBody(req, ZRestBody, { limit: COMMAND_BODY_LIMIT, emptyAs: {} });
  const deploymentId = await deploymentIdByName(access.project.id, params.name);
  const changed = await changeFromRest({ orgId: access.org.id, projectId: access.project.id, deploymentId, actor: caller.actor }, params.action, body);
  return Response.json(withEndpoint(changed));
});
