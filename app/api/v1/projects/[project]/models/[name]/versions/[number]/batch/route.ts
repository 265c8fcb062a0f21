import { COMMAND_BODY_LIMIT, jsonBody, projectRoute } from "@/server/api/http";
import { listBatchJobs, requestBatchScoring } from "@/server/batch/batch";
import { ZRestBatchBody } from "@/server/batch/schemas";
import { versionFromPath } from "@/server/registry/lookup";

export const dynamic = "force-dynamic";

type Params = { project: string; name: string; number: string };

/**
 * POST `{ datasetVersionId, outputDataset?, predictionColumn?, threshold? }`: queues scoring that dataset
 * version with this model version into a new version of `outputDataset` (202 with the job; poll
 * GET .../batch/{id}?wait=N).
 */
export const POST = projectRoute<Params>({ minRole: "MEMBER", what: "starting a batch scoring" }, async (req, { caller, access, params }) => {
  const { version } = await versionFromPath(access.project.id, params.name, params.number);
  const body = await jsonBody(req, ZRestBatchBody, { limit: COMMAND_BODY_LIMIT });
  const job = await requestBatchScoring({ ...body, projectId: access.project.id, orgId: access.project.orgId, versionId: version.id, actor: caller.actor });
  return Response.json(job, { status: 202 });
});

/** GET the version's batch scorings, newest first. */
export const GET = projectRoute<Params>({ minRole: "VIEWER", runTokens: "read", what: "reading batch scorings" }, async (_req, { access, params }) => {
  const { version } = await versionFromPath(access.project.id, params.name, params.number);
  return Response.json(await listBatchJobs({ projectId: access.project.id, versionId: version.id, limit: 50 }));
});
