/**
 * The gate's REST endpoints for CI, called as Next calls them (a Request and a params promise) with
 * real API tokens, a real trained and registered GBDT, and the gate job run from pg-boss.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as gateRoute from "@/app/api/v1/projects/[project]/models/[name]/versions/[number]/gate/route";
import * as policyRoute from "@/app/api/v1/projects/[project]/models/[name]/policy/route";
import { db } from "../db";
import { callerAs, createTestProject, createUser, mintToken, type TestUser } from "../testing/factories";
import { drainJobs } from "../testing/drain-jobs";
import { projectWithTrainedRun } from "../testing/registry";

const BASE = "http://localhost/api/v1";
let owner: TestUser;
let project: { id: string; slug: string };
const secrets: Record<string, string> = {};

function req(path: string, secret: string | null, init: RequestInit = {}): Request {
  const headers = new Headers(init.headers);
  if (secret !== null) headers.set("authorization", `Bearer ${secret}`);
  return new Request(`${BASE}${path}`, { ...init, headers });
}
const params = <P>(p: P) => ({ params: Promise.resolve(p) });
const errorOf = async (res: Response) => ({ status: res.status, ...((await res.json()) as { error: { code: string; message: string } }).error });
const yamlBody = (text: string): RequestInit => ({ method: "PUT", body: text, headers: { "content-type": "text/plain" } });

const P = { name: "eta" };
const policyGet = (secret: string | null, projectRef = project.id) => policyRoute.GET(req(`/projects/${projectRef}/models/eta/policy`, secret), params({ project: projectRef, ...P }));
const policyPut = (secret: string | null, init: RequestInit, query = "") => policyRoute.PUT(req(`/projects/${project.id}/models/eta/policy${query}`, secret, init), params({ project: project.id, ...P }));
const gateGet = (secret: string | null, query = "", number = "1") => gateRoute.GET(req(`/projects/${project.id}/models/eta/versions/${number}/gate${query}`, secret), params({ project: project.id, ...P, number }));
const gatePost = (secret: string | null) => gateRoute.POST(req(`/projects/${project.id}/models/eta/versions/1/gate`, secret, { method: "POST" }), params({ project: project.id, ...P, number: "1" }));

const POLICY = `checks:
  thresholds:
    - metric: rmse
      max: 1000
  data_validation: true
`;

beforeAll(async () => {
  const setup = await projectWithTrainedRun({ rows: 400 });
  owner = setup.owner;
  project = setup.project;
  await callerAs(owner).model.register({ projectId: project.id, modelName: "eta", runId: setup.run.id });
  await drainJobs();
  secrets.admin = (await mintToken(owner, { role: "ADMIN" })).secret;
  secrets.member = (await mintToken(owner, { role: "MEMBER" })).secret;
  secrets.viewer = (await mintToken(owner, { role: "VIEWER" })).secret;
  const stranger = await createUser();
  await createTestProject(stranger.orgId, stranger);
  secrets.stranger = (await mintToken(stranger, { role: "ADMIN" })).secret;
}, 120_000);

describe("/models/{name}/policy", () => {
  it("reads the default policy, saves YAML and JSON revisions (ADMIN), refuses bad YAML with its line", async () => {
    // Nothing to gate against before a policy is saved.
    expect(await errorOf(await gatePost(secrets.member!))).toMatchObject({ status: 412, code: "PRECONDITION_FAILED", message: expect.stringMatching(/no gate policy yet/) });
    expect(await errorOf(await gateGet(secrets.viewer!))).toMatchObject({ status: 404, message: expect.stringMatching(/no gate report yet/) });
    const initial = await policyGet(secrets.viewer!);
    expect(initial.status).toBe(200);
    expect(await initial.json()).toMatchObject({ revision: null, task: "regression", policy: { checks: { champion: { mode: "superiority", metrics: ["rmse"] } } } });

    expect(await errorOf(await policyPut(secrets.member!, yamlBody(POLICY)))).toMatchObject({ status: 403, code: "FORBIDDEN" });
    const bad = await policyPut(secrets.admin!, yamlBody(POLICY.replace("max: 1000", "max: a lot")));
    expect(await errorOf(bad)).toMatchObject({ status: 400, code: "BAD_REQUEST", message: expect.stringMatching(/^line 4 \(checks\.thresholds\.0\.max\): Invalid input: expected number/) });
    const syntax = await policyPut(secrets.admin!, yamlBody("checks:\n  thresholds: [\n"));
    expect(await errorOf(syntax)).toMatchObject({ status: 400, message: expect.stringMatching(/^line \d+: /) });
    const badJson = await policyPut(secrets.admin!, { method: "PUT", body: "{not json", headers: { "content-type": "application/json" } });
    expect(await errorOf(badJson)).toMatchObject({ status: 400, code: "BAD_REQUEST" });
    expect(await db().gatePolicyRevision.count({ where: { model: { projectId: project.id } } })).toBe(0);

    const saved = await policyPut(secrets.admin!, yamlBody(POLICY), "?comment=from%20CI");
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ revision: 1, comment: "from CI", yaml: POLICY });
    const json = await policyPut(secrets.admin!, { method: "PUT", body: JSON.stringify({ policy: { checks: { data_validation: true } }, comment: "json" }), headers: { "content-type": "application/json" } });
    expect(await json.json()).toMatchObject({ revision: 2, comment: "json", policy: { checks: { data_validation: true } } });
  });

  it("is NOT_FOUND for another tenant and UNAUTHORIZED without a token", async () => {
    expect(await errorOf(await policyGet(secrets.stranger!))).toMatchObject({ status: 404 });
    expect(await errorOf(await policyPut(secrets.stranger!, yamlBody(POLICY)))).toMatchObject({ status: 404 });
    expect(await errorOf(await policyGet(""))).toMatchObject({ status: 401, code: "UNAUTHORIZED" });
    expect(await errorOf(await policyPut("", yamlBody(POLICY)))).toMatchObject({ status: 401, code: "UNAUTHORIZED" });
  });
});

describe("/models/{name}/versions/{number}/gate", () => {
  it("answers PENDING at once, waits for DONE with ?wait, and re-runs on POST (MEMBER)", async () => {
    // Saving the policy queued a gate of the latest version; no worker has run it yet.
    const pending = await gateGet(secrets.viewer!);
    expect(pending.status).toBe(200);
    expect(await pending.json()).toMatchObject({ status: "PENDING", passed: null, report: null });

    const waiting = gateGet(secrets.viewer!, "?wait=60");
    const started = Date.now();
    await drainJobs();
    const done = await waiting;
    expect(Date.now() - started).toBeLessThan(30_000);
    const body = (await done.json()) as { status: string; passed: boolean; sha256: string; report: { passed: boolean; checks: { name: string; status: string }[]; champion: null } };
    expect(body).toMatchObject({ status: "DONE", passed: true, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(body.report.checks.map((c) => `${c.name}:${c.status}`)).toEqual(["data_validation:pass"]);
    expect(body.report.champion).toBeNull();

    expect(await errorOf(await gatePost(secrets.viewer!))).toMatchObject({ status: 403 });
    const rerun = await gatePost(secrets.member!);
    expect(rerun.status).toBe(202);
    const queued = (await rerun.json()) as { id: string; status: string };
    expect(queued.status).toBe("PENDING");
    // A second POST while it is pending answers the same report instead of queueing another.
    expect(((await (await gatePost(secrets.member!)).json()) as { id: string }).id).toBe(queued.id);
    const shortWait = await gateGet(secrets.viewer!, "?wait=0.2");
    expect(await shortWait.json()).toMatchObject({ id: queued.id, status: "PENDING" });
    await drainJobs();
    expect(await (await gateGet(secrets.viewer!)).json()).toMatchObject({ id: queued.id, status: "DONE", passed: true });
  }, 60_000);

  it("refuses a wait over 120 s, unknown versions, other tenants and anonymous callers", async () => {
    expect(await errorOf(await gateGet(secrets.viewer!, "?wait=121"))).toMatchObject({ status: 400, message: expect.stringMatching(/wait is at most 120/) });
    expect(await errorOf(await gateGet(secrets.viewer!, "", "9"))).toMatchObject({ status: 404 });
    expect(await errorOf(await gateGet(secrets.stranger!))).toMatchObject({ status: 404 });
    expect(await errorOf(await gatePost(secrets.stranger!))).toMatchObject({ status: 404 });
    expect(await errorOf(await gateGet(""))).toMatchObject({ status: 401, code: "UNAUTHORIZED" });
    expect(await errorOf(await gatePost(""))).toMatchObject({ status: 401, code: "UNAUTHORIZED" });
  });
});
