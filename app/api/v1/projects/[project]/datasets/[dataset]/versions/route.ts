import { z } from "zod";
import { projectRoute } from "@/server/api/http";
import { ingestVersion } from "@/server/datasets/ingest";
import { listVersions } from "@/server/datasets/versions";
import { getDataset } from "@/server/datasets/datasets";
import { parseDelimiter, parseEncoding } from "@/server/datasets/formats";
import { ZTransform } from "@/server/datasets/schemas";
import { chunksOf } from "@/server/lib/streams";

export const dynamic = "force-dynamic";

type Params = { project: string; dataset: string };

const ZUploadQuery = z.object({
  org: z.string().max(64).optional(),
  fileName: z.string().max(1000).optional(),
  format: z.enum(["csv", "jsonl", "parquet"]).optional(),
  delimiter: z.string().max(20).optional(),
  encoding: z.string().max(30).optional(),
  create: z.enum(["0", "1", "true", "false"]).default("1"),
  allowSchemaChange: z.enum(["0", "1", "true", "false"]).default("0"),
  parents: z.string().max(2000).optional(),
  transform: z.string().max(20_000).optional(),
});

/**
 * PUT streams a file into a new dataset version (201), or returns the existing version for
 * identical bytes (200). Query: fileName, format, delimiter, encoding, parents (comma-separated
 * version ids) and transform (JSON: {name, repo, commit, params}) for derived versions; columns that
 * differ from the latest version's are refused (409) unless allowSchemaChange=1.
 */
export const PUT = projectRoute<Params>({ minRole: "MEMBER", what: "uploading a dataset version" }, async (req, { caller, access, params: { dataset } }) => {
  const q = ZUploadQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  let transform: z.infer<typeof ZTransform> | undefined;
  if (q.transform) {
    const parsed = ZTransform.safeParse((() => { try { return JSON.parse(q.transform) as unknown; } catch { return null; } })());
    if (!parsed.success) return Response.json({ error: { code: "BAD_REQUEST", message: "transform must be JSON like {\"name\":\"clean\",\"repo\":\"…\",\"commit\":\"…\",\"params\":{}}" } }, { status: 400 });
    transform = parsed.data;
  }
  if (!req.body) return Response.json({ error: { code: "BAD_REQUEST", message: "The request has no body: send the file's bytes" } }, { status: 400 });
  try {
    const result = await ingestVersion({
      projectId: access.project.id,
      orgId: access.org.id,
      dataset,
      createDataset: q.create === "1" || q.create === "true",
      actor: caller.actor,
      body: chunksOf(req.body),
      fileName: q.fileName ?? req.headers.get("x-file-name") ?? `${dataset}.${q.format ?? "csv"}`,
      format: q.format ? (q.format.toUpperCase() as "CSV" | "JSONL" | "PARQUET") : undefined,
      delimiter: parseDelimiter(q.delimiter),
      encoding: parseEncoding(q.encoding),
      parents: q.parents ? q.parents.split(",").map((s) => s.trim()).filter(Boolean) : undefined,
      transform,
      allowSchemaChange: q.allowSchemaChange === "1" || q.allowSchemaChange === "true",
      declaredBytes: declaredLength(req),
    });
    return Response.json(result, { status: result.created ? 201 : 200 });
  } catch (err) {
    // The client went away mid-upload: the ingest already removed the partial bytes.
    if (req.signal.aborted) return new Response(null, { status: 499 });
    throw err;
  }
});

/** The request's Content-Length when it gives one (chunked bodies do not). */
function declaredLength(req: Request): number | undefined {
  const n = Number(req.headers.get("content-length") ?? "");
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** GET lists the dataset's versions, newest first. */
export const GET = projectRoute<Params>({ minRole: "VIEWER", runTokens: "read", what: "listing dataset versions" }, async (_req, { access, params: { dataset } }) => {
  const ds = await getDataset(access.project.id, /^[a-z0-9]{20,}$/.test(dataset) ? { datasetId: dataset } : { slug: dataset }).catch(() =>
    getDataset(access.project.id, { slug: dataset }),
  );
  return Response.json({ dataset: ds, versions: await listVersions(access.project.id, ds.id) });
});
