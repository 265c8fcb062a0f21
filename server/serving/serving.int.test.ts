/**
 * The serving process end to end: real Postgres, real ONNX Runtime, real HTTP on a real port. Versions
 * are registered from a real trained run; Deployment rows are written directly (the deployments
 * service writes them in production and announces them with pg_notify).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken, newTokenSecret } from "../auth/tokens";
import { db, pool } from "../db";
import { readArtifactBytes } from "../evaluation/encoding";
import { createScorer } from "../evaluation/score";
import { encode, encodeTrainingData, ENCODING_METADATA_KEY, fitEncodingSpec, parseEncodingSpec, type RawRow } from "../ml/features";
import { DELIVERY_COLUMNS, deliveryRows } from "../ml/synthetic/deliveries";
import { gbdt } from "../ml/trainers";
import { registerExternal, registerFromRun } from "../registry/register";
import { createTestProject, createUser, mintToken, type TestUser } from "../testing/factories";
import { projectWithTrainedRun, trainRun } from "../testing/registry";
import { DEPLOYMENTS_CHANNEL } from "./schemas";
import { startServingServer, type ServingServer } from "./server";
import { keyBucket } from "./split";

let serving: ServingServer;
let owner: TestUser;
let projectId: string;
let environmentId: string;
let otherProjectId: string;
const v: { id: string; number: number; modelId: string }[] = [];
const secrets: Record<string, string> = {};

/** Delivery rows as a JSON client sends them: the features only, CSV text cells. */
const rows: RawRow[] = deliveryRows(40, 77).map((cells) => {
  const row: Record<string, string> = Object.fromEntries(DELIVERY_COLUMNS.map((c, i) => [c, cells[i]!]));
  delete row.delivery_id;
  delete row.minutes;
  return row;
});

async function deploy(name: string, data: { stableVersionId: string; candidateVersionId?: string; candidatePercent?: number; strategy?: string; modelId?: string }) {
  const d = await db().deployment.create({ data: { projectId, environmentId, name, modelId: data.modelId ?? v[0]!.modelId, createdById: owner.userId, ...data } });
  await pool().query("SELECT pg_notify($1, $2)", [DEPLOYMENTS_CHANNEL, d.id]);
  await until(async () => (await ready(name)) === 200);
  return d;
}

async function until(check: () => Promise<boolean>, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

const ready = (name: string) => fetch(`${serving.url}/v2/models/${name}/ready`, { headers: { authorization: `Bearer ${secrets.viewer}` } }).then((r) => r.status);

function infer(name: string, body: unknown, opts: { secret?: string | null; headers?: Record<string, string> } = {}) {
  const secret = opts.secret === undefined ? secrets.viewer : opts.secret;
  return fetch(`${serving.url}/v2/models/${name}/infer`, {
    method: "POST",
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: { "content-type": "application/json", ...(secret === null ? {} : { authorization: `Bearer ${secret}` }), ...opts.headers },
  });
}

async function predictions(name: string, body: unknown = { instances: rows }, opts: Parameters<typeof infer>[2] = {}) {
  const res = await infer(name, body, opts);
  expect(res.status).toBe(200);
  return { version: res.headers.get("x-cairn-model-version"), requestId: res.headers.get("x-request-id"), body: (await res.json()) as { predictions: number[] } };
}

beforeAll(async () => {
  const setup = await projectWithTrainedRun({ rows: 300 });
  owner = setup.owner;
  projectId = setup.project.id;
  const actor = { type: "user" as const, id: owner.userId, label: owner.email };
  const second = await trainRun(setup.caller, projectId, setup.version.id, { rounds: 30 });
  for (const runId of [setup.run.id, second.id]) {
    const { version } = await registerFromRun({ projectId, orgId: owner.orgId, actor, modelName: "eta", runId });
    v.push({ id: version.id, number: version.number, modelId: version.modelId });
  }
  environmentId = (await db().environment.create({ data: { projectId, name: "production" } })).id;
  secrets.viewer = (await mintToken(owner, { role: "VIEWER", projectId })).secret;
  secrets.org = (await mintToken(owner, { role: "MEMBER" })).secret;
  const stranger = await createUser();
  await createTestProject(stranger.orgId, stranger);
  secrets.stranger = (await mintToken(stranger, { role: "ADMIN" })).secret;
  const otherProject = await createTestProject(owner.orgId, owner);
  secrets.otherProject = (await mintToken(owner, { role: "ADMIN", projectId: otherProject.id })).secret;
  otherProjectId = otherProject.id;
  // A long poll interval: these tests see changes through LISTEN/NOTIFY; the polling test starts its own server.
  serving = await startServingServer({ port: 0, host: "127.0.0.1", pollMs: 60_000, log: () => undefined });
}, 240_000);

afterAll(async () => {
  await serving?.close();
});

async function predictToken(deploymentId: string | null) {
  const { secret, hash, prefix } = newTokenSecret();
  await db().apiToken.create({ data: { orgId: owner.orgId, projectId, name: "predict", role: "VIEWER", prefix, secretHash: hash, rootUserId: owner.userId, scope: "predict", deploymentId } });
  return secret;
}

describe("serving", () => {
  it("answers with the same outputs as the evaluation scorer, in both request formats", async () => {
    await deploy("eta", { stableVersionId: v[0]!.id });
    const row = await db().modelVersion.findUniqueOrThrow({ where: { id: v[0]!.id } });
    const scorer = await createScorer(await readArtifactBytes(row.sha256), { spec: parseEncodingSpec(row.encoding) });
    const expected = Array.from(await scorer.score(rows));
    await scorer.release();

    const byRow = await predictions("eta");
    expect(byRow.version).toBe("eta:1");
    expect(byRow.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(byRow.body.predictions).toEqual(expected);

    const spec = parseEncodingSpec(row.encoding);
    const inputs = spec.features.map((f) => ({ name: f.name, shape: [rows.length, 1], datatype: f.kind === "categorical" || f.kind === "date" ? "BYTES" : "FP64", data: rows.map((r) => (f.kind === "numeric" && r[f.name] !== "" ? Number(r[f.name]) : r[f.name])) }));
    const res = await infer("eta", { id: "req-1", inputs }, { headers: { "x-request-id": "abc-123" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("abc-123");
    const v2 = (await res.json()) as { id: string; model_name: string; outputs: { name: string; shape: number[]; data: number[] }[] };
    expect(v2).toMatchObject({ id: "req-1", model_name: "eta", model_version: "1", outputs: [{ name: "predictions", shape: [rows.length] }] });
    expect(v2.outputs[0]!.data).toEqual(expected);

    const meta = await fetch(`${serving.url}/v2/models/eta`, { headers: { authorization: `Bearer ${secrets.viewer}` } });
    expect(await meta.json()).toMatchObject({ name: "eta", versions: ["1"], platform: "onnxruntime_onnx", inputs: spec.features.map((f) => ({ name: f.name, shape: [-1] })) });
  });

  it("scores concurrent requests together (dynamic batching) and answers each with its own row's prediction", async () => {
    const row = await db().modelVersion.findUniqueOrThrow({ where: { id: v[0]!.id } });
    const scorer = await createScorer(await readArtifactBytes(row.sha256), { spec: parseEncodingSpec(row.encoding) });
    const expected = Array.from(await scorer.score(rows));
    await scorer.release();
    const runs = async () => {
      const text = await (await fetch(`${serving.url}/metrics`)).text();
      const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? 0);
      return { runs: value("cairn_serve_batch_requests_count"), requests: value("cairn_serve_batch_requests_sum") };
    };
    const before = await runs();
    // 40 one-row requests in flight at once, three rounds: every answer must be its own row's.
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all(rows.map((r, i) => predictions("eta", { instances: [r] }, { headers: { "x-request-id": `batch-${round}-${i}` } })));
      answers.forEach((a, i) => expect(a.body.predictions).toEqual([expected[i]]));
    }
    const after = await runs();
    expect(after.requests - before.requests).toBe(120);
    // Fewer runs than requests: some requests shared a run.
    expect(after.runs - before.runs).toBeLessThan(120);
  });

  it("matches the trainer's own predictions for a GBDT registered with its embedded spec", async () => {
    const records = deliveryRows(300, 5).map((cells) => Object.fromEntries(DELIVERY_COLUMNS.map((c, i) => [c, cells[i]!])));
    const spec = fitEncodingSpec(records, { features: DELIVERY_COLUMNS.filter((c) => c !== "delivery_id" && c !== "minutes"), target: { name: "minutes", task: "regression" } });
    const model = gbdt(encodeTrainingData(spec, records), { task: "regression", rounds: 20, maxDepth: 3 }).model;
    const bytes = model.toOnnx({ [ENCODING_METADATA_KEY]: JSON.stringify(spec) });
    const { version } = await registerExternal({ projectId, orgId: owner.orgId, actor: { type: "user", id: owner.userId, label: owner.email }, modelName: "direct", body: (async function* () { yield bytes; })() });
    await deploy("direct", { stableVersionId: version.id, modelId: version.modelId });
    const served = (await predictions("direct")).body.predictions;
    const expected = model.predict(encode(spec, rows));
    expect(served).toHaveLength(rows.length);
    served.forEach((p, i) => expect(Math.abs(p - expected[i]!)).toBeLessThan(1e-4 * Math.max(1, Math.abs(expected[i]!))));
  });

  it("refuses bad input with 400 naming the field, unknown deployments with 404, big bodies with 413", async () => {
    const error = async (res: Response) => ({ status: res.status, ...((await res.json()) as { error: string }) });
    const [first] = rows as [RawRow];
    const { distance_km: _, ...missing } = first as Record<string, unknown>;
    expect(await error(await infer("eta", { instances: [missing] }))).toMatchObject({ status: 400, error: expect.stringMatching(/^instances\[0\]\.distance_km: missing/) });
    expect(await error(await infer("eta", { instances: [{ ...first, colour: "red" }] }))).toMatchObject({ status: 400, error: expect.stringMatching(/^instances\[0\]\.colour: unknown feature/) });
    expect(await error(await infer("eta", { instances: [{ ...first, distance_km: [1] }] }))).toMatchObject({ status: 400, error: expect.stringMatching(/^instances\[0\]\.distance_km: a numeric feature takes a number/) });
    expect(await error(await infer("eta", { instances: [{ ...first, distance_km: "far" }] }))).toMatchObject({ status: 400, error: expect.stringMatching(/distance_km: "far" is not a number/) });
    const spec = parseEncodingSpec((await db().modelVersion.findUniqueOrThrow({ where: { id: v[0]!.id } })).encoding);
    const tensors = spec.features.map((f, i) => ({ name: f.name, shape: [2], datatype: f.kind === "categorical" || f.kind === "date" ? "BYTES" : "FP64", data: i === 0 ? [null] : [null, null] }));
    expect(await error(await infer("eta", { inputs: tensors }))).toMatchObject({ status: 400, error: expect.stringMatching(new RegExp(`^inputs\\.${spec.features[0]!.name}: shape \\[2\\] does not match 1`)) });
    const ragged = spec.features.map((f, i) => ({ name: f.name, shape: [i === 1 ? 1 : 2], datatype: f.kind === "categorical" || f.kind === "date" ? "BYTES" : "FP64", data: i === 1 ? [null] : [null, null] }));
    expect(await error(await infer("eta", { inputs: ragged }))).toMatchObject({ status: 400, error: expect.stringMatching(new RegExp(`^inputs\\.${spec.features[1]!.name}: 1 rows, but other inputs have 2`)) });
    const numeric = spec.features.find((f) => f.kind === "numeric")!;
    const wrongType = spec.features.map((f) => ({ name: f.name, shape: [1], datatype: f === numeric ? "BYTES" : f.kind === "categorical" || f.kind === "date" ? "BYTES" : "FP64", data: [null] }));
    expect(await error(await infer("eta", { inputs: wrongType }))).toMatchObject({ status: 400, error: expect.stringMatching(new RegExp(`^inputs\\.${numeric.name}: datatype BYTES does not fit`)) });
    expect(await error(await infer("eta", "{nope"))).toMatchObject({ status: 400, error: "The request body must be JSON" });
    expect(await error(await infer("eta", { instances: [] }))).toMatchObject({ status: 400, error: expect.stringMatching(/^instances:/) });
    expect(await error(await infer("missing", { instances: rows }))).toMatchObject({ status: 404, error: 'No deployment named "missing"' });
    const broken = await db().deployment.create({ data: { projectId, environmentId, name: "broken", modelId: v[0]!.modelId, createdById: owner.userId, stableVersionId: "no-such-version" } });
    await pool().query("SELECT pg_notify($1, $2)", [DEPLOYMENTS_CHANNEL, broken.id]);
    await until(async () => (await ready("broken")) === 503);
    expect(await error(await infer("broken", { instances: rows }))).toMatchObject({ status: 503, error: expect.stringMatching(/^Deployment "broken" cannot be served yet: model version no-such-version does not exist/) });
    expect((await infer("broken", { instances: rows }, { secret: secrets.stranger })).status).toBe(404);
    // A deployment row naming another project's version serves nothing.
    const otherEnv = await db().environment.create({ data: { projectId: otherProjectId, name: "production" } });
    const foreign = await db().deployment.create({ data: { projectId: otherProjectId, environmentId: otherEnv.id, name: "foreign", modelId: v[0]!.modelId, createdById: owner.userId, stableVersionId: v[0]!.id } });
    await pool().query("SELECT pg_notify($1, $2)", [DEPLOYMENTS_CHANNEL, foreign.id]);
    await until(async () => (await infer("foreign", { instances: rows }, { secret: secrets.otherProject })).status === 503);
    expect(await error(await infer("foreign", { instances: rows }, { secret: secrets.otherProject }))).toMatchObject({ error: expect.stringMatching(/model version \S+ does not exist/) });
    expect((await infer("eta", JSON.stringify({ instances: Array.from({ length: 40_000 }, () => first) }))).status).toBe(413);
    expect((await infer("%E0%A4%A", { instances: rows })).status).toBe(400);
    expect((await fetch(`${serving.url}/v2/models/eta/infer`, { headers: { authorization: `Bearer ${secrets.viewer}` } })).status).toBe(405);
  });

  it("lets project, organisation and predict tokens in; another tenant gets 404, no or a bad token 401", async () => {
    const d = await db().deployment.findFirstOrThrow({ where: { projectId, name: "eta" } });
    for (const secret of [secrets.viewer, secrets.org, await predictToken(null), await predictToken(d.id)]) expect((await infer("eta", { instances: rows.slice(0, 1) }, { secret })).status).toBe(200);
    for (const secret of [secrets.stranger, secrets.otherProject, await predictToken("another-deployment")]) {
      const res = await infer("eta", { instances: rows.slice(0, 1) }, { secret });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: 'No deployment named "eta"' });
      expect((await fetch(`${serving.url}/v2/models/eta`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(404);
    }
    expect((await infer("eta", { instances: rows }, { secret: null })).status).toBe(401);
    expect((await infer("eta", { instances: rows }, { secret: "cairn_not-a-token" })).status).toBe(401);
    expect((await infer("eta", { instances: rows }, { secret: null, headers: { authorization: "Basic abc" } })).status).toBe(401);
  });

  it("stops taking a revoked token once its cached check expires", async () => {
    const quick = await startServingServer({ port: 0, host: "127.0.0.1", pollMs: 60_000, tokenCacheMs: 300, log: () => undefined });
    try {
      const secret = await predictToken(null);
      const call = () => fetch(`${quick.url}/v2/models/eta/infer`, { method: "POST", body: JSON.stringify({ instances: rows.slice(0, 1) }), headers: { authorization: `Bearer ${secret}` } }).then((r) => r.status);
      expect(await call()).toBe(200);
      await db().apiToken.updateMany({ where: { secretHash: hashToken(secret) }, data: { revokedAt: new Date() } });
      const revokedAt = Date.now();
      await until(async () => (await call()) === 401, 2000);
      expect(Date.now() - revokedAt).toBeLessThan(1500);
    } finally {
      await quick.close();
    }
  });

  it("splits canary traffic by share and keeps A/B assignment sticky by request key", async () => {
    await deploy("canary", { stableVersionId: v[0]!.id, candidateVersionId: v[1]!.id, candidatePercent: 30, strategy: "canary" });
    let candidate = 0;
    for (let i = 0; i < 300; i++) if ((await predictions("canary", { instances: rows.slice(0, 1) })).version === "eta:2") candidate++;
    // Binomial(300, 0.3): mean 90, sd ≈ 7.9; ±4 sd.
    expect(candidate).toBeGreaterThan(58);
    expect(candidate).toBeLessThan(122);

    const ab = await deploy("ab", { stableVersionId: v[0]!.id, candidateVersionId: v[1]!.id, candidatePercent: 50, strategy: "ab" });
    let b = 0;
    for (let k = 0; k < 100; k++) {
      const key = `customer-${k}`;
      const seen = new Set<string | null>();
      for (let j = 0; j < 3; j++) seen.add((await predictions("ab", { instances: rows.slice(0, 1) }, { headers: { "x-cairn-key": key } })).version);
      expect(seen.size).toBe(1);
      // The same function decides in every process: assignment depends on the deployment and key only.
      expect([...seen][0]).toBe(keyBucket(ab.id, key) < 50 ? "eta:2" : "eta:1");
      if (seen.has("eta:2")) b++;
    }
    expect(b).toBeGreaterThan(30);
    expect(b).toBeLessThan(70);
  });

  it("answers shadow traffic with the stable version and scores the candidate off the response path", async () => {
    await deploy("shadow", { stableVersionId: v[0]!.id, candidateVersionId: v[1]!.id, candidatePercent: 0, strategy: "shadow" });
    const stable = (await predictions("eta")).body.predictions;
    for (let i = 0; i < 5; i++) {
      const r = await predictions("shadow");
      expect(r.version).toBe("eta:1");
      expect(r.body.predictions).toEqual(stable);
    }
    await until(async () => /cairn_serve_shadow_scored_total\{deployment="shadow",version="eta:2"\} 5/.test(await (await fetch(`${serving.url}/metrics`)).text()));
    const metrics = await (await fetch(`${serving.url}/metrics`)).text();
    expect(metrics).toMatch(/cairn_serve_requests_total\{deployment="shadow",version="eta:1",status="200"\} 5/);
    expect(metrics).toMatch(/cairn_serve_latency_seconds_count\{deployment="shadow",version="eta:1"\} 5/);
    expect(metrics).toMatch(/cairn_serve_errors_total\{deployment="eta",version="eta:1",status="400"\} \d+/);
  });

  it("logs every answered request and every shadow scoring in the prediction log, off the response path", async () => {
    const d = await deploy("logged", { stableVersionId: v[0]!.id, candidateVersionId: v[1]!.id, candidatePercent: 0, strategy: "shadow" });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await predictions("logged", { instances: rows.slice(0, 2) }, { headers: { "x-request-id": `req-logged-${i}` } }));
    const shadowV2 = await fetch(`${serving.url}/v2/models/logged/infer`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${secrets.viewer}` },
      body: JSON.stringify({ instances: rows.slice(0, 1) }),
    });
    expect(shadowV2.status).toBe(200);
    const read = () => db().predictionLog.findMany({ where: { deploymentId: d.id }, orderBy: { id: "asc" } });
    await until(async () => (await read()).length === 8);
    const logged = await read();
    for (const [i, a] of answers.entries()) {
      const primary = logged.find((r) => r.requestId === `req-logged-${i}` && r.role === "primary")!;
      expect(primary).toMatchObject({ projectId, versionId: v[0]!.id });
      expect(primary.outputs).toEqual(a.body.predictions);
      expect(primary.inputs).toEqual(rows.slice(0, 2));
      expect(primary.latencyMs).toBeGreaterThan(0);
      const shadow = logged.find((r) => r.requestId === `req-logged-${i}` && r.role === "shadow")!;
      expect(shadow.versionId).toBe(v[1]!.id);
      expect((shadow.outputs as number[]).length).toBe(2);
    }
    expect(logged.filter((r) => r.requestId === shadowV2.headers.get("x-request-id")).map((r) => r.role).sort()).toEqual(["primary", "shadow"]);
    expect(await (await fetch(`${serving.url}/metrics`)).text()).toMatch(/cairn_serve_prediction_log\{outcome="written"\} \d+/);
  });

  it("swaps versions under load with no failed request once the row changes and pg_notify announces it", async () => {
    const d = await deploy("swap", { stableVersionId: v[0]!.id });
    // Only this deployment serves version 1 now, so the swap also retires (releases) its session.
    await db().deployment.deleteMany({ where: { projectId, name: { not: "swap" } } });
    await pool().query("SELECT pg_notify($1, $2)", [DEPLOYMENTS_CHANNEL, d.id]);
    await until(async () => (await ready("eta")) === 404);
    const seen: string[] = [];
    let failures = 0;
    let stop = false;
    const loops = Array.from({ length: 4 }, async () => {
      while (!stop) {
        const res = await infer("swap", { instances: rows.slice(0, 5) });
        if (res.status !== 200) failures++;
        seen.push(res.headers.get("x-cairn-model-version") ?? "none");
        await res.arrayBuffer();
      }
    });
    await until(async () => seen.length > 40);
    await db().deployment.update({ where: { id: d.id }, data: { stableVersionId: v[1]!.id, generation: { increment: 1 } } });
    await pool().query("SELECT pg_notify($1, $2)", [DEPLOYMENTS_CHANNEL, d.id]);
    await until(async () => seen.at(-1) === "eta:2");
    const at = seen.length;
    await until(async () => seen.length > at + 40);
    stop = true;
    await Promise.all(loops);
    expect(failures).toBe(0);
    expect(seen.slice(at + 4)).toEqual(seen.slice(at + 4).map(() => "eta:2"));
    expect(seen.filter((x) => x === "eta:1").length).toBeGreaterThan(30);
  });

  it("finds changes by polling generations when no notification comes", async () => {
    const polling = await startServingServer({ port: 0, host: "127.0.0.1", pollMs: 200, log: () => undefined });
    try {
      const d = await deploy("poll", { stableVersionId: v[0]!.id });
      const version = async () => (await fetch(`${polling.url}/v2/models/poll/infer`, { method: "POST", body: JSON.stringify({ instances: rows.slice(0, 1) }), headers: { authorization: `Bearer ${secrets.viewer}` } })).headers.get("x-cairn-model-version");
      // deploy() waited for the shared server; this one hears the NOTIFY (or polls) on its own time.
      await until(async () => (await version()) === "eta:1", 5000);
      await db().deployment.update({ where: { id: d.id }, data: { stableVersionId: v[1]!.id, generation: { increment: 1 } } });
      await until(async () => (await version()) === "eta:2", 5000);
    } finally {
      await polling.close();
    }
  });
});
