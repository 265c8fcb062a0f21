import { projectRoute } from "@/server/api/http";
import { deploymentIdByName } from "@/server/deployments/lookup";
import { listPredictions } from "@/server/predictions/feedback";
import { ZPredictionPage, ZPredictionsQuery } from "@/server/predictions/schemas";

export const dynamic = "force-dynamic";

type Params = { project: string; name: string };

/** GET ?since=&after=&limit=&role=&labelled=true: logged predictions, oldest first, with their feedback; `next` pages on. */
export const GET = projectRoute<Params>({ minRole: "VIEWER", what: "reading the prediction log" }, async (req, { access, params }) => {
  const query = ZPredictionsQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  const deploymentId = await deploymentIdByName(access.project.id, params.name);
  return Response.json(ZPredictionPage.parse(await listPredictions(deploymentId, query)));
});
