import { projectRoute } from "@/server/api/http";
import { cancelPipelineRun } from "@/server/pipelines/engine";
import { runFromPath } from "@/server/pipelines/rest";

export const dynamic = "force-dynamic";

type Params = { project: string; name: string; number: string };

/** POST: cancels a queued or running run (409 once it has finished). */
export const POST = projectRoute<Params>({ minRole: "MEMBER", what: "cancelling a pipeline run" }, async (_req, { caller, access, params }) => {
  const run = await runFromPath(access.project.id, params.name, params.number);
  return Response.json(await cancelPipelineRun({ projectId: access.project.id, runId: run.id, actor: caller.actor }));
});
