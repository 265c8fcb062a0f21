import { projectRoute } from "@/server/api/http";
import { healthSeries } from "@/server/deployments/health";
import { deploymentIdByName } from "@/server/deployments/lookup";
import { ZHealthSeriesDto, ZHealthSeriesInput } from "@/server/deployments/schemas";

export const dynamic = "force-dynamic";

type Params = { project: string; name: string };

/** GET ?minutes=60: requests, server errors, p50 and p95 per version and time bucket, summed over every serving process. */
export const GET = projectRoute<Params>({ minRole: "VIEWER", what: "reading deployment health" }, async (req, { access, params }) => {
  const raw = new URL(req.url).searchParams.get("minutes");
  // The tRPC input's rule, with the query string's text read as a number.
  const minutes = ZHealthSeriesInput.shape.minutes.parse(raw === null ? undefined : Number(raw));
  const deploymentId = await deploymentIdByName(access.project.id, params.name);
  return Response.json(ZHealthSeriesDto.parse(await healthSeries({ projectId: access.project.id, deploymentId, minutes })));
});
