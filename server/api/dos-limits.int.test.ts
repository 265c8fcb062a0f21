/**
 * A VIEWER could hold the database pool with crafted run filters (`in (…)` with 900 values took 6 s
 * a call; ten in parallel took health down). Filters now have size limits (clear BAD_REQUEST), the
 * runs query runs under a statement timeout, and API callers have per-user/token rate limits.
 */
// Small limits for this file's process, read when the first request is charged.
process.env.CAIRN_RATE_LIMIT_PER_MINUTE = "60";
process.env.CAIRN_RATE_LIMIT_BURST = "5";
process.env.CAIRN_QUERY_TIMEOUT_MS = "500";

import { beforeAll, describe, expect, it } from "vitest";
import { GET as trpcGet } from "@/app/api/trpc/[trpc]/route";
import * as whoamiRoute from "@/app/api/v1/whoami/route";
import { TRPCError } from "@trpc/server";
import { db, pool, withStatementTimeout } from "../db";
import { appErrorFromDb } from "../errors";
import { TokenBuckets } from "../lib/rate-limit";
import { FILTER_LIMITS } from "../runs/filter";
import { addMember, callerAs, createTestProject, createUser, mintToken, type TestUser } from "../testing/factories";

let owner: TestUser;
let viewer: TestUser;
let projectId: string;

beforeAll(async () => {
  owner = await createUser();
  viewer = await createUser();
  await addMember(owner.orgId, viewer, "VIEWER");
  projectId = (await createTestProject(owner.orgId, owner)).id;
  await callerAs(owner).run.create({ projectId, experiment: "e", params: { depth: 4 } });
});

async function filterError(filter: string): Promise<TRPCError> {
  const err = await callerAs(viewer).run.list({ projectId, filter }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(TRPCError);
  return err as TRPCError;
}

describe("run filter limits", () => {
  it("refuses oversized filters with BAD_REQUEST and says which limit", async () => {
    // 900 values still fit in the 2,000 characters that the input schema allows.
    const values = Array.from({ length: 900 }, () => "0").join(",");
    const inList = await filterError(`metrics.rmse in (${values})`);
    expect(inList.code).toBe("BAD_REQUEST");
    expect(inList.message).toMatch(`holds at most ${FILTER_LIMITS.inItems} values`);

    const terms = Array.from({ length: 60 }, (_, i) => `metrics.m${i} > 1`).join(" or ");
    expect((await filterError(terms)).message).toMatch(`more than ${FILTER_LIMITS.terms} comparisons`);

    const deep = `${"(".repeat(20)}metrics.rmse > 1${")".repeat(20)}`;
    expect((await filterError(deep)).message).toMatch(`nest more than ${FILTER_LIMITS.depth} deep`);

    expect((await filterError(`name ~ "${"x".repeat(600)}"`)).message).toMatch(`longer than ${FILTER_LIMITS.valueLength} characters`);
  });

  it("still answers filters within the limits", async () => {
    const values = Array.from({ length: FILTER_LIMITS.inItems }, (_, i) => i).join(", ");
    const { runs } = await callerAs(viewer).run.list({ projectId, filter: `params.depth in (${values}) and (name ~ "run" or not status = "FAILED")` });
    expect(runs).toHaveLength(1);
  });
});

describe("statement timeout for caller-shaped queries", () => {
  it("cancels a slow statement, answers a 4xx and returns the connection", async () => {
    const started = Date.now();
    const err = await withStatementTimeout((c) => c.query("SELECT pg_sleep(5)"), 200).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2500);
    expect(appErrorFromDb(err)?.code).toBe("TOO_MANY_REQUESTS");
    expect(pool().totalCount - pool().idleCount).toBe(0);
    // Ordinary queries on the same pool have no such limit.
    await expect(pool().query("SELECT pg_sleep(0.3)")).resolves.toBeTruthy();
  });
});

describe("statement timeout on the runs list", () => {
  it("cancels a filter that is within the limits but slow on a big project, answering 429", async () => {
    const project = await createTestProject(owner.orgId, owner);
    const experiment = await db().experiment.create({ data: { projectId: project.id, name: "big" } });
    await pool().query(
      `INSERT INTO "Run" (id, "projectId", "experimentId", number, name, "createdBy", "updatedAt")
       SELECT 'big' || g, $1, $2, g, 'run-' || g, 'test', now() FROM generate_series(1, 40000) g`,
      [project.id, experiment.id],
    );
    // 50 comparisons, each a metric lookup per run: 2 million sub-selects.
    const filter = Array.from({ length: FILTER_LIMITS.terms }, (_, i) => `metrics.m${i} > 0`).join(" or ");
    const started = Date.now();
    const err = await callerAs(viewer)
      .run.list({ projectId: project.id, filter })
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe("TOO_MANY_REQUESTS");
    expect((err as TRPCError).message).toMatch(/took too long/);
  });
});

describe("per-caller rate limits", () => {
  it("refills at the configured rate and never lets a caller exceed the burst", () => {
    let now = 0;
    const buckets = new TokenBuckets({ perMinute: 60, burst: 3 }, () => now);
    expect([buckets.take("a"), buckets.take("a"), buckets.take("a")]).toEqual([0, 0, 0]);
    expect(buckets.take("a")).toBe(1);
    expect(buckets.take("b")).toBe(0);
    now += 1000;
    expect(buckets.take("a")).toBe(0);
    expect(buckets.take("a", 3)).toBe(3);
    expect(new TokenBuckets({ perMinute: 0, burst: 1 }).take("a", 100)).toBe(0);
  });

  it("answers 429 JSON with Retry-After over tRPC and /api/v1, per token", async () => {
    const { secret } = await mintToken(owner, { role: "VIEWER" });
    const { secret: other } = await mintToken(owner, { role: "VIEWER" });
    const call = (s: string) =>
      trpcGet(new Request(`http://localhost/api/trpc/org.list?input=${encodeURIComponent('{"json":null}')}`, { headers: { authorization: `Bearer ${s}` } }));
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await call(secret)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const limited = await call(secret);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const body = (await limited.json()) as { error: { json: { message: string; data: { code: string } } } };
    expect(body.error.json.data.code).toBe("TOO_MANY_REQUESTS");
    expect(body.error.json.message).toMatch(/Too many requests; retry in \d+ s/);

    const v1 = await whoamiRoute.GET(new Request("http://localhost/api/v1/whoami", { headers: { authorization: `Bearer ${secret}` } }), { params: Promise.resolve({}) });
    expect(v1.status).toBe(429);
    expect(v1.headers.get("retry-after")).toBeTruthy();
    expect(((await v1.json()) as { error: { code: string } }).error.code).toBe("TOO_MANY_REQUESTS");

    // Another token of the same organisation has its own bucket.
    expect((await call(other)).status).toBe(200);
  });
});
