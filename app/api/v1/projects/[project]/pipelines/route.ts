import { projectRoute } from "@/server/api/http";
import { listPipelines, savePipeline } from "@/server/pipelines/pipelines";
import { saveInput, yamlBody } from "@/server/pipelines/rest";

export const dynamic = "force-dynamic";

type Params = { project: string };

/** GET: the project's pipelines (PipelineDto[]), by name, each with its triggers and last run. */
export const GET = projectRoute<Params>({ minRole: "VIEWER", what: "reading pipelines" }, async (_req, { access }) => {
  return Response.json(await listPipelines({ projectId: access.project.id }));
});

/**
 * PUT with the cairn.yaml text as the body (Content-Type application/yaml): creates the pipeline it
 * names or adds a revision when the text changed. 400 lists every problem with its line and column.
 */
export const PUT = projectRoute<Params>({ minRole: "MEMBER", what: "saving a pipeline" }, async (req, { caller, access }) => {
  const input = saveInput(access.project.id, await yamlBody(req), new URL(req.url));
  return Response.json(await savePipeline({ projectId: access.project.id, yaml: input.yaml, source: input.source, actor: caller.actor }));
});
