import { pushWebhookRoute } from "@/server/pipelines/triggers/webhook-route";

export const dynamic = "force-dynamic";

/** GitHub push webhook: X-Hub-Signature-256 is the HMAC-SHA256 of the body with the pipeline's webhook secret. */
export const POST = pushWebhookRoute("github");
