/**
 * Inputs that used to reach Postgres and come back as 500s carrying Prisma or Postgres text. Over
 * the real route handlers (tRPC and /api/v1) each is a 4xx with a readable message, and no response
 * names SQL, tables, columns or the database.
 */
import { beforeAll, describe, expect, it } from "vitest";
import superjson from "superjson";
import { GET as trpcGet, POST as trpcPost } from "@/app/api/trpc/[trpc]/route";
import * as artifactsRoute from "@/app/api/v1/projects/[project]/runs/[run]/artifacts/[...path]/route";
import * as versionsRoute from "@/app/api/v1/projects/[project]/datasets/[dataset]/versions/route";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { db } from "../db";
import { AppError } from "../errors";
import { apiRoute } from "./http";
import { createTRPCRouter, publicProcedure } from "./trpc";
import { callerAs, createTestProject, createUser, mintToken, type TestUser } from "../testing/factories";

const DB_TEXT = /prisma|postgres|invalid input|syntax|sql|relation "|column|violates|constraint|\$\d|::|invocation/i;

let owner: TestUser;
let secret: string;
let projectId: string;
let runId: string;

beforeAll(async () => {
  owner = await createUser();
  secret = (await mintToken(owner)).secret;
  projectId = (await createTestProject(owner.orgId, owner)).id;
  runId = (await callerAs(owner).run.create({ projectId, experiment: "e" })).id;
});

interface Answer {
  status: number;
  text: string;
}

async function trpc(type: "query" | "mutation", path: string, input: unknown, raw?: string): Promise<Answer> {
  const body = raw ?? JSON.stringify(superjson.serialize(input));
  const headers = { "content-type": "application/json", authorization: `Bearer ${secret}` };
  const res =
    type === "query"
      ? await trpcGet(new Request(`http://localhost/api/trpc/${path}?input=${encodeURIComponent(body)}`, { headers }))
      : await trpcPost(new Request(`http://localhost/api/trpc/${path}`, { method: "POST", headers, body }));
  return { status: res.status, text: await res.text() };
}

async function artifact(method: "PUT" | "GET", rawPath: string): Promise<Answer> {
  const url = `http://localhost/api/v1/projects/${projectId}/runs/${runId}/artifacts/${rawPath}`;
  const init: RequestInit = { method, headers: { authorization: `Bearer ${secret}` }, ...(method === "PUT" ? { body: "payload" } : {}) };
  const handler = method === "PUT" ? artifactsRoute.PUT : artifactsRoute.GET;
  const res = await handler(new Request(url, init), { params: Promise.resolve({ project: projectId, run: runId, path: rawPath.split("/") }) });
  return { status: res.status, text: await res.text() };
}

function expect4xx(answer: Answer, message: RegExp) {
  expect(answer.status, answer.text).toBeGreaterThanOrEqual(400);
  expect(answer.status, answer.text).toBeLessThan(500);
  expect(answer.text).toMatch(message);
  expect(answer.text).not.toMatch(DB_TEXT);
}

function nested(depth: number, leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = { k: value };
  return value;
}

describe("bad input that reached the database is a clean 4xx", () => {
  it("invalid dates in run filters", async () => {
    for (const filter of ['created > "not a date"', 'created > "+010000-01-01T00:00:00Z"', "created > 2024"]) {
      expect4xx(await trpc("query", "run.list", { projectId, filter }), /created is a date/);
    }
    const fine = await trpc("query", "run.list", { projectId, filter: 'created > "2020-01-01"' });
    expect(fine.status).toBe(200);
  });

  it("an over-long afterId for run logs", async () => {
    expect4xx(await trpc("query", "training.logs", { projectId, runId, afterId: "9".repeat(40) }), /afterId/);
  });

  it("NUL deep inside an input, and input nested absurdly deep", async () => {
    expect4xx(await trpc("mutation", "run.create", { projectId, experiment: "e", params: nested(40, "a\u0000b") }), /NUL|nested/);
    const deep = `{"json":{"projectId":"${projectId}","experiment":"e","params":${'{"k":'.repeat(100_000)}1${"}".repeat(100_000)}}}`;
    const deepAnswer = await trpc("mutation", "run.create", null, deep);
    expect4xx(deepAnswer, /nested|input/);
    expect(await db().run.count({ where: { projectId } })).toBe(1);
  });

  it("a token expiry beyond the year 9999", async () => {
    expect4xx(await trpc("mutation", "token.create", { orgId: owner.orgId, name: "far", role: "VIEWER", expiresAt: new Date("+010000-01-01T00:00:00Z") }), /expiresAt/);
  });

  it("malformed percent-encoding and encoded traversal in artifact paths", async () => {
    expect4xx(await artifact("PUT", "a/%zz.txt"), /malformed percent-encoding/);
    expect4xx(await artifact("GET", "%E0%A4%A"), /malformed percent-encoding/);
    expect4xx(await artifact("PUT", "%2e%2e%2f%2e%2e%2fescaped.txt"), /not a valid artifact path/);
    expect4xx(await artifact("PUT", "a%2f..%2fb.txt"), /not a valid artifact path/);
    expect4xx(await artifact("PUT", "bad%00name.txt"), /not a valid artifact path/);
    expect(await db().runArtifact.count({ where: { runId } })).toBe(0);
    // An encoded space or slash inside a legitimate name still works, decoded once.
    expect((await artifact("PUT", "plots/loss%20curve.png")).status).toBe(201);
    expect((await artifact("PUT", "nested%2Fdir%2Ffile.txt")).status).toBe(201);
    const paths = (await db().runArtifact.findMany({ where: { runId }, select: { path: true }, orderBy: { path: "asc" } })).map((a) => a.path);
    expect(paths).toEqual(["nested/dir/file.txt", "plots/loss curve.png"]);
  });

  it("NUL in slugs on /api/v1 paths", async () => {
    const res = await versionsRoute.GET(
      new Request(`http://localhost/api/v1/projects/${projectId}/datasets/a%00b/versions`, { headers: { authorization: `Bearer ${secret}` } }),
      { params: Promise.resolve({ project: projectId, dataset: "a\u0000b" }) },
    );
    expect4xx({ status: res.status, text: await res.text() }, /not found|NUL|cannot be stored/i);
  });
});

describe("one error mapping for unexpected and database errors", () => {
  const leak = () => {
    throw Object.assign(new Error('relation "ApiToken" does not exist: SELECT "secretHash" FROM "ApiToken"'), { code: "42P01" });
  };
  const unique = () => {
    throw Object.assign(new Error('duplicate key value violates unique constraint "Run_experimentId_number_key"'), { code: "P2002" });
  };
  const router = createTRPCRouter({ leak: publicProcedure.query(leak), unique: publicProcedure.mutation(unique) });
  const viaTrpc = async (path: string, method: "GET" | "POST") => {
    const res = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: new Request(`http://localhost/api/trpc/${path}`, method === "POST" ? { method, body: "{}", headers: { "content-type": "application/json" } } : {}),
      router,
      createContext: async () => ({ identity: null, badToken: false, ip: null }),
    });
    return { status: res.status, text: await res.text() };
  };

  it("tRPC: unknown errors are a generic 500, unique violations CONFLICT, neither shows database text", async () => {
    const unknown = await viaTrpc("leak", "GET");
    expect(unknown.status).toBe(500);
    expect(unknown.text).toMatch(/Something went wrong on our side/);
    expect(unknown.text).not.toMatch(DB_TEXT);
    const conflict = await viaTrpc("unique", "POST");
    expect(conflict.status).toBe(409);
    expect(conflict.text).not.toMatch(DB_TEXT);
  });

  it("/api/v1: the same mapping and the same hiding", async () => {
    const req = new Request("http://localhost/api/v1/x");
    const unknown = await apiRoute(async () => leak())(req, {});
    expect(unknown.status).toBe(500);
    expect(await unknown.text()).not.toMatch(DB_TEXT);
    const conflict = await apiRoute(async () => unique())(req, {});
    expect(conflict.status).toBe(409);
    expect(((await conflict.json()) as { error: { code: string } }).error.code).toBe("CONFLICT");
    const service = await apiRoute(async () => {
      throw new AppError("PRECONDITION_FAILED", "The version failed validation");
    })(req, {});
    expect(service.status).toBe(412);
  });
});
