import { projectRoute } from "@/server/api/http";
import { waitForBatchJob } from "@/server/batch/batch";
import { ZWaitQuery } from "@/server/gates/rest";
import { ZId } from "@/server/lib/ids";
import { versionFromPath } from "@/server/registry/lookup";

export const dynamic = "force-dynamic";

type Params = { project: string; name: string; number: string; job: string };

/**
 * GET one batch scoring: `{ status, rowsScored, rowsTotal, outputVersionId, error, ... }`. With
 * `?wait=N` (≤ 120 s) it answers as soon as the job is DONE or FAILED, else after N seconds as it is.
 */
export const GET = projectRoute<Params>({ minRole: "VIEWER", runTokens: "read", what: "reading a batch scoring" }, async (req, { access, params }) => {
  const q = ZWaitQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  const { version } = await versionFromPath(access.project.id, params.name, params.number);
  const jobId = ZId.parse(params.job);
  return Response.json(await waitForBatchJob({ projectId: access.project.id, versionId: version.id, jobId, waitSeconds: q.wait, signal: req.signal }));
});
