/**
 * The /api/v1 route handlers share tRPC's access policy through `projectRoute`/`orgRoute`: called
 * here as Next calls them (a Request and a params promise), with real tokens and a real database.
 * Anonymous and bad tokens are 401, other tenants 404, a low role or a run token outside its run 403,
 * and every error is the same JSON shape.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as projectsRoute from "@/app/api/v1/projects/route";
import * as whoamiRoute from "@/app/api/v1/whoami/route";
import * as versionsRoute from "@/app/api/v1/projects/[project]/datasets/[dataset]/versions/route";
import * as splitsRoute from "@/app/api/v1/projects/[project]/datasets/[dataset]/versions/[version]/splits/[split]/route";
import * as artifactsRoute from "@/app/api/v1/projects/[project]/runs/[run]/artifacts/[...path]/route";
import { callerAs, createTestProject, createUser, mintRunToken, mintToken, type TestUser } from "../testing/factories";

let a: TestUser;
let b: TestUser;
let projectA: { id: string; slug: string };
let otherProjectA: { id: string; slug: string };
let runA1: string;
let runA2: string;
const secrets: Record<string, string> = {};

const URL_BASE = "http://localhost/api/v1";

function req(path: string, secret: string | null, init: RequestInit = {}): Request {
  const headers = new Headers(init.headers);
  if (secret !== null) headers.set("authorization", `Bearer ${secret}`);
  return new Request(`${URL_BASE}${path}`, { ...init, headers });
}
const params = <P>(p: P) => ({ params: Promise.resolve(p) });

async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  return { status: res.status, code: body.error.code, message: body.error.message };
}

beforeAll(async () => {
  a = await createUser();
  b = await createUser();
  projectA = await createTestProject(a.orgId, a);
  otherProjectA = await createTestProject(a.orgId, a);
  await createTestProject(b.orgId, b);
  const caller = callerAs(a);
  runA1 = (await caller.run.create({ projectId: projectA.id, experiment: "e" })).id;
  runA2 = (await caller.run.create({ projectId: projectA.id, experiment: "e" })).id;
  secrets.admin = (await mintToken(a, { role: "ADMIN" })).secret;
  secrets.viewer = (await mintToken(a, { role: "VIEWER" })).secret;
  secrets.otherProject = (await mintToken(a, { role: "ADMIN", projectId: otherProjectA.id })).secret;
  secrets.b = (await mintToken(b, { role: "ADMIN" })).secret;
  secrets.run1 = await mintRunToken(projectA.id, runA1);
});

describe("/api/v1 access policy", () => {
  it("refuses anonymous callers and bad tokens with 401 JSON", async () => {
    expect(await errorOf(await whoamiRoute.GET(req("/whoami", ""), params({})))).toMatchObject({ status: 401, code: "UNAUTHORIZED" });
    expect(await errorOf(await whoamiRoute.GET(req("/whoami", "cairn_nope"), params({})))).toMatchObject({ status: 401, code: "UNAUTHORIZED" });
    const anonVersions = await versionsRoute.GET(req(`/projects/${projectA.id}/datasets/d/versions`, ""), params({ project: projectA.id, dataset: "d" }));
    expect(await errorOf(anonVersions)).toMatchObject({ status: 401, code: "UNAUTHORIZED" });
    const whoami = await whoamiRoute.GET(req("/whoami", secrets.admin!), params({}));
    expect(whoami.status).toBe(200);
    expect(((await whoami.json()) as { kind: string }).kind).toBe("token");
  });

  it("answers 404 for another organisation's project, by id and by slug", async () => {
    const byId = await versionsRoute.GET(req(`/projects/${projectA.id}/datasets/d/versions`, secrets.b!), params({ project: projectA.id, dataset: "d" }));
    expect(await errorOf(byId)).toMatchObject({ status: 404, message: "Project not found" });
    const bySlug = await versionsRoute.GET(
      req(`/projects/${projectA.slug}/datasets/d/versions?org=${a.orgSlug}`, secrets.b!),
      params({ project: projectA.slug, dataset: "d" }),
    );
    expect(await errorOf(bySlug)).toMatchObject({ status: 404, message: "Project not found" });
    const projects = await projectsRoute.GET(req(`/projects?orgId=${a.orgId}`, secrets.b!), params({}));
    expect(await errorOf(projects)).toMatchObject({ status: 404, code: "NOT_FOUND" });
    // The owner's own token reaches the project: the dataset is what is missing.
    const own = await versionsRoute.GET(req(`/projects/${projectA.slug}/datasets/d/versions`, secrets.admin!), params({ project: projectA.slug, dataset: "d" }));
    expect(await errorOf(own)).toMatchObject({ status: 404, message: "Dataset not found" });
  });

  it("keeps a project-scoped token inside its project", async () => {
    const res = await splitsRoute.GET(
      req(`/projects/${projectA.id}/datasets/d/versions/v/splits/train`, secrets.otherProject!),
      params({ project: projectA.id, dataset: "d", version: "v", split: "train" }),
    );
    expect(await errorOf(res)).toMatchObject({ status: 404, message: "Project not found" });
    const list = await projectsRoute.GET(req(`/projects?orgId=${a.orgId}`, secrets.otherProject!), params({}));
    expect(list.status).toBe(200);
    expect(((await list.json()) as { projects: { id: string }[] }).projects.map((p) => p.id)).toEqual([otherProjectA.id]);
  });

  it("refuses writes below MEMBER with 403", async () => {
    const upload = await versionsRoute.PUT(
      req(`/projects/${projectA.id}/datasets/d/versions`, secrets.viewer!, { method: "PUT", body: "a,b\n1,2\n" }),
      params({ project: projectA.id, dataset: "d" }),
    );
    expect(await errorOf(upload)).toMatchObject({ status: 403, code: "FORBIDDEN" });
    const artifact = await artifactsRoute.PUT(
      req(`/projects/${projectA.id}/runs/${runA1}/artifacts/x.txt`, secrets.viewer!, { method: "PUT", body: "x" }),
      params({ project: projectA.id, run: runA1, path: ["x.txt"] }),
    );
    expect(await errorOf(artifact)).toMatchObject({ status: 403, code: "FORBIDDEN" });
  });

  it("lets a run's token write only under its own run and read its project", async () => {
    const own = await artifactsRoute.PUT(
      req(`/projects/${projectA.id}/runs/${runA1}/artifacts/notes/x.txt`, secrets.run1!, { method: "PUT", body: "hello" }),
      params({ project: projectA.id, run: runA1, path: ["notes", "x.txt"] }),
    );
    expect(own.status).toBe(201);
    const other = await artifactsRoute.PUT(
      req(`/projects/${projectA.id}/runs/${runA2}/artifacts/x.txt`, secrets.run1!, { method: "PUT", body: "x" }),
      params({ project: projectA.id, run: runA2, path: ["x.txt"] }),
    );
    expect(await errorOf(other)).toMatchObject({ status: 403, code: "FORBIDDEN" });
    const upload = await versionsRoute.PUT(
      req(`/projects/${projectA.id}/datasets/d/versions`, secrets.run1!, { method: "PUT", body: "a,b\n1,2\n" }),
      params({ project: projectA.id, dataset: "d" }),
    );
    expect(await errorOf(upload)).toMatchObject({ status: 403, code: "FORBIDDEN" });
    const read = await artifactsRoute.GET(
      req(`/projects/${projectA.id}/runs/${runA1}/artifacts/notes/x.txt`, secrets.run1!),
      params({ project: projectA.id, run: runA1, path: ["notes", "x.txt"] }),
    );
    expect(read.status).toBe(200);
    expect(await read.text()).toBe("hello");
    expect((await projectsRoute.GET(req(`/projects?orgId=${a.orgId}`, secrets.run1!), params({}))).status).toBe(200);
  });

  it("answers 404, not a database error, for project segments that are no id or slug", async () => {
    for (const project of ["a\u0000b", "x".repeat(300), "Ünïcode", "a b"]) {
      const res = await versionsRoute.GET(req(`/projects/p/datasets/d/versions`, secrets.admin!), params({ project, dataset: "d" }));
      expect(await errorOf(res), JSON.stringify(project)).toMatchObject({ status: 404, code: "NOT_FOUND" });
    }
  });
});
