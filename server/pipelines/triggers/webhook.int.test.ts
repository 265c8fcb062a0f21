/**
 * Push webhooks over HTTP: requests built byte for byte as GitHub and GitLab send them, answered by
 * the route handlers Next serves (/api/v1/hooks/pipelines/{id}/github|gitlab), against real Postgres.
 */
import { createHmac, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import * as githubRoute from "@/app/api/v1/hooks/pipelines/[pipelineId]/github/route";
import * as gitlabRoute from "@/app/api/v1/hooks/pipelines/[pipelineId]/gitlab/route";
import { db } from "../../db";
import { mintToken } from "../../testing/factories";
import { rotateWebhookSecret } from "../pipelines";
import { startPipelineRun } from "../runs";
import { addPipeline, runsOf, triggerWorld, type TriggerWorld } from "./test-world";

type Route = (r: Request, c: { params: Promise<{ pipelineId: string }> }) => Promise<Response>;
interface Answer {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string } };
}

const SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
const sign = (body: string, secret: string) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

async function post(route: unknown, pipelineId: string, body: string, headers: Record<string, string>): Promise<Answer> {
  const req = new Request(`http://localhost/api/v1/hooks/pipelines/${pipelineId}/x`, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
  const res = await (route as Route)(req, { params: Promise.resolve({ pipelineId }) });
  expect(res.headers.get("content-type")).toMatch(/application\/json/);
  return { status: res.status, body: (await res.json()) as Answer["body"] };
}

function githubPush(over: { ref?: string; after?: string; n?: number } = {}) {
  return JSON.stringify({ ref: over.ref ?? "refs/heads/main", before: "0".repeat(40), after: over.after ?? SHA, repository: { full_name: "acme/eta" }, pusher: { name: "ana" }, n: over.n ?? 0 });
}

/** A GitHub delivery of `body`, signed with `secret` (null: no signature header). */
function github(pipelineId: string, body: string, secret: string | null, over: { event?: string; delivery?: string } = {}) {
  return post(githubRoute.POST, pipelineId, body, {
    "x-github-event": over.event ?? "push",
    "x-github-delivery": over.delivery ?? randomUUID(),
    ...(secret !== null ? { "x-hub-signature-256": sign(body, secret) } : {}),
  });
}

function gitlab(pipelineId: string, body: string, token: string | null, over: { event?: string; uuid?: string } = {}) {
  return post(gitlabRoute.POST, pipelineId, body, {
    "x-gitlab-event": over.event ?? "Push Hook",
    "x-gitlab-event-uuid": over.uuid ?? randomUUID(),
    ...(token !== null ? { "x-gitlab-token": token } : {}),
  });
}

const gitlabPush = (n = 0) => JSON.stringify({ object_kind: "push", ref: "refs/heads/main", checkout_sha: SHA, project: { path_with_namespace: "acme/eta" }, user_username: "bo", n });

let w: TriggerWorld;
let other: TriggerWorld;
let main: { id: string; secret: string };

beforeAll(async () => {
  w = await triggerWorld();
  other = await triggerWorld();
  main = await addPipeline(w, "on-main", { triggers: [{ push: { branches: ["main", "release/*"] } }], params: { commit: "none", rounds: 10 } });
});

describe("GitHub push webhook", () => {
  it("starts a run for a correctly signed push of a listed branch, with the commit as param", async () => {
    const delivery = randomUUID();
    const answer = await github(main.id, githubPush({ n: 1 }), main.secret, { delivery });
    expect(answer.status).toBe(201);
    const runs = await runsOf(main.id);
    expect(runs).toHaveLength(1);
    expect(answer.body).toMatchObject({ ok: true, run: { id: runs[0]!.id, number: 1, pipeline: "on-main" } });
    expect(runs[0]).toMatchObject({
      trigger: "push",
      triggerInfo: { provider: "github", ref: "refs/heads/main", branch: "main", commit: SHA, deliveryId: delivery, repository: "acme/eta", pusher: "ana" },
      params: { commit: SHA, rounds: 10 },
    });
    const stored = await db().webhookDelivery.findUniqueOrThrow({ where: { pipelineId_provider_deliveryId: { pipelineId: main.id, provider: "github", deliveryId: delivery } } });
    expect(stored.runId).toBe(runs[0]!.id);
  });

  it("refuses a wrong or missing signature with 401 and starts nothing", async () => {
    const before = (await runsOf(main.id)).length;
    const body = githubPush({ n: 2 });
    const wrong = await github(main.id, body, "not-the-secret");
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: "UNAUTHORIZED" } } });
    expect((await github(main.id, body, null)).status).toBe(401);
    // A signature of other bytes (the body re-serialised) does not open the door either.
    const tampered = await post(githubRoute.POST, main.id, body.replace("acme/eta", "evil/eta"), { "x-github-event": "push", "x-github-delivery": randomUUID(), "x-hub-signature-256": sign(body, main.secret) });
    expect(tampered.status).toBe(401);
    expect(await runsOf(main.id)).toHaveLength(before);
    expect(await db().webhookDelivery.count({ where: { pipelineId: main.id, runId: null } })).toBe(0);
  });

  it("answers an unknown pipeline id exactly as a wrong signature, so ids cannot be probed", async () => {
    const body = githubPush({ n: 3 });
    const wrong = await github(main.id, body, "not-the-secret");
    const unknown = await github("cmunknownpipeline0000000", body, main.secret);
    const malformed = await github("../../etc", body, main.secret);
    expect(unknown).toEqual(wrong);
    expect(malformed).toEqual(wrong);
  });

  it("does not let one pipeline's secret open another pipeline (same project or another organisation)", async () => {
    const sibling = await addPipeline(w, "sibling", { triggers: [{ push: {} }] });
    const foreign = await addPipeline(other, "foreign", { triggers: [{ push: {} }] });
    for (const target of [sibling, foreign]) {
      expect((await github(target.id, githubPush({ n: 4 }), main.secret)).status).toBe(401);
      expect((await gitlab(target.id, gitlabPush(4), main.secret)).status).toBe(401);
      expect(await runsOf(target.id)).toHaveLength(0);
    }
    expect((await github(foreign.id, githubPush({ n: 4 }), foreign.secret)).status).toBe(201);
  });

  it("takes no session or API token in place of the signature", async () => {
    const { secret: token } = await mintToken(w.owner, { role: "ADMIN" });
    const body = githubPush({ n: 11 });
    const count = (await runsOf(main.id)).length;
    const answer = await post(githubRoute.POST, main.id, body, { authorization: `Bearer ${token}`, "x-github-event": "push", "x-github-delivery": randomUUID() });
    expect(answer).toMatchObject({ status: 401, body: { error: { code: "UNAUTHORIZED" } } });
    expect((await post(gitlabRoute.POST, main.id, gitlabPush(11), { authorization: `Bearer ${token}`, "x-gitlab-event": "Push Hook", "x-gitlab-event-uuid": randomUUID() })).status).toBe(401);
    expect(await runsOf(main.id)).toHaveLength(count);
  });

  it("refuses a replayed delivery id, and the same signed body under a new delivery id, with 409", async () => {
    const body = githubPush({ n: 5 });
    const delivery = randomUUID();
    const first = await github(main.id, body, main.secret, { delivery });
    expect(first.status).toBe(201);
    const count = (await runsOf(main.id)).length;
    const replay = await github(main.id, body, main.secret, { delivery });
    expect(replay).toMatchObject({ status: 409, body: { error: { code: "CONFLICT", message: expect.stringMatching(/received before/) } } });
    const renamed = await github(main.id, body, main.secret, { delivery: randomUUID() });
    expect(renamed).toMatchObject({ status: 409, body: { error: { code: "CONFLICT" } } });
    expect(await runsOf(main.id)).toHaveLength(count);
  });

  it("ignores pushes of other branches, tags and deletions (202), and starts release/* branches", async () => {
    const count = (await runsOf(main.id)).length;
    const dev = await github(main.id, githubPush({ ref: "refs/heads/dev", n: 6 }), main.secret);
    expect(dev).toEqual({ status: 202, body: { ok: true, ignored: "branch dev is not in the trigger's branches (main, release/*)" } });
    expect((await github(main.id, githubPush({ ref: "refs/tags/v1", n: 6 }), main.secret)).body.ignored).toMatch(/not a branch/);
    expect((await github(main.id, githubPush({ after: "0".repeat(40), n: 6 }), main.secret)).body.ignored).toMatch(/deleted main/);
    expect(await runsOf(main.id)).toHaveLength(count);
    expect((await github(main.id, githubPush({ ref: "refs/heads/release/7", n: 6 }), main.secret)).status).toBe(201);
  });

  it("answers ping with 200 and other events with 202, starting nothing", async () => {
    const count = (await runsOf(main.id)).length;
    const ping = JSON.stringify({ zen: "Design for failure.", hook_id: 1 });
    expect(await github(main.id, ping, main.secret, { event: "ping" })).toEqual({ status: 200, body: { ok: true } });
    expect(await github(main.id, ping, "wrong", { event: "ping" })).toMatchObject({ status: 401 });
    expect(await github(main.id, JSON.stringify({ action: "opened" }), main.secret, { event: "issues" })).toMatchObject({ status: 202, body: { ok: true } });
    expect(await runsOf(main.id)).toHaveLength(count);
  });

  it("accepts GitHub's form-encoded content type, signed over the form bytes", async () => {
    const form = `payload=${encodeURIComponent(githubPush({ n: 8 }))}`;
    const answer = await post(githubRoute.POST, main.id, form, {
      "content-type": "application/x-www-form-urlencoded",
      "x-github-event": "push",
      "x-github-delivery": randomUUID(),
      "x-hub-signature-256": sign(form, main.secret),
    });
    expect(answer.status).toBe(201);
  });

  it("answers bad payloads with 400, a missing delivery id with 400 and a body over 1 MiB with 413", async () => {
    const count = (await runsOf(main.id)).length;
    expect(await github(main.id, "{not json", main.secret)).toMatchObject({ status: 400, body: { error: { code: "BAD_REQUEST" } } });
    expect((await github(main.id, JSON.stringify({ ref: 5 }), main.secret)).status).toBe(400);
    // A NUL cannot be stored in the run's JSON: refused as bad input, never a 500.
    expect((await github(main.id, JSON.stringify({ ref: "refs/heads/ma\u0000in", after: SHA }), main.secret)).status).toBe(400);
    const body = githubPush({ n: 9 });
    const noDelivery = await post(githubRoute.POST, main.id, body, { "x-github-event": "push", "x-hub-signature-256": sign(body, main.secret) });
    expect(noDelivery).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/x-github-delivery/) } } });
    const huge = JSON.stringify({ ref: "refs/heads/main", after: SHA, pad: "x".repeat(1024 * 1024) });
    expect(await github(main.id, huge, main.secret)).toMatchObject({ status: 413, body: { error: { code: "PAYLOAD_TOO_LARGE" } } });
    expect(await runsOf(main.id)).toHaveLength(count);
  });

  it("starts nothing for a pipeline without a push trigger (202) or an archived one (404 to the secret's holder only)", async () => {
    const nightly = await addPipeline(w, "nightly", { triggers: [{ cron: "0 3 * * *" }] });
    expect(await github(nightly.id, githubPush(), nightly.secret)).toEqual({ status: 202, body: { ok: true, ignored: "pipeline nightly has no push trigger" } });
    const gone = await addPipeline(w, "gone", { triggers: [{ push: {} }], archived: true });
    expect(await github(gone.id, githubPush(), gone.secret)).toMatchObject({ status: 404, body: { error: { code: "NOT_FOUND" } } });
    expect((await github(gone.id, githubPush(), "wrong")).status).toBe(401);
    expect(await runsOf(nightly.id)).toHaveLength(0);
    expect(await runsOf(gone.id)).toHaveLength(0);
  });

  it("refuses the old secret after a rotation", async () => {
    const p = await addPipeline(w, "rotated", { triggers: [{ push: {} }] });
    const { secret } = await rotateWebhookSecret({ projectId: w.projectId, pipelineId: p.id, actor: w.actor });
    expect((await github(p.id, githubPush(), p.secret)).status).toBe(401);
    expect((await github(p.id, githubPush(), secret)).status).toBe(201);
  });

  it("answers 429 when the budget is spent, and still records the delivery", async () => {
    const p = await addPipeline(w, "budgeted", { triggers: [{ push: {} }], maxRunsPerDay: 1 });
    await startPipelineRun({ projectId: w.projectId, pipelineId: p.id, trigger: "manual", triggerInfo: {}, actor: w.actor });
    const delivery = randomUUID();
    const body = githubPush({ n: 10 });
    const refused = await github(p.id, body, p.secret, { delivery });
    expect(refused).toMatchObject({ status: 429, body: { error: { code: "TOO_MANY_REQUESTS" } } });
    expect(await runsOf(p.id)).toHaveLength(1);
    expect(await db().webhookDelivery.count({ where: { pipelineId: p.id, deliveryId: delivery } })).toBe(1);
    expect((await github(p.id, body, p.secret, { delivery })).status).toBe(409);
  });
});

describe("GitLab push webhook", () => {
  it("starts a run with the right token and reads GitLab's payload", async () => {
    const p = await addPipeline(w, "gl", { triggers: [{ push: { branches: ["main"] } }] });
    const uuid = randomUUID();
    const answer = await gitlab(p.id, gitlabPush(1), p.secret, { uuid });
    expect(answer.status).toBe(201);
    const [run] = await runsOf(p.id);
    expect(run).toMatchObject({ trigger: "push", triggerInfo: { provider: "gitlab", branch: "main", commit: SHA, deliveryId: uuid, repository: "acme/eta", pusher: "bo" }, params: {} });
    expect((await gitlab(p.id, gitlabPush(1), p.secret, { uuid })).status).toBe(409);
    expect(await runsOf(p.id)).toHaveLength(1);
  });

  it("refuses a wrong, partial or missing token with 401", async () => {
    const p = await addPipeline(w, "gl-refuse", { triggers: [{ push: {} }] });
    for (const token of ["wrong", p.secret.slice(0, -1), `${p.secret}x`, p.secret.toUpperCase(), null]) {
      expect(await gitlab(p.id, gitlabPush(2), token)).toMatchObject({ status: 401, body: { error: { code: "UNAUTHORIZED" } } });
    }
    expect(await gitlab(p.id, gitlabPush(2), p.secret, { event: "Tag Push Hook" })).toMatchObject({ status: 202 });
    expect(await runsOf(p.id)).toHaveLength(0);
  });
});
