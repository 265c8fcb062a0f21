/**
 * deployment.shadow / deployment.ab over tRPC and GET …/deployments/{name}/shadow and /ab over REST
 * (called as Next calls the route, with real API tokens): tenant isolation, roles and bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as abRoute from "@/app/api/v1/projects/[project]/deployments/[name]/ab/route";
import * as shadowRoute from "@/app/api/v1/projects/[project]/deployments/[name]/shadow/route";
import { recordFeedback } from "../predictions/feedback";
import { addMember, callerAs, callerWithToken, createTestProject, createUser, mintToken, type TestUser } from "../testing/factories";
import { codeOf } from "../testing/promotion";
import { deployRow, infer, labelledRows, logged, servingWorld, type ServingWorld } from "../testing/serving-world";
import { ZAbReportDto, ZShadowReportDto } from "./schemas";

let w: ServingWorld;
let ref: { projectId: string; deploymentId: string };
let viewer: TestUser;
let stranger: TestUser;
const secrets: Record<string, string> = {};

beforeAll(async () => {
  w = await servingWorld();
  const d = await deployRow(w, "eta", { stableVersionId: w.versions.strong, candidateVersionId: w.versions.weak, strategy: "shadow" });
  ref = { projectId: w.project.id, deploymentId: d.id };
  const rows = labelledRows(20, 3);
  const items = [];
  for (const [i, x] of rows.entries()) items.push({ requestId: (await infer(w, "eta", [x.row], { "x-request-id": `acc-${i}` })).requestId, labels: [x.minutes] });
  await logged(d.id, 2 * rows.length);
  await recordFeedback({ projectId: w.project.id, deploymentId: d.id, items });
  viewer = await createUser();
  await addMember(w.owner.orgId, viewer, "VIEWER");
  stranger = await createUser();
  await createTestProject(stranger.orgId, stranger);
  secrets.viewer = (await mintToken(w.owner, { role: "VIEWER" })).secret;
  secrets.stranger = (await mintToken(stranger, { role: "ADMIN" })).secret;
  const other = await createTestProject(w.owner.orgId, w.owner);
  secrets.otherProject = (await mintToken(w.owner, { role: "ADMIN", projectId: other.id })).secret;
}, 120_000);
afterAll(() => w?.serving.close());

type Caller = ReturnType<typeof callerAs>;
const reads = (c: Caller, r = ref) => [c.deployment.shadow(r), c.deployment.ab({ ...r, alpha: 0.05 })];

const BASE = "http://localhost/api/v1";
function get(route: "shadow" | "ab", query = "", opts: { secret?: string; project?: string; name?: string } = {}) {
  const project = opts.project ?? w.project.id;
  const name = opts.name ?? "eta";
  const secret = opts.secret ?? secrets.viewer;
  const req = new Request(`${BASE}/projects/${project}/deployments/${name}/${route}${query}`, { headers: { authorization: `Bearer ${secret}` } });
  return (route === "shadow" ? shadowRoute.GET : abRoute.GET)(req, { params: Promise.resolve({ project, name }) });
}
const errorOf = async (res: Response) => ({ status: res.status, ...((await res.json()) as { error: { code: string; message: string } }).error });

describe("deployment.shadow and deployment.ab access", () => {
  it("a VIEWER of the organisation reads both reports", async () => {
    const [shadow, ab] = await Promise.all(reads(callerAs(viewer)));
    expect(shadow).toMatchObject({ deploymentId: ref.deploymentId, pairs: 20 });
    expect(ab).toMatchObject({ deploymentId: ref.deploymentId, metric: "mae", arms: [{ arm: "stable", requests: 20, labelled: 20 }, { arm: "candidate", requests: 0, labelled: 0 }], verdict: "insufficient" });
  });

  it("another organisation's owner gets NOT_FOUND, anonymous callers UNAUTHORIZED", async () => {
    expect(await Promise.all(reads(callerAs(stranger)).map(async (p) => (await codeOf(p)).code))).toEqual(["NOT_FOUND", "NOT_FOUND"]);
    expect(await Promise.all(reads(callerAs(null)).map(async (p) => (await codeOf(p)).code))).toEqual(["UNAUTHORIZED", "UNAUTHORIZED"]);
  });

  it("a deployment id under another project of the same organisation is NOT_FOUND, also for a token of that project", async () => {
    const other = await createTestProject(w.owner.orgId, w.owner);
    const moved = { projectId: other.id, deploymentId: ref.deploymentId };
    expect(await Promise.all(reads(callerAs(w.owner), moved).map(async (p) => (await codeOf(p)).code))).toEqual(["NOT_FOUND", "NOT_FOUND"]);
    const token = await callerWithToken(secrets.otherProject!);
    expect(await Promise.all(reads(token).map(async (p) => (await codeOf(p)).code))).toEqual(["NOT_FOUND", "NOT_FOUND"]);
  });

  it("refuses bad input with BAD_REQUEST", async () => {
    const c = callerAs(viewer).deployment;
    expect((await codeOf(c.ab({ ...ref, alpha: 0.7 }))).code).toBe("BAD_REQUEST");
    expect((await codeOf(c.ab({ ...ref, metric: "accuracy", alpha: 0.05 }))).code).toBe("BAD_REQUEST");
    expect((await codeOf(c.shadow({ ...ref, since: "yesterday" }))).code).toBe("BAD_REQUEST");
    expect((await codeOf(c.shadow({ ...ref, segmentBy: "colour" }))).code).toBe("BAD_REQUEST");
  });
});

describe("GET /api/v1/projects/{project}/deployments/{name}/shadow and /ab", () => {
  it("answer a VIEWER token with the reports", async () => {
    const shadow = await get("shadow", "?segmentBy=distance_km");
    expect(shadow.status).toBe(200);
    const body = ZShadowReportDto.parse(await shadow.json());
    expect(body).toMatchObject({ pairs: 20, segmentBy: "distance_km" });
    expect(body.segments.reduce((n, s) => n + s.pairs, 0)).toBe(20);
    const ab = await get("ab", "?metric=mse&alpha=0.1");
    expect(ab.status).toBe(200);
    expect(ZAbReportDto.parse(await ab.json())).toMatchObject({ metric: "mse", alpha: 0.1, deploymentId: ref.deploymentId });
    const slug = await get("ab", `?org=${w.owner.orgSlug}`, { project: w.project.slug });
    expect(slug.status).toBe(200);
  });

  it("answer another tenant with 404, no or a bad token with 401, an unknown deployment with 404", async () => {
    for (const route of ["shadow", "ab"] as const) {
      expect((await get(route, "", { secret: secrets.stranger })).status).toBe(404);
      expect((await get(route, "", { secret: secrets.otherProject })).status).toBe(404);
      // An empty bearer is how these route tests call anonymously (no session outside Next's request scope).
      for (const secret of ["", "cairn_not-a-token"]) expect(await errorOf(await get(route, "", { secret }))).toMatchObject({ status: 401, code: "UNAUTHORIZED" });
      expect(await errorOf(await get(route, "", { name: "missing" }))).toMatchObject({ status: 404, code: "NOT_FOUND" });
    }
  });

  it("answer bad query parameters with 400 JSON naming the parameter", async () => {
    const bad: ["shadow" | "ab", string, RegExp][] = [
      ["ab", "?alpha=abc", /alpha/],
      ["ab", "?alpha=0.5", /alpha/],
      ["ab", "?alpha=0", /alpha/],
      ["ab", "?metric=accuracy", /metric.*mae or mse/],
      ["ab", `?metric=${"m".repeat(65)}`, /metric/],
      ["shadow", "?since=yesterday", /since/],
      ["shadow", "?segmentBy=colour", /segmentBy.*not a feature/],
      ["shadow", `?segmentBy=${"x".repeat(201)}`, /segmentBy/],
    ];
    for (const [route, query, message] of bad) {
      expect(await errorOf(await get(route, query)), `${route}${query}`).toMatchObject({ status: 400, code: "BAD_REQUEST", message: expect.stringMatching(message) });
    }
  });
});
