import { projectRoute } from "@/server/api/http";
import { retryStep } from "@/server/pipelines/engine";
import { runFromPath } from "@/server/pipelines/rest";

export const dynamic = "force-dynamic";

type Params = { project: string; name: string; number: string; step: string };

/** POST: runs one FAILED or CANCELLED step of a finished run again; the steps before it keep their outputs. */
export const POST = projectRoute<Params>({ minRole: "MEMBER", what: "retrying a pipeline step" }, async (_req, { caller, access, params }) => {
  const run = await runFromPath(access.project.id, params.name, params.number);
  return Response.json(await retryStep({ projectId: access.project.id, runId: run.id, stepId: params.step, actor: caller.actor }));
});
