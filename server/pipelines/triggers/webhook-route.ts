import { apiRoute } from "../../api/http";
import { bodyBytes, clientIp } from "../../lib/http";
import { WEBHOOK_BODY_LIMIT, type PushProvider } from "./push";
import { receivePushWebhook } from "./webhook";

/**
 * The route handler of one provider's push webhook. No session or API token: the pipeline's webhook
 * secret is the credential, checked by receivePushWebhook. Answers are JSON, errors included.
 */
export function pushWebhookRoute(provider: PushProvider) {
  return apiRoute(async (req: Request, ctx: { params: Promise<{ pipelineId: string }> }) => {
    const { pipelineId } = await ctx.params;
    const body = await bodyBytes(req, WEBHOOK_BODY_LIMIT);
    const answer = await receivePushWebhook({ provider, pipelineId, headers: req.headers, body, ip: clientIp(req.headers) });
    return Response.json(answer.body, { status: answer.status });
  });
}
