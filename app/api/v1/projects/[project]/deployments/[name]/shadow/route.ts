import { projectRoute } from "@/server/api/http";
import { deploymentIdByName } from "@/server/deployments/lookup";
import { ZShadowReportDto, ZShadowReportQuery } from "@/server/deployments/schemas";
import { shadowReport } from "@/server/deployments/shadow";

export const dynamic = "force-dynamic";

type Params = { project: string; name: string };

/** GET ?segmentBy=&since=: the stable version against the shadow candidate on the same requests. */
export const GET = projectRoute<Params>({ minRole: "VIEWER", what: "reading the shadow comparison" }, async (req, { access, params }) => {
  const query = ZShadowReportQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  const deploymentId = await deploymentIdByName(access.project.id, params.name);
  return Response.json(ZShadowReportDto.parse(await shadowReport({ projectId: access.project.id, deploymentId, ...query })));
});
