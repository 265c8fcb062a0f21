import { projectRoute } from "@/server/api/http";
import { getPipeline } from "@/server/pipelines/pipelines";
import { pipelineFromPath } from "@/server/pipelines/rest";

export const dynamic = "force-dynamic";

type Params = { project: string; name: string };

/** GET: the pipeline with its current YAML, revisions, triggers, last run and next cron runs. */
export const GET = projectRoute<Params>({ minRole: "VIEWER", what: "reading a pipeline" }, async (_req, { access, params }) => {
  const pipeline = await pipelineFromPath(access.project.id, params.name);
  return Response.json(await getPipeline({ projectId: access.project.id, pipelineId: pipeline.id }));
});
