/**
 * Deployments over /api/v1, called as Next calls the route handlers (a Request and a params promise)
 * with real tokens: create → candidate → pause → resume → promote → rollback with version numbers,
 * the ledger and its verification, the access policy (401 / 404 / 403) and 4xx JSON for bad bodies.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as listRoute from "@/app/api/v1/projects/[project]/deployments/route";
import * as oneRoute from "@/app/api/v1/projects/[project]/deployments/[name]/route";
import * as actionRoute from "@/app/api/v1/projects/[project]/deployments/[name]/[action]/route";
import * as ledgerRoute from "@/app/api/v1/projects/[project]/deployments/[name]/ledger/route";
import * as environmentsRoute from "@/app/api/v1/projects/[project]/environments/route";
import { db } from "../db";
import { createTestProject, createUser, mintToken } from "../testing/factories";
import { addReport, addVersion, createModel, promotionWorld, setChampion, type PromotionWorld } from "../testing/promotion";

let w: PromotionWorld;
let model: { id: string; name: string };
const s: Record<string, string> = {};

type Handler<P> = (r: Request, c: { params: Promise<P> }) => Promise<Response>;
interface Answer {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string } };
}

async function call<P extends { project: string }>(handler: unknown, p: P, secret: string | null, body?: unknown): Promise<Answer> {
  const headers = new Headers();
  if (secret !== null) headers.set("authorization", `Bearer ${secret}`);
  const init: RequestInit = body === undefined ? { method: "GET" } : { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) };
  if (body !== undefined) headers.set("content-type", "application/json");
  const res = await (handler as Handler<P>)(new Request(`http://localhost/api/v1/projects/${p.project}/deployments/x`, { ...init, headers }), { params: Promise.resolve(p) });
  return { status: res.status, body: (await res.json()) as Answer["body"] };
}

const project = () => ({ project: w.project.id });
const dep = (name = "eta") => ({ project: w.project.id, name });
const act = (action: string, name = "eta") => ({ project: w.project.id, name, action });

beforeAll(async () => {
  w = await promotionWorld();
  const created = await createModel(w, { required: 1, min_role: "ADMIN" });
  model = created.model;
  const v1 = await addVersion(w, model.id);
  await setChampion(model.id, v1.id);
  const v2 = await addVersion(w, model.id);
  await addReport(w.project.id, { id: v2.id, modelId: model.id }, { policyRevisionId: created.policy.id, passed: true, championVersionId: v1.id });
  s.admin = (await mintToken(w.admin1, { orgId: w.owner.orgId, role: "ADMIN" })).secret;
  s.viewer = (await mintToken(w.owner, { role: "VIEWER" })).secret;
  s.member = (await mintToken(w.owner, { role: "MEMBER" })).secret;
  const outsider = await createUser();
  await createTestProject(outsider.orgId, outsider);
  s.outsider = (await mintToken(outsider, { role: "ADMIN" })).secret;
  s.otherProject = (await mintToken(w.owner, { role: "ADMIN", projectId: (await createTestProject(w.owner.orgId, w.owner)).id })).secret;
});

describe("deployments over /api/v1", () => {
  it("creates, rolls a candidate out and back by version number, and shows it all in the ledger", async () => {
    const created = await call(listRoute.POST, project(), s.admin!, { name: "eta", environment: "staging", model: model.name, reason: "first deployment" });
    expect(created).toMatchObject({ status: 201, body: { name: "eta", modelName: model.name, stableVersion: 1, candidateVersion: null, strategy: "direct" } });
    expect(created.body.endpoint).toMatch(/\/v2\/models\/eta\/infer$/);

    let now = await call(actionRoute.POST, act("candidate"), s.admin!, { version: 2, strategy: "canary", candidatePercent: 10, reason: "try v2" });
    expect(now).toMatchObject({ status: 200, body: { strategy: "canary", stableVersion: 1, candidateVersion: 2, candidatePercent: 10, status: "rolling_out" } });
    expect((await call(actionRoute.POST, act("pause"), s.admin!, {})).body).toMatchObject({ status: "paused" });
    // An empty body is fine for actions without fields.
    expect((await call(actionRoute.POST, act("resume"), s.admin!, "")).body).toMatchObject({ status: "rolling_out" });
    now = await call(actionRoute.POST, act("promote"), s.admin!, { reason: "healthy" });
    expect(now.body).toMatchObject({ stableVersion: 2, candidateVersion: null, strategy: "direct", status: "active" });
    now = await call(actionRoute.POST, act("rollback"), s.admin!, { reason: "latency regression" });
    expect(now.body).toMatchObject({ stableVersion: 1, status: "rolled_back" });

    const read = await call(oneRoute.GET, dep(), s.viewer!);
    expect(read.body).toMatchObject({ name: "eta", stableVersion: 1, environment: { name: "staging" } });
    const listed = await call(listRoute.GET, project(), s.viewer!);
    expect((listed.body.deployments as { name: string }[]).map((d) => d.name)).toEqual(["eta"]);
    const ledger = await call(ledgerRoute.GET, dep(), s.viewer!);
    expect(ledger.body.verification).toMatchObject({ valid: true, entries: 6, brokenAtSeq: null });
    expect((ledger.body.entries as { kind: string; reason: string | null }[]).map((e) => e.kind)).toEqual(["create", "candidate", "pause", "resume", "promote", "rollback"]);
    const envs = await call(environmentsRoute.GET, project(), s.viewer!);
    expect((envs.body.environments as { name: string; requires: string }[]).map((e) => [e.name, e.requires])).toEqual([
      ["production", "approved"],
      ["staging", "none"],
    ]);
  });

  it("answers bad bodies and unknown things with 4xx JSON that names the problem, changing nothing", async () => {
    const before = await db().deploymentLedgerEntry.count({ where: { projectId: w.project.id } });
    expect(await call(listRoute.POST, project(), s.admin!, { name: "Bad Name!", environment: "staging", model: model.name })).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining("name") } } });
    expect(await call(listRoute.POST, project(), s.admin!, { name: "x", environment: "staging" })).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining("model") } } });
    expect(await call(listRoute.POST, project(), s.admin!, { name: "x", environment: "staging", model: "nope" })).toMatchObject({ status: 404 });
    expect(await call(listRoute.POST, project(), s.admin!, "{not json")).toMatchObject({ status: 400 });
    expect(await call(actionRoute.POST, act("candidate"), s.admin!, { version: 2, strategy: "canary", candidatePercent: 140 })).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining("candidatePercent") } } });
    expect(await call(actionRoute.POST, act("candidate"), s.admin!, { version: "two", strategy: "canary" })).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining("version") } } });
    expect(await call(actionRoute.POST, act("candidate"), s.admin!, { version: 9, strategy: "canary" })).toMatchObject({ status: 404 });
    expect(await call(actionRoute.POST, act("explode"), s.admin!, {})).toMatchObject({ status: 404, body: { error: { message: expect.stringContaining("pause") } } });
    expect(await call(actionRoute.POST, act("pause", "nope"), s.admin!, {})).toMatchObject({ status: 404 });
    // Production needs approvals: v2 has a passed gate but none.
    expect(await call(listRoute.POST, project(), s.admin!, { name: "prod", environment: "production", model: model.name, version: 2 })).toMatchObject({ status: 412, body: { error: { message: expect.stringContaining("approvals") } } });
    expect(await db().deploymentLedgerEntry.count({ where: { projectId: w.project.id } })).toBe(before);
  });

  it("keeps other tenants, anonymous callers and lower roles out", async () => {
    const before = await db().deploymentLedgerEntry.count({ where: { projectId: w.project.id } });
    for (const secret of [s.outsider!, s.otherProject!]) {
      expect((await call(oneRoute.GET, dep(), secret)).status).toBe(404);
      expect((await call(listRoute.GET, project(), secret)).status).toBe(404);
      expect((await call(ledgerRoute.GET, dep(), secret)).status).toBe(404);
      expect((await call(environmentsRoute.GET, project(), secret)).status).toBe(404);
      expect((await call(actionRoute.POST, act("pause"), secret, {})).status).toBe(404);
      expect((await call(listRoute.POST, project(), secret, { name: "x", environment: "staging", model: model.name })).status).toBe(404);
    }
    // No session and an empty or unknown token (a session-less request outside Next has no cookie to read).
    for (const anonymous of ["", "cairn_bogus"]) {
      for (const handler of [oneRoute.GET, ledgerRoute.GET]) expect((await call(handler, dep(), anonymous)).status).toBe(401);
      expect((await call(actionRoute.POST, act("pause"), anonymous, {})).status).toBe(401);
      expect((await call(listRoute.GET, project(), anonymous)).status).toBe(401);
    }
    // VIEWER and MEMBER read but do not change what serves traffic.
    for (const secret of [s.viewer!, s.member!]) {
      expect((await call(actionRoute.POST, act("candidate"), secret, { version: 2, strategy: "canary", candidatePercent: 5 })).status).toBe(403);
      expect((await call(listRoute.POST, project(), secret, { name: "y", environment: "staging", model: model.name })).status).toBe(403);
    }
    expect(await db().deploymentLedgerEntry.count({ where: { projectId: w.project.id } })).toBe(before);
  });
});
