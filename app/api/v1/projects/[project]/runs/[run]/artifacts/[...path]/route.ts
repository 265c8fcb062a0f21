import { projectRoute } from "@/server/api/http";
import { artifactPathFromUrl, artifactResponse, getArtifact, putArtifact } from "@/server/runs/artifacts";
import { chunksOf } from "@/server/lib/streams";

export const dynamic = "force-dynamic";

type Params = { project: string; run: string; path: string[] };

/** PUT stores the request body as the run's artifact at that path (replacing an earlier one). */
export const PUT = projectRoute<Params>({ minRole: "MEMBER", runTokens: "own-run", what: "uploading an artifact" }, async (req, { access, params: p }) => {
  const path = artifactPathFromUrl(req.url);
  if (!req.body) return Response.json({ error: { code: "BAD_REQUEST", message: "The request has no body" } }, { status: 400 });
  const stored = await putArtifact({ projectId: access.project.id, runId: p.run, path, body: chunksOf(req.body), contentType: req.headers.get("content-type") });
  return Response.json(stored, { status: 201 });
});

/** GET returns the artifact's bytes (sandboxed: see artifactResponse). */
export const GET = projectRoute<Params>({ minRole: "VIEWER", runTokens: "read", what: "reading an artifact" }, async (req, { access, params: p }) => {
  const path = artifactPathFromUrl(req.url);
  const { row, stream } = await getArtifact(access.project.id, p.run, path);
  return artifactResponse(row, stream);
});
