import { jsonBody, projectRoute } from "@/server/api/http";
import { createModel } from "@/server/registry/models";
import { listModels } from "@/server/registry/read";
import { ZRestCreateModel } from "@/server/registry/schemas";

export const dynamic = "force-dynamic";

type Params = { project: string };

/** GET lists the project's registered models with their champion, latest version and aliases. */
export const GET = projectRoute<Params>({ minRole: "VIEWER", runTokens: "read", what: "listing models" }, async (_req, { access }) =>
  Response.json({ models: await listModels({ projectId: access.project.id, includeArchived: false }) }),
);

/** POST {name, task, description?} creates an empty model (201); a name in use is 409. */
export const POST = projectRoute<Params>({ minRole: "MEMBER", what: "creating a model" }, async (req, { caller, access }) => {
  const input = await jsonBody(req, ZRestCreateModel);
  const model = await createModel({ projectId: access.project.id, orgId: access.org.id, actor: caller.actor, ...input });
  return Response.json(model, { status: 201 });
});
