/**
 * Canary rollouts over /api/v1, called as Next calls the route handlers, with real tokens: a canary
 * with rollout steps by version number, POST …/advance through the steps to promotion, GET …/health
 * with its series; the access policy (401 / 404 / 403) and 400 JSON for a bad `minutes`.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as actionRoute from "@/app/api/v1/projects/[project]/deployments/[name]/[action]/route";
import * as healthRoute from "@/app/api/v1/projects/[project]/deployments/[name]/health/route";
import { db, pool } from "../db";
import { HealthRecorder } from "../serving/health";
import { callerAs, createTestProject, createUser, mintToken } from "../testing/factories";
import { addVersion, createModel, promotionWorld, setChampion, type PromotionWorld } from "../testing/promotion";

let w: PromotionWorld;
let deploymentId: string;
let versions: string[];
const s: Record<string, string> = {};

type Handler = (r: Request, c: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function call(handler: unknown, params: Record<string, string>, secret: string, opts: { body?: unknown; query?: string } = {}) {
  // An empty token stands for "no credentials": outside Next there is no session cookie to read.
  const headers = new Headers({ authorization: `Bearer ${secret}` });
  const init: RequestInit = opts.body === undefined ? { method: "GET" } : { method: "POST", body: JSON.stringify(opts.body) };
  const res = await (handler as Handler)(new Request(`http://localhost/api/v1/projects/${params.project}/deployments/eta/x${opts.query ?? ""}`, { ...init, headers }), { params: Promise.resolve(params) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { message: string } } };
}

const act = (action: string) => ({ project: w.project.id, name: "eta", action });
const dep = () => ({ project: w.project.id, name: "eta" });

beforeAll(async () => {
  w = await promotionWorld();
  const { model } = await createModel(w, { required: 1, min_role: "ADMIN" });
  const v1 = await addVersion(w, model.id);
  await setChampion(model.id, v1.id);
  const v2 = await addVersion(w, model.id);
  versions = [v1.id, v2.id];
  deploymentId = (await callerAs(w.admin1).deployment.create({ projectId: w.project.id, environment: "staging", name: "eta", modelId: model.id })).id;
  s.admin = (await mintToken(w.admin1, { orgId: w.owner.orgId, role: "ADMIN" })).secret;
  s.viewer = (await mintToken(w.owner, { role: "VIEWER" })).secret;
  const outsider = await createUser();
  await createTestProject(outsider.orgId, outsider);
  s.outsider = (await mintToken(outsider, { role: "ADMIN" })).secret;
  s.otherProject = (await mintToken(w.owner, { role: "ADMIN", projectId: (await createTestProject(w.owner.orgId, w.owner)).id })).secret;
});

describe("canary rollouts over /api/v1", () => {
  it("starts a canary with steps, advances it to promotion and reads its health series", async () => {
    const started = await call(actionRoute.POST, act("candidate"), s.admin!, { body: { version: 2, strategy: "canary", rollout: { steps: [10, 50], bakeSeconds: 600 } } });
    expect(started).toMatchObject({ status: 200, body: { candidateVersion: 2, candidatePercent: 10, rollout: { step: 0, config: { steps: [10, 50] } } } });
    const r = new HealthRecorder({ pool: pool(), flushMs: 3_600_000 });
    for (let i = 0; i < 4; i++) r.answered({ projectId: w.project.id, deploymentId, versionId: versions[1]! }, 2);
    r.failed({ projectId: w.project.id, deploymentId, versionId: versions[1]! }, 500);
    await r.close();
    const health = await call(healthRoute.GET, dep(), s.viewer!, { query: "?minutes=15" });
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ deploymentId, bucketSeconds: 10, versions: [{ number: 1, role: "stable" }, { number: 2, role: "candidate" }] });
    const points = health.body.points as { versionId: string; requests: number; errors: number }[];
    expect(points.filter((p) => p.versionId === versions[1]).reduce((a, p) => [a[0]! + p.requests, a[1]! + p.errors], [0, 0])).toEqual([5, 1]);

    expect((await call(actionRoute.POST, act("advance"), s.admin!, { body: { reason: "looks fine" } })).body).toMatchObject({ candidatePercent: 50, rollout: { step: 1 } });
    expect((await call(actionRoute.POST, act("advance"), s.admin!, { body: {} })).body).toMatchObject({ strategy: "direct", stableVersion: 2, candidateVersion: null, rollout: null });
    const kinds = await db().deploymentLedgerEntry.findMany({ where: { deploymentId }, orderBy: { seq: "asc" }, select: { kind: true, reason: true } });
    expect(kinds).toEqual([{ kind: "create", reason: null }, { kind: "candidate", reason: null }, { kind: "step", reason: "looks fine" }, { kind: "promote", reason: null }]);
    expect((await call(actionRoute.POST, act("advance"), s.admin!, { body: {} })).status).toBe(409);
  });

  it("answers a bad minutes with 400 and keeps other tenants, anonymous callers and viewers out", async () => {
    const bad = await call(healthRoute.GET, dep(), s.viewer!, { query: "?minutes=soon" });
    expect(bad.status).toBe(400);
    expect((await call(healthRoute.GET, dep(), s.viewer!, { query: "?minutes=0" })).status).toBe(400);
    const before = await db().deploymentLedgerEntry.count({ where: { deploymentId } });
    for (const secret of [s.outsider!, s.otherProject!]) {
      expect((await call(healthRoute.GET, dep(), secret)).status).toBe(404);
      expect((await call(actionRoute.POST, act("advance"), secret, { body: {} })).status).toBe(404);
    }
    for (const anonymous of ["", "cairn_bogus"]) {
      expect((await call(healthRoute.GET, dep(), anonymous)).status).toBe(401);
      expect((await call(actionRoute.POST, act("advance"), anonymous, { body: {} })).status).toBe(401);
    }
    expect((await call(actionRoute.POST, act("advance"), s.viewer!, { body: {} })).status).toBe(403);
    expect(await db().deploymentLedgerEntry.count({ where: { deploymentId } })).toBe(before);
  });
});
