/**
 * Metric ingest: sustained points/s through run.logMetrics over HTTP with 4 concurrent writers
 * (10,000-point batches, the real web process), against raw COPY of the same rows into the same
 * table in the same run. Usage: npm run bench:ingest [-- --points 2000000 --writers 4]
 */
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import os from "node:os";
import { parseArgs } from "node:util";
import { from as copyFrom } from "pg-copy-streams";
import { benchDatabase } from "./server";
import { timed } from "./lib";

const { values } = parseArgs({ options: { points: { type: "string", default: "2000000" }, writers: { type: "string", default: "4" }, batch: { type: "string", default: "10000" } } });
const total = Number(values.points);
const writers = Number(values.writers);
const batchSize = Number(values.batch);

const env = await benchDatabase("ingest");
const { createUser, createTestProject, mintToken } = await import("../server/testing/factories");
const { createRun } = await import("../server/runs/runs");
const { pool } = await import("../server/db");
const owner = await createUser("bench");
const project = await createTestProject(owner.orgId, owner, "bench");
const { secret } = await mintToken(owner, { role: "ADMIN" });
const actor = { type: "user" as const, id: owner.userId, label: owner.email };
const web = await env.startWeb();

const runs = await Promise.all(Array.from({ length: writers }, (_, w) => createRun({ projectId: project.id, orgId: owner.orgId, experiment: "bench", name: `writer-${w}`, status: "RUNNING", actor })));
const perWriter = Math.floor(total / writers / batchSize) * batchSize;
const keys = ["loss", "accuracy", "lr", "grad_norm"];

function batchBody(runId: string, batchIndex: number) {
  const points = [];
  const t0 = Date.now();
  for (let i = 0; i < batchSize; i++) {
    const step = batchIndex * (batchSize / keys.length) + Math.floor(i / keys.length);
    points.push({ key: keys[i % keys.length]!, step, value: Math.sin(step / 100) + i * 1e-6, timestamp: t0 + i });
  }
  return JSON.stringify({ json: { projectId: project.id, runId, batchId: `${runId}-${batchIndex}`, points } });
}

// Warm-up: the first request compiles routes and fills caches.
await fetch(`${web.base}/api/trpc/run.logMetrics`, { method: "POST", headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" }, body: batchBody(runs[0]!.id, 10_000) });

const http = await timed(() =>
  Promise.all(
    runs.map(async (run) => {
      for (let b = 0; b < perWriter / batchSize; b++) {
        const res = await fetch(`${web.base}/api/trpc/run.logMetrics`, {
          method: "POST",
          headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
          body: batchBody(run.id, b),
        });
        if (!res.ok) throw new Error(`logMetrics ${res.status}: ${await res.text()}`);
      }
    }),
  ),
);
const httpPoints = perWriter * writers;

// Baseline: the same number of rows, COPYed by 4 concurrent connections into the same table.
const copyRuns = await Promise.all(Array.from({ length: writers }, (_, w) => createRun({ projectId: project.id, orgId: owner.orgId, experiment: "bench", name: `copy-${w}`, status: "RUNNING", actor })));
const seriesIds = await Promise.all(
  copyRuns.map(async (r) => (await pool().query<{ id: number }>(`INSERT INTO "MetricSeries" ("runId", key) VALUES ($1, 'loss') RETURNING id`, [r.id])).rows[0]!.id),
);
const copy = await timed(() =>
  Promise.all(
    seriesIds.map(async (sid) => {
      const client = await pool().connect();
      try {
        const ts = new Date().toISOString().replace("T", " ").replace("Z", "");
        function* rows() {
          let chunk = "";
          for (let i = 0; i < perWriter; i++) {
            chunk += `${sid}\t${i}\t${Math.sin(i / 100)}\t${ts}\n`;
            if (chunk.length > 1 << 16) {
              yield chunk;
              chunk = "";
            }
          }
          yield chunk;
        }
        await pipeline(Readable.from(rows()), client.query(copyFrom(`COPY "MetricPoint" ("seriesId", step, value, ts) FROM STDIN`)));
      } finally {
        client.release();
      }
    }),
  ),
);

const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));
const httpRate = rate(httpPoints, http.ms);
const copyRate = rate(httpPoints, copy.ms);
console.log(`machine    : ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}`);
console.log(`HTTP ingest: ${httpPoints.toLocaleString("en")} points in ${(http.ms / 1000).toFixed(2)} s = ${httpRate.toLocaleString("en")} points/s (${writers} writers, ${batchSize}-point batches)`);
console.log(`raw COPY   : ${httpPoints.toLocaleString("en")} rows in ${(copy.ms / 1000).toFixed(2)} s = ${copyRate.toLocaleString("en")} rows/s (baseline, ${writers} connections)`);
console.log(`ratio      : ingest / COPY = ${((httpRate / copyRate) * 100).toFixed(0)}% (targets: ≥ 50% and ≥ 200,000 points/s)`);
console.log(`web memory : peak RSS ${(await env.peakRss(web.pid)) / 1024 / 1024 | 0} MiB`);
await env.close();
process.exit(0);
