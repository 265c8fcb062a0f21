import { Readable } from "node:stream";
import { projectRoute } from "@/server/api/http";
import { artifactPathFromUrl, getArtifact, putArtifact } from "@/server/runs/artifacts";
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

/** GET returns the artifact's bytes; scripts in HTML or SVG artifacts are sandboxed away from Cairn's origin. */
export const GET = projectRoute<Params>({ minRole: "VIEWER", runTokens: "read", what: "reading an artifact" }, async (req, { access, params: p }) => {
  const path = artifactPathFromUrl(req.url);
  const { row, stream } = await getArtifact(access.project.id, p.run, path);
  return new Response(Readable.toWeb(stream) as ReadableStream, {
    headers: {
      "content-type": row.contentType,
      "content-length": String(row.sizeBytes),
      "x-content-type-options": "nosniff",
      "content-security-policy": "sandbox",
      "cache-control": "private, max-age=60",
      etag: `"${row.sha256}"`,
    },
  });
});
