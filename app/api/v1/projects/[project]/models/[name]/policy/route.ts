import { projectRoute } from "@/server/api/http";
import { getPolicy, savePolicy } from "@/server/gates/policies";
import { policyFromRequest } from "@/server/gates/rest";
import { modelFromPath } from "@/server/registry/lookup";

export const dynamic = "force-dynamic";

type Params = { project: string; name: string };

/** GET the model's current gate policy (`yaml`, `policy`, `revision`; revision null = the default, not saved). */
export const GET = projectRoute<Params>({ minRole: "VIEWER", runTokens: "read", what: "reading a gate policy" }, async (_req, { access, params }) => {
  const model = await modelFromPath(access.project.id, params.name);
  return Response.json(await getPolicy({ projectId: access.project.id, modelId: model.id }));
});

/**
 * PUT a new policy revision: YAML as text/plain (comment in `?comment=`) or JSON `{yaml|policy, comment}`.
 * A bad policy is 400 with the line: `line 7 (checks.champion.mode): Invalid option ...`.
 */
export const PUT = projectRoute<Params>({ minRole: "ADMIN", what: "saving a gate policy" }, async (req, { caller, access, params }) => {
  const model = await modelFromPath(access.project.id, params.name);
  const body = await policyFromRequest(req);
  return Response.json(await savePolicy({ projectId: access.project.id, orgId: access.org.id, modelId: model.id, ...body, actor: caller.actor }));
});
