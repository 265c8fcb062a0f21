import { jsonBody, projectRoute } from "@/server/api/http";
import { deploymentIdByName } from "@/server/deployments/lookup";
import { recordFeedback } from "@/server/predictions/feedback";
import { z } from "zod";
import { parseFeedbackBody } from "@/server/predictions/schemas";

export const dynamic = "force-dynamic";

type Params = { project: string; name: string };

/** 1,000 items of a few hundred labels each. */
const FEEDBACK_BODY_LIMIT = 8 * 1024 * 1024;

/**
 * POST {requestId, labels} or {items: [{requestId, labels}]}: ground truth for served requests, at
 * any delay. 201 when something was stored, 200 when every item was already stored with the same
 * labels, 409 when an item's stored labels differ (then nothing is written).
 */
export const POST = projectRoute<Params>({ minRole: "MEMBER", what: "posting prediction feedback" }, async (req, { access, params }) => {
  const items = parseFeedbackBody(await jsonBody(req, z.unknown(), { limit: FEEDBACK_BODY_LIMIT }));
  const deploymentId = await deploymentIdByName(access.project.id, params.name);
  const result = await recordFeedback({ projectId: access.project.id, deploymentId, items });
  return Response.json(result, { status: result.stored > 0 ? 201 : 200 });
});
