import { COMMAND_BODY_LIMIT, jsonBody, projectRoute } from "@/server/api/http";
import { modelFromPath } from "@/server/registry/lookup";
import { rollback } from "@/server/promotion/promote";
import { ZRollbackBody } from "@/server/promotion/schemas";

export const dynamic = "force-dynamic";

type Params = { project: string; name: string };

/** POST {reason?}: moves `champion` back to the previous champion (412 when there is none). */
export const POST = projectRoute<Params>({ minRole: "ADMIN", what: "rolling back a model's champion" }, async (req, { caller, access, params }) => {
  const body = await jsonBody(req, ZRollbackBody, { limit: COMMAND_BODY_LIMIT, emptyAs: {} });
  const model = await modelFromPath(access.project.id, params.name);
  const move = await rollback({ projectId: access.project.id, orgId: access.org.id, modelId: model.id, reason: body.reason, actor: caller.actor });
  return Response.json(move);
});
