import { AppError } from "@/server/errors";
import { jsonBody, projectRoute } from "@/server/api/http";
import { chunksOf } from "@/server/lib/streams";
import { modelFromPath } from "@/server/registry/lookup";
import { ZModelName } from "@/server/registry/names";
import { listVersions } from "@/server/registry/read";
import { registerExternal, registerFromRun } from "@/server/registry/register";
import { ZRestRegisterFromRun, ZRestUploadQuery } from "@/server/registry/schemas";

export const dynamic = "force-dynamic";

type Params = { project: string; name: string };

/** GET lists the model's versions, newest first. */
export const GET = projectRoute<Params>({ minRole: "VIEWER", runTokens: "read", what: "listing model versions" }, async (_req, { access, params }) => {
  const model = await modelFromPath(access.project.id, params.name);
  return Response.json({ versions: await listVersions({ projectId: access.project.id, modelId: model.id, includeArchived: true }) });
});

/**
 * POST registers a version: JSON {runId, description?} takes a FINISHED run's model.onnx; an
 * application/octet-stream body is an ONNX file (?task=regression|binary, ?description=, ?fileName=).
 * 201 with the new version, 200 with the existing one when the same bytes were registered before.
 */
export const POST = projectRoute<Params>({ minRole: "MEMBER", what: "registering a model version" }, async (req, { caller, access, params }) => {
  const modelName = ZModelName.parse(params.name);
  const base = { projectId: access.project.id, orgId: access.org.id, actor: caller.actor, modelName };
  const type = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  let result;
  if (type === "application/octet-stream") {
    const q = ZRestUploadQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
    if (!req.body) throw new AppError("BAD_REQUEST", "The request has no body: send the ONNX file's bytes");
    const declared = Number(req.headers.get("content-length") ?? "");
    result = await registerExternal({
      ...base,
      body: chunksOf(req.body),
      declaredBytes: Number.isSafeInteger(declared) && declared > 0 ? declared : undefined,
      task: q.task,
      description: q.description,
      fileName: q.fileName ?? req.headers.get("x-file-name") ?? undefined,
    });
  } else if (type === "application/json") {
    const input = await jsonBody(req, ZRestRegisterFromRun);
    result = await registerFromRun({ ...base, runId: input.runId, description: input.description });
  } else {
    throw new AppError("BAD_REQUEST", 'Send JSON {"runId": "…"} with Content-Type: application/json, or the ONNX file with Content-Type: application/octet-stream');
  }
  return Response.json(result.version, { status: result.created ? 201 : 200 });
});
