import { projectRoute } from "@/server/api/http";
import { abReport } from "@/server/deployments/ab";
import { deploymentIdByName } from "@/server/deployments/lookup";
import { ZAbReportDto, ZAbReportQuery } from "@/server/deployments/schemas";

export const dynamic = "force-dynamic";

type Params = { project: string; name: string };

/** GET ?metric=&alpha=: candidate against stable on feedback labels with an always-valid interval. */
export const GET = projectRoute<Params>({ minRole: "VIEWER", what: "reading the A/B comparison" }, async (req, { access, params }) => {
  const query = ZAbReportQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  const deploymentId = await deploymentIdByName(access.project.id, params.name);
  return Response.json(ZAbReportDto.parse(await abReport({ projectId: access.project.id, deploymentId, ...query })));
});
