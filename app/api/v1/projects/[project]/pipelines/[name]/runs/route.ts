import { z } from "zod";
import { COMMAND_BODY_LIMIT, projectRoute } from "@/server/api/http";
import { bodyText, parseJsonText } from "@/server/lib/http";
import { pipelineFromPath, startInput } from "@/server/pipelines/rest";
import { listPipelineRuns, startPipelineRun } from "@/server/pipelines/runs";

export const dynamic = "force-dynamic";

type Params = { project: string; name: string };

const ZLimit = z.coerce.number().int().min(1).max(200).default(50);

/** GET: the pipeline's runs, newest first (`?limit=` up to 200, default 50). */
export const GET = projectRoute<Params>({ minRole: "VIEWER", what: "reading pipeline runs" }, async (req, { access, params }) => {
  const pipeline = await pipelineFromPath(access.project.id, params.name);
  const limit = ZLimit.parse(new URL(req.url).searchParams.get("limit") ?? undefined);
  return Response.json(await listPipelineRuns({ projectId: access.project.id, pipelineId: pipeline.id, limit }));
});

/** POST {params?, idempotencyKey?}: starts a run (201); a repeated idempotency key answers the first run (200). */
export const POST = projectRoute<Params>({ minRole: "MEMBER", what: "starting a pipeline run" }, async (req, { caller, access, params }) => {
  const pipeline = await pipelineFromPath(access.project.id, params.name);
  const text = await bodyText(req, COMMAND_BODY_LIMIT);
  const body = text.trim() === "" ? {} : parseJsonText(text, "The request body must be JSON (Content-Type: application/json)");
  const input = startInput(access.project.id, pipeline.id, body, req.headers);
  const { run, created } = await startPipelineRun({
    projectId: access.project.id,
    pipelineId: pipeline.id,
    trigger: "api",
    triggerInfo: { by: caller.actor.label },
    params: input.params,
    idempotencyKey: input.idempotencyKey,
    actor: caller.actor,
  });
  return Response.json(run, { status: created ? 201 : 200 });
});
