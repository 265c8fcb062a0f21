import { projectRoute } from "@/server/api/http";
import { splitStream } from "@/server/datasets/splits";
import { ZSplitName } from "@/server/datasets/schemas";
import { z } from "zod";

export const dynamic = "force-dynamic";

type Params = { project: string; dataset: string; version: string; split: string };

const ZQuery = z.object({
  org: z.string().max(64).optional(),
  format: z.enum(["csv", "jsonl"]).default("csv"),
  /** Read a version that failed validation or is still being checked (for inspection, never for training). */
  unvalidated: z.enum(["0", "1"]).default("0"),
});

/** Streams one split (train, validation or test) of a version; the same rows on every read. */
export const GET = projectRoute<Params>({ minRole: "VIEWER", runTokens: "read", what: "reading a split" }, async (req, { access, params: p }) => {
  const split = ZSplitName.parse(p.split);
  const q = ZQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  const { stream, version } = await splitStream({
    projectId: access.project.id,
    versionId: p.version,
    split,
    format: q.format,
    allowUnvalidated: q.unvalidated === "1",
  });
  return new Response(stream, {
    headers: {
      "content-type": q.format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson",
      "content-disposition": `attachment; filename="v${version.number}-${split}.${q.format}"`,
      "cache-control": "private, max-age=31536000, immutable",
    },
  });
});
