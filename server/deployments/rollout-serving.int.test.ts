/**
 * Health and canary rollouts with real serving processes: real HTTP, real ONNX Runtime, health samples
 * written by the processes' recorders to Postgres, rollout.step jobs run through the worker's handlers
 * (drainJobs). The failing candidate is a real ONNX model that fails inside ONNX Runtime for requests
 * of more than one row, so its errors are produced by the serving path itself.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, pool } from "../db";
import { ENCODING_METADATA_KEY, fitEncodingSpec } from "../ml/features";
import { cairnMetadata, declareOutputs, graphWithFeatureInputs } from "../ml/onnx/features";
import { DataType } from "../ml/onnx/schema";
import { registerExternal } from "../registry/register";
import { startServingServer, type ServingServer } from "../serving/server";
import { drainJobs } from "../testing/drain-jobs";
import { callerAs, mintToken } from "../testing/factories";
import { linearModel } from "../testing/registry";
import { promotionWorld, type PromotionWorld } from "../testing/promotion";
import { waitFor } from "../testing/wait";
import { armHealth, healthSeries } from "./health";

const SPEC = JSON.stringify(fitEncodingSpec([0, 1, 2, 3, 4].map((x) => ({ x, y: 2 * x + 1 })), { features: ["x"], target: { name: "y", task: "regression" } }));

/** y = 2x + 1 for one row; ONNX Runtime refuses to reshape [N,1] into [1,1] for any other N. */
function failsOnBatches(): Buffer {
  const description = { task: "regression" as const, trainer: "external", features: [{ name: "x", kind: "numeric" as const }], params: {}, metadata: { [ENCODING_METADATA_KEY]: SPEC } };
  const g = graphWithFeatureInputs(description);
  const one = g.op("Reshape", ["x", g.constant("one_by_one", DataType.INT64, [2], [1, 1])]);
  const y = g.op("Add", [g.op("Mul", [one, g.constant("two", DataType.FLOAT, [1], [2])]), g.constant("b", DataType.FLOAT, [1], [1])]);
  declareOutputs(g, "regression");
  g.node("Identity", [y], [], { outputs: ["variable"], reservedOutputs: true });
  return Buffer.from(g.toModel("fails_on_batches", cairnMetadata(description), "fails for batches of more than one row"));
}

let w: PromotionWorld;
let a: ServingServer;
let b: ServingServer | null = null;
let secret: string;
const admin = () => callerAs(w.admin1).deployment;

async function register(modelName: string, bytes: Buffer) {
  const actor = { type: "user" as const, id: w.admin1.userId, label: w.admin1.email };
  const { version } = await registerExternal({ projectId: w.project.id, orgId: w.owner.orgId, actor, modelName, body: (async function* () { yield bytes; })() });
  return version;
}

/** A staging deployment of `stable` with `candidate` registered beside it (model name = deployment name). */
async function world(name: string, candidateBytes: Buffer) {
  const v1 = await register(name, linearModel(1, { metadata: { [ENCODING_METADATA_KEY]: SPEC } }));
  const v2 = await register(name, candidateBytes);
  const dep = await admin().create({ projectId: w.project.id, environment: "staging", name, modelId: v1.modelId, versionId: v1.id });
  return { ref: { projectId: w.project.id, deploymentId: dep.id }, v1, v2 };
}

async function infer(server: ServingServer, name: string, rows: number) {
  const res = await fetch(`${server.url}/v2/models/${name}/infer`, {
    method: "POST",
    body: JSON.stringify({ instances: Array.from({ length: rows }, (_, i) => ({ x: i })) }),
    headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
  });
  await res.arrayBuffer();
  return { status: res.status, version: res.headers.get("x-cairn-model-version") };
}

const burst = (server: ServingServer, name: string, n: number, rows = 1) => Promise.all(Array.from({ length: n }, () => infer(server, name, rows)));

/** Waits until both processes serve the deployment at `generation`. */
async function served(name: string, generation: number) {
  for (const s of [a, ...(b ? [b] : [])]) await waitFor(`${name} at generation ${generation}`, async () => s.routes.byName(name).some((r) => r.generation >= generation), { timeoutMs: 15_000, intervalMs: 50 });
}

/** Requests and caller errors per serving process, over all its sample rows. */
function perProcess(rows: { processId: string; requests: number; clientErrors: number }[]) {
  const by = new Map<string, { requests: number; clientErrors: number }>();
  for (const r of rows) {
    const p = by.get(r.processId) ?? { requests: 0, clientErrors: 0 };
    by.set(r.processId, { requests: p.requests + r.requests, clientErrors: p.clientErrors + r.clientErrors });
  }
  return [...by.values()];
}

async function samples(deploymentId: string) {
  const { rows } = await pool().query<{ processId: string; versionId: string; requests: number; errors: number; clientErrors: number; latencyCounts: number[] }>(
    `SELECT "processId", "versionId", requests, errors, "clientErrors", "latencyCounts" FROM "ServingHealthSample" WHERE "deploymentId" = $1`,
    [deploymentId],
  );
  return rows;
}

beforeAll(async () => {
  w = await promotionWorld();
  secret = (await mintToken(w.owner, { role: "VIEWER", projectId: w.project.id })).secret;
  a = await startServingServer({ port: 0, host: "127.0.0.1", pollMs: 60_000, healthFlushMs: 200, log: () => undefined });
  // The second process flushes only on close: its counts must still arrive.
  b = await startServingServer({ port: 0, host: "127.0.0.1", pollMs: 60_000, healthFlushMs: 3_600_000, log: () => undefined });
}, 120_000);

afterAll(async () => {
  await b?.close();
  await a?.close();
});

describe("serving health across processes", () => {
  it("two processes' answers, server errors and caller errors add up per version in Postgres", async () => {
    const { ref, v1 } = await world("health", linearModel(5, { metadata: { [ENCODING_METADATA_KEY]: SPEC } }));
    await served("health", 1);
    const fromA = await burst(a, "health", 30);
    const fromB = await burst(b!, "health", 20);
    expect([...fromA, ...fromB].every((r) => r.status === 200 && r.version === "health:1")).toBe(true);
    // Caller mistakes are counted apart and are not errors of the version.
    const bad = await fetch(`${a.url}/v2/models/health/infer`, { method: "POST", body: JSON.stringify({ instances: [{ y: 1 }] }), headers: { authorization: `Bearer ${secret}` } });
    expect(bad.status).toBe(400);
    // A burst may straddle two 10 s windows, so a process's answers are summed over its rows.
    await waitFor("process A's flush", async () => {
      const a = perProcess(await samples(ref.deploymentId));
      return a.length === 1 && a[0]!.requests === 30 && a[0]!.clientErrors === 1;
    });
    await b!.close();
    b = null;
    const rows = await samples(ref.deploymentId);
    expect(perProcess(rows).map((p) => p.requests).sort()).toEqual([20, 30]);
    for (const r of rows) {
      expect(r.versionId).toBe(v1.id);
      expect(r.latencyCounts.reduce((s, c) => s + c, 0)).toBe(r.requests);
      expect(r.errors).toBe(0);
    }
    // More answers from A are added to its counts, not written over them.
    await burst(a, "health", 10);
    await waitFor("the added counts", async () => (await samples(ref.deploymentId)).reduce((s, r) => s + r.requests, 0) === 60 || null);
    const arm = await armHealth({ deploymentId: ref.deploymentId, versionId: v1.id, from: new Date(Date.now() - 60_000), to: new Date(Date.now() + 1000), metric: null });
    expect(arm).toMatchObject({ requests: 60, errors: 0, errorRate: 0 });
    expect(arm.p95Ms).toBeGreaterThan(0);
    const series = await healthSeries({ ...ref, minutes: 5 });
    expect(series.versions).toEqual([{ versionId: v1.id, number: 1, role: "stable" }]);
    expect(series.points.reduce((s, p) => s + p.requests, 0)).toBe(60);
    expect(series.points.filter((p) => p.requests > 0).every((p) => p.p50Ms !== null && p.p95Ms! >= p.p50Ms!)).toBe(true);
  });
});

describe("canary rollouts with a serving process", () => {
  it("rolls back a candidate whose requests fail in ONNX Runtime: auto_rollback with the evidence, traffic back to stable", async () => {
    const { ref, v1, v2 } = await world("risky", failsOnBatches());
    const dep = await admin().setCandidate({ ...ref, versionId: v2.id, strategy: "canary", rollout: { steps: [50, 100], bakeSeconds: 5, health: { minRequests: 10, maxErrorRate: 0.05 } } });
    await served("risky", dep.generation);
    // One-row requests succeed on both versions; two-row requests fail on the candidate only.
    const answers = [...(await burst(a, "risky", 40, 1)), ...(await burst(a, "risky", 40, 2))];
    const failed = answers.filter((r) => r.status === 500);
    expect(failed.length).toBeGreaterThan(5);
    expect(new Set(failed.map((r) => r.version))).toEqual(new Set(["risky:2"]));
    // Every answer and failure is in Postgres before the job looks, so the evidence can be compared exactly.
    await waitFor("all 80 requests in the samples", async () => (await samples(ref.deploymentId)).reduce((n, r) => n + r.requests, 0) === 80);
    const rolledBack = await waitFor("the automatic rollback", async () => {
      await drainJobs();
      const row = await db().deployment.findUniqueOrThrow({ where: { id: ref.deploymentId } });
      return row.status === "rolled_back" ? row : null;
    }, { timeoutMs: 20_000, intervalMs: 300 });
    expect(rolledBack).toMatchObject({ strategy: "direct", stableVersionId: v1.id, candidateVersionId: null, rollout: null });
    const entry = await db().deploymentLedgerEntry.findFirstOrThrow({ where: { deploymentId: ref.deploymentId, kind: "auto_rollback" } });
    expect(entry.actor).toBe("job:rollout.step");
    expect(entry.toSplit).toMatchObject({ strategy: "direct", stableVersionId: v1.id, candidateVersionId: null });
    const health = (entry.evidence as { health: { verdict: string; candidate: { versionId: string; errors: number; errorRate: number }; reasons: string[] } }).health;
    expect(health).toMatchObject({ verdict: "failing", candidate: { versionId: v2.id, errors: failed.length } });
    expect(health.candidate.errorRate).toBeGreaterThan(0.05);
    expect(health.reasons[0]).toMatch(/^error rate \d+\.\d % > 5\.0 %/);
    await served("risky", rolledBack.generation);
    const after = await burst(a, "risky", 20, 2);
    expect(after.every((r) => r.status === 200 && r.version === "risky:1")).toBe(true);
  });

  it("walks a healthy canary 5 → 25 → 50 → 100 % and promotes it, every move by the job", async () => {
    const { ref, v2 } = await world("steady", linearModel(1.5, { metadata: { [ENCODING_METADATA_KEY]: SPEC } }));
    await admin().setCandidate({ ...ref, versionId: v2.id, strategy: "canary", rollout: { steps: [5, 25, 50, 100], bakeSeconds: 1, health: { minRequests: 3, maxP95Ratio: 20 } } });
    const seen = new Set<string>();
    const promoted = await waitFor("the promotion", async () => {
      for (const r of await burst(a, "steady", 80)) if (r.version) seen.add(r.version);
      await new Promise((r) => setTimeout(r, 250)); // one flush of the samples
      await drainJobs();
      const row = await db().deployment.findUniqueOrThrow({ where: { id: ref.deploymentId } });
      return row.strategy === "direct" ? row : null;
    }, { timeoutMs: 45_000, intervalMs: 10 });
    expect(promoted).toMatchObject({ stableVersionId: v2.id, candidateVersionId: null, status: "active", rollout: null });
    expect(seen).toEqual(new Set(["steady:1", "steady:2"]));
    const entries = await db().deploymentLedgerEntry.findMany({ where: { deploymentId: ref.deploymentId }, orderBy: { seq: "asc" } });
    expect(entries.map((e) => [e.kind, (e.toSplit as { candidatePercent: number }).candidatePercent])).toEqual([["create", 0], ["candidate", 5], ["step", 25], ["step", 50], ["step", 100], ["promote", 0]]);
    for (const e of entries.slice(2)) {
      expect(e.actor).toBe("job:rollout.step");
      expect(e.evidence).toMatchObject({ health: { verdict: "healthy", candidate: { versionId: v2.id, errors: 0 } } });
    }
    expect((await db().deploymentLedgerEntry.findMany({ where: { deploymentId: ref.deploymentId, kind: "promote" } }))[0]!.reason).toMatch(/Step at 100 % baked 1 s/);
    // The charts label the promoted version stable and the one it replaced previous; every answer is in the series.
    const series = await healthSeries({ ...ref, minutes: 10 });
    expect(series.versions.map((v) => [v.number, v.role])).toEqual([[2, "stable"], [1, "previous"]]);
    const answered = await db().$queryRaw<{ n: number }[]>`SELECT sum(requests)::int AS n FROM "ServingHealthSample" WHERE "deploymentId" = ${ref.deploymentId}`;
    expect(series.points.reduce((s, p) => s + p.requests, 0)).toBe(answered[0]!.n);
  });
});
