/**
 * The promotion endpoints of /api/v1, called as Next calls them (a Request and a params promise)
 * with real tokens: the whole CI flow (status → approve → promote → rollback), the access policy
 * (401 / 404 / 403) and 4xx JSON for bad bodies and paths.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as approveRoute from "@/app/api/v1/projects/[project]/models/[name]/versions/[number]/approve/route";
import * as rejectRoute from "@/app/api/v1/projects/[project]/models/[name]/versions/[number]/reject/route";
import * as statusRoute from "@/app/api/v1/projects/[project]/models/[name]/versions/[number]/promotion/route";
import * as promoteRoute from "@/app/api/v1/projects/[project]/models/[name]/promote/route";
import * as rollbackRoute from "@/app/api/v1/projects/[project]/models/[name]/rollback/route";
import { createTestProject, createUser, mintRunToken, mintToken } from "../testing/factories";
import { addReport, addVersion, championOf, createModel, promotionWorld, setChampion, type PromotionWorld } from "../testing/promotion";

let w: PromotionWorld;
let model: { id: string; name: string };
let v1: { id: string };
let v2: { id: string };
const s: Record<string, string> = {};

type VersionParams = { project: string; name: string; number: string };
type ModelParams = { project: string; name: string };

function req(path: string, secret: string | null, init: RequestInit = {}): Request {
  const headers = new Headers(init.headers);
  if (secret !== null) headers.set("authorization", `Bearer ${secret}`);
  if (init.body !== undefined) headers.set("content-type", "application/json");
  return new Request(`http://localhost/api/v1${path}`, { ...init, headers });
}
const params = <P>(p: P) => ({ params: Promise.resolve(p) });
const post = (body?: unknown) => ({ method: "POST", ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }) });

function versionCall(route: { POST?: unknown; GET?: unknown }, method: "POST" | "GET", secret: string | null, opts: { body?: unknown; project?: string; name?: string; number?: string } = {}) {
  const p: VersionParams = { project: opts.project ?? w.project.id, name: opts.name ?? model.name, number: opts.number ?? "2" };
  const handler = route[method] as (r: Request, c: { params: Promise<VersionParams> }) => Promise<Response>;
  return handler(req(`/projects/${p.project}/models/${p.name}/versions/${p.number}/x`, secret, method === "POST" ? post(opts.body) : {}), params(p));
}
function modelCall(route: { POST: unknown }, secret: string | null, body?: unknown, project = w.project.id, name = model.name) {
  const p: ModelParams = { project, name };
  const handler = route.POST as (r: Request, c: { params: Promise<ModelParams> }) => Promise<Response>;
  return handler(req(`/projects/${p.project}/models/${p.name}/x`, secret, post(body)), params(p));
}
async function json(res: Response) {
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { code: string; message: string } } };
}

beforeAll(async () => {
  w = await promotionWorld();
  const created = await createModel(w, { required: 2, min_role: "ADMIN" });
  model = created.model;
  v1 = await addVersion(w, model.id);
  await setChampion(model.id, v1.id);
  v2 = await addVersion(w, model.id);
  await addReport(w.project.id, { id: v2.id, modelId: model.id }, { policyRevisionId: created.policy.id, passed: true, championVersionId: v1.id });
  s.admin1 = (await mintToken(w.admin1, { orgId: w.owner.orgId, role: "ADMIN" })).secret;
  s.admin2 = (await mintToken(w.admin2, { orgId: w.owner.orgId, role: "ADMIN" })).secret;
  s.owner = (await mintToken(w.owner, { role: "ADMIN" })).secret;
  s.viewer = (await mintToken(w.owner, { role: "VIEWER" })).secret;
  s.member = (await mintToken(w.owner, { role: "MEMBER" })).secret;
  s.run = await mintRunToken(w.project.id, w.runId);
  const outsider = await createUser();
  await createTestProject(outsider.orgId, outsider);
  s.outsider = (await mintToken(outsider, { role: "ADMIN" })).secret;
  s.otherProject = (await mintToken(w.owner, { role: "ADMIN", projectId: (await createTestProject(w.owner.orgId, w.owner)).id })).secret;
});

describe("promotion over /api/v1", () => {
  it("runs the CI flow: status → approve ×2 → promote → rollback", async () => {
    let status = await json(await versionCall(statusRoute, "GET", s.viewer!));
    expect(status).toMatchObject({ status: 200, body: { canPromote: false, required: 2, approvedCount: 0, gate: { passed: true, intact: true } } });
    expect(status.body.blockers).toEqual(["Needs 2 approvals from ADMIN or higher; has 0"]);

    const a1 = await json(await versionCall(approveRoute, "POST", s.admin1!, { body: { comment: "CI metrics fine" } }));
    expect(a1).toMatchObject({ status: 201, body: { approval: { decision: "APPROVE", comment: "CI metrics fine", valid: true } } });
    expect(await json(await versionCall(approveRoute, "POST", s.admin2!))).toMatchObject({ status: 201 });
    expect(await json(await versionCall(rejectRoute, "POST", s.admin2!, { body: { comment: "changed my mind" } }))).toMatchObject({ status: 409, body: { error: { code: "CONFLICT" } } });
    // A run's token reads the status (the run waits for its gate) but never decides.
    status = await json(await versionCall(statusRoute, "GET", s.run!));
    expect(status.body).toMatchObject({ canPromote: true, approvedCount: 2, blockers: [] });
    expect(await json(await versionCall(approveRoute, "POST", s.run!))).toMatchObject({ status: 403 });

    expect(await json(await modelCall(promoteRoute, s.member!, { version: 2 }))).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN" } } });
    const promoted = await json(await modelCall(promoteRoute, s.owner!, { version: 2 }));
    expect(promoted).toMatchObject({ status: 200, body: { kind: "promote", toVersionId: v2.id, fromVersionId: v1.id, toVersionNumber: 2 } });
    expect(await championOf(model.id)).toBe(v2.id);
    expect(await json(await modelCall(promoteRoute, s.owner!, { version: 2 }))).toMatchObject({ status: 409, body: { error: { message: expect.stringContaining("already the champion") } } });

    expect(await json(await modelCall(rollbackRoute, s.member!))).toMatchObject({ status: 403 });
    expect(await json(await modelCall(rollbackRoute, s.owner!, { reason: "error rate up" }))).toMatchObject({ status: 200, body: { kind: "rollback", toVersionId: v1.id } });
    expect(await championOf(model.id)).toBe(v1.id);
    // The rolled-back version's approvals are voided: its gate still passes, but it needs new decisions.
    status = await json(await versionCall(statusRoute, "GET", s.viewer!));
    expect(status.body).toMatchObject({ canPromote: false, approvedCount: 0, blockers: ["Needs 2 approvals from ADMIN or higher; has 0"] });
    expect(status.body.approvals).toEqual([
      expect.objectContaining({ valid: false, voidReason: "v2 was rolled back from champion: error rate up; promoting it again needs new decisions" }),
      expect.objectContaining({ valid: false }),
    ]);
    expect(await json(await modelCall(promoteRoute, s.owner!, { version: 2 }))).toMatchObject({ status: 412 });
    expect(await json(await modelCall(rollbackRoute, s.owner!))).toMatchObject({ status: 412, body: { error: { code: "PRECONDITION_FAILED" } } });
  });

  it("answers 401 to anonymous callers and bad tokens, 404 to other tenants and other projects' tokens", async () => {
    for (const secret of ["", "cairn_nope"]) {
      expect((await versionCall(statusRoute, "GET", secret)).status).toBe(401);
      expect((await versionCall(approveRoute, "POST", secret)).status).toBe(401);
      expect((await versionCall(rejectRoute, "POST", secret)).status).toBe(401);
      expect((await modelCall(promoteRoute, secret, { version: 2 })).status).toBe(401);
      expect((await modelCall(rollbackRoute, secret)).status).toBe(401);
    }
    for (const secret of [s.outsider!, s.otherProject!]) {
      expect(await json(await versionCall(statusRoute, "GET", secret))).toMatchObject({ status: 404, body: { error: { message: "Project not found" } } });
      expect((await versionCall(approveRoute, "POST", secret)).status).toBe(404);
      expect((await versionCall(rejectRoute, "POST", secret)).status).toBe(404);
      expect((await modelCall(promoteRoute, secret, { version: 2 })).status).toBe(404);
      expect((await modelCall(rollbackRoute, secret)).status).toBe(404);
    }
    expect(await json(await versionCall(approveRoute, "POST", s.viewer!))).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN" } } });
    expect((await versionCall(rejectRoute, "POST", s.viewer!)).status).toBe(403);
  });

  it("answers bad bodies and paths with 4xx JSON", async () => {
    expect(await json(await versionCall(approveRoute, "POST", s.admin1!, { body: "{not json" }))).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining("must be JSON") } } });
    expect(await json(await versionCall(approveRoute, "POST", s.admin1!, { body: { comment: 5 } }))).toMatchObject({ status: 400, body: { error: { code: "BAD_REQUEST" } } });
    expect(await json(await versionCall(approveRoute, "POST", s.admin1!, { body: { comment: "x".repeat(70_000) } }))).toMatchObject({ status: 413 });
    expect(await json(await modelCall(promoteRoute, s.owner!, { version: "two" }))).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining("version") } } });
    expect(await json(await modelCall(promoteRoute, s.owner!, {}))).toMatchObject({ status: 400 });
    expect(await json(await modelCall(promoteRoute, s.owner!, { version: 99 }))).toMatchObject({ status: 404, body: { error: { message: "Model version not found" } } });
    // Segments that are no number or no model name are 400; well-formed ones naming nothing are 404.
    for (const number of ["x", "0", "99999999999999999999"]) {
      expect(await json(await versionCall(statusRoute, "GET", s.viewer!, { number }))).toMatchObject({ status: 400, body: { error: { code: "BAD_REQUEST" } } });
    }
    expect(await json(await versionCall(statusRoute, "GET", s.viewer!, { number: "7" }))).toMatchObject({ status: 404, body: { error: { message: "Model version not found" } } });
    for (const name of ["NoSuch", "a\u0000b"]) {
      expect(await json(await versionCall(approveRoute, "POST", s.admin1!, { name }))).toMatchObject({ status: 400, body: { error: { code: "BAD_REQUEST" } } });
      expect(await json(await modelCall(rollbackRoute, s.owner!, {}, undefined, name))).toMatchObject({ status: 400 });
    }
    expect(await json(await versionCall(statusRoute, "GET", s.viewer!, { name: "nope-model" }))).toMatchObject({ status: 404, body: { error: { message: "Model not found" } } });
    expect(await json(await modelCall(promoteRoute, s.owner!, { version: 2 }, undefined, "nope-model"))).toMatchObject({ status: 404, body: { error: { message: "Model not found" } } });
  });
});
