import { COMMAND_BODY_LIMIT, jsonBody, projectRoute } from "@/server/api/http";
import { getModelVersionByNumber, modelFromPath } from "@/server/registry/lookup";
import { promote } from "@/server/promotion/promote";
import { ZPromoteBody } from "@/server/promotion/schemas";

export const dynamic = "force-dynamic";

type Params = { project: string; name: string };

/** POST {version}: moves `champion` to that version number (409 when the champion moved under its gate, 412 while blocked). */
export const POST = projectRoute<Params>({ minRole: "ADMIN", what: "promoting a model version" }, async (req, { caller, access, params }) => {
  const body = await jsonBody(req, ZPromoteBody, { limit: COMMAND_BODY_LIMIT, emptyAs: {} });
  const model = await modelFromPath(access.project.id, params.name);
  const version = await getModelVersionByNumber(access.project.id, model.id, body.version);
  const move = await promote({ projectId: access.project.id, orgId: access.org.id, modelId: model.id, versionId: version.id, actor: caller.actor });
  return Response.json(move);
});
