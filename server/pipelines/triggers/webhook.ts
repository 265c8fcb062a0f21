/**
 * Git push webhooks (POST /api/v1/hooks/pipelines/{pipelineId}/github|gitlab): check the signature or
 * token against the pipeline's webhook secret, refuse a delivery seen before, and start a run of the
 * pipeline when the push matches its `push` trigger.
 */
import { randomBytes } from "node:crypto";
import type { Actor } from "../../audit/audit";
import { db } from "../../db";
import { AppError, isUniqueViolation } from "../../errors";
import { parseJsonText } from "../../lib/http";
import { startPipelineRun } from "../runs";
import { storedSpec } from "./matching";
import { bodyDigest, githubSignatureValid, gitlabTokenValid, parsePush, pushIgnoredBecause, type PushProvider } from "./push";

export interface WebhookAnswer {
  status: number;
  body: Record<string, unknown>;
}

// Checked against when the pipeline id is unknown, so that an unknown id costs the same work and gets
// the same answer as a wrong signature: the endpoint never tells whether a pipeline exists.
const NO_SECRET = randomBytes(32).toString("hex");

const REFUSED: Record<PushProvider, string> = {
  github: "The X-Hub-Signature-256 header is missing or is not the HMAC-SHA256 of the body with this pipeline's webhook secret",
  gitlab: "The X-Gitlab-Token header is missing or is not this pipeline's webhook secret",
};

const HEADERS: Record<PushProvider, { event: string; push: string; ping: string | null; delivery: string }> = {
  github: { event: "x-github-event", push: "push", ping: "ping", delivery: "x-github-delivery" },
  gitlab: { event: "x-gitlab-event", push: "Push Hook", ping: null, delivery: "x-gitlab-event-uuid" },
};

/** GitHub may be set to send `payload=<json>` as a form instead of JSON; the signature covers the form bytes either way. */
function payloadOf(headers: Headers, body: Buffer): unknown {
  const text = body.toString("utf8");
  if ((headers.get("content-type") ?? "").startsWith("application/x-www-form-urlencoded")) {
    const payload = new URLSearchParams(text).get("payload");
    if (payload === null) throw new AppError("BAD_REQUEST", "A form-encoded webhook must carry the push in its payload field");
    return parseJsonText(payload, "The webhook's payload field is not JSON");
  }
  return parseJsonText(text, "The webhook body is not JSON");
}

/** Handles one webhook delivery; throws AppError for 4xx answers (401 bad secret, 404 archived, 409 replay, 429 budget). */
export async function receivePushWebhook(args: { provider: PushProvider; pipelineId: string; headers: Headers; body: Buffer; ip: string }): Promise<WebhookAnswer> {
  const { provider, headers, body } = args;
  const pipeline = /^[a-z0-9]{1,64}$/i.test(args.pipelineId)
    ? await db().pipeline.findUnique({ where: { id: args.pipelineId }, select: { id: true, projectId: true, name: true, webhookSecret: true, archivedAt: true, currentRevisionId: true } })
    : null;
  const secret = pipeline?.webhookSecret ?? NO_SECRET;
  const valid = provider === "github" ? githubSignatureValid(body, headers.get("x-hub-signature-256"), secret) : gitlabTokenValid(headers.get("x-gitlab-token"), secret);
  if (!pipeline || !valid) throw new AppError("UNAUTHORIZED", REFUSED[provider]);
  // Only a caller holding the secret gets this far, so saying the pipeline is archived leaks nothing.
  if (pipeline.archivedAt) throw new AppError("NOT_FOUND", `Pipeline ${pipeline.name} is archived; its webhooks start nothing`);

  const names = HEADERS[provider];
  const event = headers.get(names.event);
  if (names.ping !== null && event === names.ping) return { status: 200, body: { ok: true } };
  if (event !== names.push) return { status: 202, body: { ok: true, ignored: `${event ?? "an event without a type"} is not a push` } };
  const deliveryId = headers.get(names.delivery)?.trim() ?? "";
  if (deliveryId.length === 0 || deliveryId.length > 200) throw new AppError("BAD_REQUEST", `A push delivery needs its ${names.delivery} header (at most 200 characters)`);
  const push = parsePush(provider, payloadOf(headers, body));

  let delivery: { id: string };
  try {
    delivery = await db().webhookDelivery.create({ data: { pipelineId: pipeline.id, provider, deliveryId }, select: { id: true } });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", `Delivery ${deliveryId} was received before; a replayed delivery starts nothing`);
    throw err;
  }

  const revision = pipeline.currentRevisionId ? await db().pipelineRevision.findUnique({ where: { id: pipeline.currentRevisionId }, select: { id: true, spec: true } }) : null;
  const spec = revision ? storedSpec(revision.id, revision.spec) : null;
  const trigger = spec?.triggers.find((t) => "push" in t);
  if (!spec || !trigger || !("push" in trigger)) return { status: 202, body: { ok: true, ignored: `pipeline ${pipeline.name} has no push trigger` } };
  const ignored = pushIgnoredBecause(push, trigger.push.branches);
  if (ignored) return { status: 202, body: { ok: true, ignored } };

  const actor: Actor = { type: "system", id: null, label: `${provider} push webhook`, ip: args.ip };
  let started: Awaited<ReturnType<typeof startPipelineRun>>;
  try {
    started = await startPipelineRun({
      projectId: pipeline.projectId,
      pipelineId: pipeline.id,
      trigger: "push",
      triggerInfo: { provider, ref: push.ref, branch: push.branch, commit: push.commit, deliveryId, repository: push.repository, pusher: push.pusher },
      // A pipeline that declares a `commit` param gets the pushed commit in it (e.g. for a training command's checkout).
      params: "commit" in spec.params && push.commit ? { commit: push.commit } : undefined,
      // The body, not the delivery id, names the push: the signature covers only the body, so a captured
      // delivery sent again under a made-up delivery id must not start a second run either.
      idempotencyKey: `push:${provider}:${bodyDigest(body)}`,
      actor,
    });
  } catch (err) {
    // A refusal (budget, archived meanwhile, bad params) is the delivery's answer and stays recorded; an
    // unexpected failure forgets the delivery so that the provider's retry is not taken for a replay.
    if (!(err instanceof AppError)) await db().webhookDelivery.delete({ where: { id: delivery.id } }).catch(() => undefined);
    throw err;
  }
  const { run, created } = started;
  await db().webhookDelivery.update({ where: { id: delivery.id }, data: { runId: run.id } });
  if (!created) throw new AppError("CONFLICT", `This push was received before under another delivery id and started run #${run.number}; a replayed push starts nothing`);
  return { status: 201, body: { ok: true, run: { id: run.id, number: run.number, status: run.status, pipeline: pipeline.name } } };
}
