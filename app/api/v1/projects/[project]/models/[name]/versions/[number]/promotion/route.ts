import { projectRoute } from "@/server/api/http";
import { versionFromPath } from "@/server/registry/lookup";
import { promotionStatus } from "@/server/promotion/status";

export const dynamic = "force-dynamic";

type Params = { project: string; name: string; number: string };

/** GET: the latest gate report, the decisions, `canPromote` and the `blockers` still in the way. */
export const GET = projectRoute<Params>({ minRole: "VIEWER", runTokens: "read", what: "reading a version's promotion status" }, async (_req, { access, params }) => {
  const { version } = await versionFromPath(access.project.id, params.name, params.number);
  return Response.json(await promotionStatus({ projectId: access.project.id, orgId: access.org.id, versionId: version.id }));
});
