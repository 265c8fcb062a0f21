/**
 * The serving health recorder when Postgres cannot take its samples: requests are still answered at
 * once, the failed flush keeps its counts, and the next flush writes them all. The outage is real: the
 * samples table is renamed away in this file's own database and back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pool } from "../db";
import { ENCODING_METADATA_KEY, fitEncodingSpec } from "../ml/features";
import { registerExternal } from "../registry/register";
import { callerAs, mintToken } from "../testing/factories";
import { promotionWorld } from "../testing/promotion";
import { linearModel } from "../testing/registry";
import { waitFor } from "../testing/wait";
import { HEALTH_LATENCY_BOUNDS_MS, HealthRecorder, latencyBucket, windowStartOf } from "./health";
import { startServingServer, type ServingServer } from "./server";

let serving: ServingServer;
const logged: string[] = [];

beforeAll(async () => {
  serving = await startServingServer({ port: 0, host: "127.0.0.1", pollMs: 60_000, healthFlushMs: 100, log: (line) => logged.push(line) });
});

afterAll(async () => {
  await pool().query(`ALTER TABLE IF EXISTS "ServingHealthSample_away" RENAME TO "ServingHealthSample"`);
  await serving?.close();
});

const total = async (deploymentId: string) =>
  (await pool().query<{ n: number; c: number }>(`SELECT coalesce(sum(requests), 0)::int AS n, coalesce(sum(cardinality("latencyCounts")), 0)::int AS c FROM "ServingHealthSample" WHERE "deploymentId" = $1`, [deploymentId])).rows[0]!;

describe("HealthRecorder", () => {
  it("puts latencies in the bucket whose upper bound holds them and aligns windows", () => {
    expect(latencyBucket(0.2)).toBe(0);
    expect(latencyBucket(1)).toBe(1);
    expect(latencyBucket(1.01)).toBe(2);
    expect(latencyBucket(99_999)).toBe(HEALTH_LATENCY_BOUNDS_MS.length);
    expect(windowStartOf(Date.parse("2026-11-29T09:00:07.900Z"))).toBe(Date.parse("2026-11-29T09:00:00.000Z"));
  });

  it("answers every request during a database outage and writes the held counts once the table is back", async () => {
    const w = await promotionWorld();
    const spec = JSON.stringify(fitEncodingSpec([0, 1, 2].map((x) => ({ x, y: x })), { features: ["x"], target: { name: "y", task: "regression" } }));
    const actor = { type: "user" as const, id: w.admin1.userId, label: w.admin1.email };
    const { version } = await registerExternal({ projectId: w.project.id, orgId: w.owner.orgId, actor, modelName: "outage", body: (async function* () { yield linearModel(1, { metadata: { [ENCODING_METADATA_KEY]: spec } }); })() });
    const dep = await callerAs(w.admin1).deployment.create({ projectId: w.project.id, environment: "staging", name: "outage", modelId: version.modelId, versionId: version.id });
    const secret = (await mintToken(w.owner, { role: "VIEWER", projectId: w.project.id })).secret;
    await waitFor("the route", async () => serving.routes.byName("outage").length > 0);

    await pool().query(`ALTER TABLE "ServingHealthSample" RENAME TO "ServingHealthSample_away"`);
    const statuses = await Promise.all(
      Array.from({ length: 25 }, () =>
        fetch(`${serving.url}/v2/models/outage/infer`, { method: "POST", body: JSON.stringify({ instances: [{ x: 1 }] }), headers: { authorization: `Bearer ${secret}` } }).then((r) => r.status),
      ),
    );
    expect(statuses).toEqual(Array(25).fill(200));
    await waitFor("a failed flush", async () => logged.some((l) => /serving health: .*ServingHealthSample/.test(l)));
    const metrics = await (await fetch(`${serving.url}/metrics`)).text();
    expect(Number(/cairn_serve_health_recorder\{outcome="failed_flushes"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(0);
    expect(Number(/cairn_serve_health_recorder\{outcome="pending_cells"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(0);
    await pool().query(`ALTER TABLE "ServingHealthSample_away" RENAME TO "ServingHealthSample"`);
    const written = await waitFor("the held counts", async () => {
      const t = await total(dep.id);
      return t.n === 25 ? t : null;
    });
    expect(written.c).toBeGreaterThan(0);
  });

  it("adds a second flush of the same window to the row instead of replacing it", async () => {
    let now = Date.parse("2026-11-29T09:00:01Z");
    const r = new HealthRecorder({ pool: pool(), flushMs: 3_600_000, processId: "p1", now: () => now });
    const target = { projectId: "p", deploymentId: "d-add", versionId: "v" };
    r.answered(target, 2);
    r.failed(target, 503);
    r.failed(target, 400);
    await r.flush();
    r.answered(target, 30);
    now += 12_000; // the next window
    r.answered(target, 30);
    await r.close();
    const { rows } = await pool().query<{ w: string; requests: number; errors: number; clientErrors: number; latencyCounts: number[]; latencySumMs: number }>(
      `SELECT to_char("windowStart", 'HH24:MI:SS') AS w, requests, errors, "clientErrors", "latencyCounts", "latencySumMs" FROM "ServingHealthSample" WHERE "deploymentId" = 'd-add' ORDER BY 1`,
    );
    const counts = (...pairs: [number, number][]) => {
      const c = new Array<number>(HEALTH_LATENCY_BOUNDS_MS.length + 1).fill(0);
      for (const [ms, n] of pairs) c[latencyBucket(ms)] = n;
      return c;
    };
    expect(rows).toEqual([
      { w: "09:00:00", requests: 3, errors: 1, clientErrors: 1, latencyCounts: counts([2, 1], [30, 1]), latencySumMs: 32 },
      { w: "09:00:10", requests: 1, errors: 0, clientErrors: 0, latencyCounts: counts([30, 1]), latencySumMs: 30 },
    ]);
  });

  it("deletes samples older than the retention after a flush, keeping newer ones", async () => {
    const now = Date.parse("2026-11-29T09:00:00Z");
    const insert = (deploymentId: string, at: number) =>
      pool().query(`INSERT INTO "ServingHealthSample" ("projectId", "deploymentId", "versionId", "processId", "windowStart", "latencyCounts") VALUES ('p', $1, 'v', 'old', to_timestamp($2 / 1000.0) AT TIME ZONE 'UTC', '{}')`, [deploymentId, at]);
    await insert("d-prune-old", now - 3 * 86_400_000);
    await insert("d-prune-kept", now - 86_400_000 + 60_000);
    const r = new HealthRecorder({ pool: pool(), flushMs: 3_600_000, processId: "pruner", now: () => now, retentionDays: 1 });
    r.answered({ projectId: "p", deploymentId: "d-prune-new", versionId: "v" }, 1);
    await r.close();
    const { rows } = await pool().query<{ d: string }>(`SELECT "deploymentId" AS d FROM "ServingHealthSample" WHERE "deploymentId" LIKE 'd-prune-%' ORDER BY 1`);
    expect(rows.map((x) => x.d)).toEqual(["d-prune-kept", "d-prune-new"]);
  });
});
