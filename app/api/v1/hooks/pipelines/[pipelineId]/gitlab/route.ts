import { pushWebhookRoute } from "@/server/pipelines/triggers/webhook-route";

export const dynamic = "force-dynamic";

/** GitLab push webhook: X-Gitlab-Token is the pipeline's webhook secret. */
export const POST = pushWebhookRoute("gitlab");
