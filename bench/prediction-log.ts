/**
 * Prediction log: entries/s through PredictionLogger (log() on the request path, binary COPY
 * batches behind it) against plain multi-row parameterised INSERTs of the same rows into the same
 * table in the same run. Also the cost of one log() call. Usage: npx tsx bench/prediction-log.ts [-- --entries 200000]
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { benchDatabase } from "./server";
import { rng, timed } from "./lib";

const { values } = parseArgs({ options: { entries: { type: "string", default: "200000" }, insertBatch: { type: "string", default: "500" } } });
const n = Number(values.entries);
const insertBatch = Number(values.insertBatch);

const env = await benchDatabase("prediction-log");
const { pool } = await import("../server/db");
const { PredictionLogger } = await import("../server/predictions/log");

// One row per request with the seeded GBDT's kind of inputs: a dozen numeric and categorical features.
const random = rng(11);
const entries = Array.from({ length: n }, (_, i) => ({
  projectId: "proj_bench",
  deploymentId: "dep_bench",
  versionId: i % 10 === 0 ? "ver_candidate" : "ver_stable",
  requestId: `req-${i.toString(36)}-${Math.floor(random() * 1e9).toString(36)}`,
  role: "primary" as const,
  inputs: [{ distance_km: random() * 30, hour: i % 24, weekday: i % 7, city: ["Berlin", "Zürich", "Lyon"][i % 3], items: Math.floor(random() * 9), rain: random() < 0.2, traffic: random(), courier_rating: 3 + random() * 2, prep_min: random() * 25, tip: random() * 5 }],
  outputs: [random() * 60],
  latencyMs: random() * 2,
}));
const count = async () => Number((await pool().query<{ n: string }>(`SELECT count(*) AS n FROM "PredictionLog"`)).rows[0]!.n);

// Warm-up of both paths (connections, plans, JIT of the encoder).
const warm = new PredictionLogger({ pool: pool(), capacity: n });
for (const e of entries.slice(0, 2000)) warm.log(e);
await warm.close();
await pool().query(`TRUNCATE "PredictionLog"`);

const logger = new PredictionLogger({ pool: pool(), capacity: n, batchSize: 5000, maxCopyRows: 5000 });
let logMs = 0;
const viaLogger = await timed(async () => {
  const t0 = performance.now();
  for (const e of entries) logger.log(e);
  logMs = performance.now() - t0;
  await logger.close();
});
if ((await count()) !== n || logger.dropped !== 0) throw new Error(`logger wrote ${await count()} of ${n} (dropped ${logger.dropped})`);
await pool().query(`TRUNCATE "PredictionLog"`);

const viaInsert = await timed(async () => {
  const client = await pool().connect();
  try {
    for (let start = 0; start < n; start += insertBatch) {
      const chunk = entries.slice(start, start + insertBatch);
      const params: unknown[] = [];
      const rows = chunk.map((e, j) => {
        params.push(e.projectId, e.deploymentId, e.versionId, e.requestId, e.role, JSON.stringify(e.inputs), JSON.stringify(e.outputs), e.latencyMs, new Date());
        const b = j * 9;
        return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}::jsonb, $${b + 7}::jsonb, $${b + 8}, $${b + 9})`;
      });
      await client.query(`INSERT INTO "PredictionLog" ("projectId", "deploymentId", "versionId", "requestId", role, inputs, outputs, "latencyMs", "createdAt") VALUES ${rows.join(", ")}`, params);
    }
  } finally {
    client.release();
  }
});
if ((await count()) !== n) throw new Error("INSERT baseline wrote a different number of rows");

const rate = (ms: number) => Math.round(n / (ms / 1000));
console.log(`machine      : ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}`);
console.log(`log() call   : ${((logMs * 1000) / n).toFixed(2)} µs each (${n.toLocaleString("en")} calls, request path)`);
console.log(`logger (COPY): ${n.toLocaleString("en")} entries in ${(viaLogger.ms / 1000).toFixed(2)} s = ${rate(viaLogger.ms).toLocaleString("en")} entries/s (log + binary COPY, 5,000-row batches)`);
console.log(`plain INSERT : ${n.toLocaleString("en")} rows in ${(viaInsert.ms / 1000).toFixed(2)} s = ${rate(viaInsert.ms).toLocaleString("en")} rows/s (${insertBatch}-row parameterised INSERTs, baseline)`);
console.log(`ratio        : logger / INSERT = ${(viaInsert.ms / viaLogger.ms).toFixed(2)}×`);
await env.close();
process.exit(0);
