import { projectRoute } from "@/server/api/http";
import { ZModelName } from "@/server/registry/names";
import { readJsonBody } from "@/server/api/json-body";
import { getModelByName, getModelVersionByNumber } from "@/server/registry/lookup";
import { promote } from "@/server/promotion/promote";
import { ZPromoteBody } from "@/server/promotion/schemas";

export const dynamic = "force-dynamic";

type Params = { project: string; name: string };

/** POST {version}: moves `champion` to that version number (409 when the champion moved under its gate, 412 while blocked). */
export const POST = projectRoute<Params>({ minRole: "ADMIN", what: "promoting a model version" }, async (req, { caller, access, params }) => {
  const body = await readJsonBody(req, ZPromoteBody);
  const model = await getModelByName(access.project.id, ZModelName.parse(params.name));
  const version = await getModelVersionByNumber(access.project.id, model.id, body.version);
  const move = await promote({ projectId: access.project.id, orgId: access.org.id, modelId: model.id, versionId: version.id, actor: caller.actor });
  return Response.json(move);
});
