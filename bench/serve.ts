/**
 * Serving benchmark (`npm run bench:serve`): one-row requests to a GBDT on synthetic deliveries.
 *   L0  ONNX Runtime `session.run` in a loop (one row, feeds built once): the ceiling.
 *   L1  a bare node:http server (child process) around the same session, scoring through the encoder.
 *   L2  Cairn's serving process (scripts/serve.ts, child process): auth, routing, checks, metrics,
 *       dynamic batching (server/serving/batcher.ts) and the prediction log ON (logSampleRate 1, every
 *       request written by binary COPY).
 * Also L2 with logging off (logSampleRate 0) for the cost of logging, a shadow deployment (a second
 * GBDT mirrored, logged too) for the cost of shadow mode, and a second serving process with batching
 * off (CAIRN_SERVE_MAX_BATCH_ROWS=1), so the gain of batching shows apart from the rest of L2.
 * autocannon drives L1 and L2 at full speed from this process; the latency at 500 req/s is an
 * open-loop load at that constant rate (paced.ts) from a process of its own; every ratio is measured
 * in the same run.
 *
 * Maximum throughput is taken with 50 connections: a closed loop of 10 (each connection waits for its
 * answer) keeps too few requests in flight to load a server that scores waiting requests together,
 * and L1 answers as fast with 10 as with 50 (four runs each on this machine: 11.6–14.5k against
 * 13.3–14.7k req/s).
 */
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import path from "node:path";
import autocannon from "autocannon";
import { ROOT } from "../scripts/lib/paths";
import { freePort } from "../scripts/lib/embedded-postgres";
import type { PacedResult } from "./paced";

const DURATION = Number(process.env.SERVE_BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.SERVE_BENCH_CONNECTIONS ?? 50);

/** L1: the bare server, run as `tsx bench/serve.ts --l1` with the model and spec in env. */
async function bareServer() {
  const { readFile } = await import("node:fs/promises");
  const { createScorer } = await import("../server/evaluation/score");
  const { parseEncodingSpec } = await import("../server/ml/features");
  const scorer = await createScorer(await readFile(process.env.BENCH_MODEL!), { spec: parseEncodingSpec(process.env.BENCH_SPEC!), threads: 1 });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { instances: Record<string, string>[] };
      void scorer.score(body.instances).then((p) => {
        const text = JSON.stringify({ predictions: Array.from(p) });
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
        res.end(text);
      });
    });
  });
  server.listen(Number(process.env.BENCH_PORT), "127.0.0.1", () => console.log("listening"));
}

/** SERVE_BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each child process there (open it in Chrome DevTools). */
const PROF = process.env.SERVE_BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.SERVE_BENCH_CPU_PROF}`] : [];

function child(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [...PROF, "--import", "tsx", ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
}

async function waitFor(url: string, init: RequestInit = {}) {
  for (let i = 0; i < 600; i++) {
    if (await fetch(url, init).then((r) => r.status === 200, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer 200`);
}

/** The open-loop load at a constant rate (paced.ts), sent from a process of its own so this one's heap cannot stall it. */
async function paced(url: string, body: string, headers: Record<string, string>, rate: number, seconds: number): Promise<PacedResult> {
  const sender = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "bench", "paced.ts")], {
    cwd: ROOT,
    env: { ...process.env, PACED_URL: url, PACED_BODY: body, PACED_HEADERS: JSON.stringify(headers), PACED_RATE: String(rate), PACED_SECONDS: String(seconds) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  sender.stdout.on("data", (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => sender.on("exit", resolve));
  if (code !== 0) throw new Error(`the paced sender exited with ${code}`);
  return JSON.parse(out.trim().split("\n").at(-1)!) as PacedResult;
}

/** Maximum throughput: autocannon, closed loop (each connection sends its next request when answered). */
async function load(url: string, body: string, headers: Record<string, string>) {
  const result = await autocannon({ url, method: "POST", body, headers: { "content-type": "application/json", ...headers }, connections: CONNECTIONS, duration: DURATION });
  const failed = result.non2xx + result.errors + result.timeouts;
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, failed, total: result.requests.total };
}

async function main() {
  const { benchDatabase } = await import("./server");
  const bench = await benchDatabase("serve");
  const children: ChildProcess[] = [];
  try {
    const { writeFile } = await import("node:fs/promises");
    const ort = await import("onnxruntime-node");
    const { db } = await import("../server/db");
    const { encodeTrainingData, ENCODING_METADATA_KEY, fitEncodingSpec } = await import("../server/ml/features");
    const { gbdt } = await import("../server/ml/trainers");
    const { DELIVERY_COLUMNS, deliveryRows } = await import("../server/ml/synthetic/deliveries");
    const { registerExternal } = await import("../server/registry/register");
    const { createTestProject, createUser, mintToken } = await import("../server/testing/factories");
    // L0, L1 and L2 build their sessions alike: one thread, as the serving process does (CAIRN_SERVE_ORT_THREADS).
    const { modelIo, scoringFeeds, sessionOptions } = await import("../server/evaluation/score");

    const records = deliveryRows(5000, 1).map((cells) => Object.fromEntries(DELIVERY_COLUMNS.map((c, i) => [c, cells[i]!])));
    const spec = fitEncodingSpec(records, { features: DELIVERY_COLUMNS.filter((c) => c !== "delivery_id" && c !== "minutes"), target: { name: "minutes", task: "regression" } });
    const trained = (rounds: number) => gbdt(encodeTrainingData(spec, records), { task: "regression", rounds, maxDepth: 5 }).model.toOnnx({ [ENCODING_METADATA_KEY]: JSON.stringify(spec) });
    const bytes = trained(100);
    const row = Object.fromEntries(spec.features.map((f) => [f.name, records[0]![f.name]!]));
    const body = JSON.stringify({ instances: [row] });

    // L0
    const session = await ort.InferenceSession.create(bytes, sessionOptions(1));
    const feeds = Object.fromEntries(Object.entries(scoringFeeds(spec, modelIo(session).inputs, [row])).map(([k, f]) => [k, new ort.Tensor(f.type, f.data, f.dims)]));
    for (let i = 0; i < 2000; i++) await session.run(feeds);
    const runs = 20_000;
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) await session.run(feeds);
    const l0 = runs / ((performance.now() - t0) / 1000);
    await session.release();

    // Deployments: eta (direct) and eta-shadow (the same stable version, a second GBDT mirrored).
    const owner = await createUser();
    const project = await createTestProject(owner.orgId, owner);
    const actor = { type: "user" as const, id: owner.userId, label: owner.email };
    const reg = async (b: Uint8Array) => (await registerExternal({ projectId: project.id, orgId: owner.orgId, actor, modelName: "eta", body: (async function* () { yield b; })() })).version;
    const stable = await reg(bytes);
    const candidate = await reg(trained(60));
    const env = await db().environment.create({ data: { projectId: project.id, name: "production" } });
    const base = { projectId: project.id, environmentId: env.id, modelId: stable.modelId, createdById: owner.userId, stableVersionId: stable.id };
    const logged = await db().deployment.create({ data: { ...base, name: "eta", logSampleRate: 1 } });
    await db().deployment.create({ data: { ...base, name: "eta-nolog", logSampleRate: 0 } });
    await db().deployment.create({ data: { ...base, name: "eta-shadow", strategy: "shadow", candidateVersionId: candidate.id, logSampleRate: 1 } });
    const token = (await mintToken(owner, { role: "VIEWER", projectId: project.id })).secret;
    const auth = { authorization: `Bearer ${token}` };

    const modelFile = path.join(bench.dir, "model.onnx");
    await writeFile(modelFile, bytes);
    const l1Port = await freePort();
    const l2Port = await freePort();
    const unbatchedPort = await freePort();
    children.push(child([path.join(ROOT, "bench", "serve.ts"), "--l1"], { BENCH_MODEL: modelFile, BENCH_SPEC: JSON.stringify(spec), BENCH_PORT: String(l1Port) }));
    children.push(child([path.join(ROOT, "scripts", "serve.ts")], { CAIRN_SERVE_PORT: String(l2Port), CAIRN_SERVE_HOST: "127.0.0.1" }));
    children.push(child([path.join(ROOT, "scripts", "serve.ts")], { CAIRN_SERVE_PORT: String(unbatchedPort), CAIRN_SERVE_HOST: "127.0.0.1", CAIRN_SERVE_MAX_BATCH_ROWS: "1" }));
    const l1Url = `http://127.0.0.1:${l1Port}/`;
    const l2 = (name: string, port = l2Port) => `http://127.0.0.1:${port}/v2/models/${name}/infer`;
    await waitFor(l1Url, { method: "POST", body });
    await waitFor(l2("eta"), { method: "POST", body, headers: auth });
    await waitFor(l2("eta-nolog"), { method: "POST", body, headers: auth });
    await waitFor(l2("eta-shadow"), { method: "POST", body, headers: auth });
    await waitFor(l2("eta", unbatchedPort), { method: "POST", body, headers: auth });

    // Each load starts once the prediction log has written what the previous one left (pending 0), so
    // one load's backlog is not charged to the next.
    const settle = async (port = l2Port) => {
      for (let i = 0; i < 300; i++) {
        const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        if (/cairn_serve_prediction_log\{outcome="pending"\} 0\b/.test(text)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 1000));
    };
    // Latency at a steady 500 req/s first, on a settled database: the maximum-throughput loads below
    // leave PostgreSQL with checkpoint and autovacuum work that would otherwise be charged to it.
    // A 3 s warm-up of each server at the same rate first (each had answered one request so far): the
    // measured loads then see code that is compiled and connections that are open, as in service.
    await paced(l2("eta"), body, auth, 500, 3);
    await paced(l1Url, body, {}, 500, 3);
    await settle();
    await db().$executeRawUnsafe("CHECKPOINT");
    const at500 = await paced(l2("eta"), body, auth, 500, DURATION);
    await settle();
    const at500NoLog = await paced(l2("eta-nolog"), body, auth, 500, DURATION);
    await settle();
    const at500L1 = await paced(l1Url, body, {}, 500, DURATION);
    const L1 = await load(l1Url, body, {});
    await settle();
    const L2 = await load(l2("eta"), body, auth);
    await settle();
    const noLog = await load(l2("eta-nolog"), body, auth);
    await settle();
    const shadow = await load(l2("eta-shadow"), body, auth);
    await settle();
    const unbatched = await load(l2("eta", unbatchedPort), body, auth);
    await settle(unbatchedPort);
    // Proof that L2 logged: rows in the table (the writer flushes in the background) and the process's own counts.
    await new Promise((r) => setTimeout(r, 2000));
    const loggedRows = await db().predictionLog.count({ where: { deploymentId: logged.id } });
    const metricsText = await (await fetch(`http://127.0.0.1:${l2Port}/metrics`)).text();
    const logMetrics = metricsText.split("\n").filter((l) => l.startsWith("cairn_serve_prediction_log{") || l.startsWith("cairn_serve_shadow_dropped_total{")).join("; ");
    const metric = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(metricsText)?.[1] ?? NaN);
    const rowsPerRun = metric("cairn_serve_batch_rows_sum") / metric("cairn_serve_batch_rows_count");

    const f = (x: number) => x.toFixed(0);
    console.log(`GBDT 100 rounds depth 5, ${spec.features.length} features, one row per request; ${CONNECTIONS} connections, ${DURATION} s per load`);
    console.log(`L0 ORT session.run loop:      ${f(l0)} runs/s`);
    console.log(`L1 bare node:http + scorer:   ${f(L1.rps)} req/s  p50 ${L1.p50} ms  p99 ${L1.p99} ms  failed ${L1.failed}`);
    console.log(`L2 Cairn serving, log on:     ${f(L2.rps)} req/s  p50 ${L2.p50} ms  p99 ${L2.p99} ms  failed ${L2.failed}`);
    console.log(`L2 Cairn serving, log off:    ${f(noLog.rps)} req/s  p50 ${noLog.p50} ms  p99 ${noLog.p99} ms  failed ${noLog.failed}`);
    console.log(`L2 shadow deployment (log on): ${f(shadow.rps)} req/s  p50 ${shadow.p50} ms  p99 ${shadow.p99} ms  failed ${shadow.failed}`);
    console.log(`L2 batching off, log on:      ${f(unbatched.rps)} req/s  p50 ${unbatched.p50} ms  p99 ${unbatched.p99} ms  failed ${unbatched.failed}  (CAIRN_SERVE_MAX_BATCH_ROWS=1)`);
    console.log(`L2 at 500 req/s, log on:      ${f(at500.rps)} req/s  p50 ${at500.p50} ms  p99 ${at500.p99} ms  failed ${at500.failed}  (target p99 < 5 ms; sender late p99 ${at500.lateP99} ms)`);
    console.log(`L2 at 500 req/s, log off:     ${f(at500NoLog.rps)} req/s  p50 ${at500NoLog.p50} ms  p99 ${at500NoLog.p99} ms  failed ${at500NoLog.failed}`);
    console.log(`L1 at 500 req/s (same pacing, bare server):     ${f(at500L1.rps)} req/s  p50 ${at500L1.p50} ms  p99 ${at500L1.p99} ms  failed ${at500L1.failed}  (sender late p99 ${at500L1.lateP99} ms)`);
    console.log(`ratios: L2/L1 ${(L2.rps / L1.rps).toFixed(2)} (target ≥ 0.70, logging on), L2 log off/L1 ${(noLog.rps / L1.rps).toFixed(2)}, L2 batching off/L1 ${(unbatched.rps / L1.rps).toFixed(2)}, L1/L0 ${(L1.rps / l0).toFixed(2)}`);
    console.log(`batching: ${rowsPerRun.toFixed(2)} rows per ONNX Runtime run on average over every L2 load (cairn_serve_batch_rows)`);
    console.log(`cost of logging: ${(100 * (1 - L2.rps / noLog.rps)).toFixed(1)} % of max throughput; cost of shadow mode: ${(100 * (1 - shadow.rps / L2.rps)).toFixed(1)} % (shadow/L2 ${(shadow.rps / L2.rps).toFixed(2)})`);
    console.log(`prediction log rows of L2 (log on): ${loggedRows} (its loads sent ${L2.total + at500.total + unbatched.total} requests through both serving processes, plus warm-up); ${logMetrics}`);
  } finally {
    for (const c of children) c.kill("SIGTERM");
    const { stopBoss } = await import("../server/jobs/boss");
    await stopBoss({ graceful: false, timeoutMs: 2000 });
    await bench.close();
  }
}

if (process.argv.includes("--l1")) void bareServer();
else
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
