/**
 * Compare query: 50 runs × 3 metrics × 100,000 steps stored; run.compare returning 1,000 points
 * per series (150 series), timed over repeated calls (p50, p95), against a plain SQL scan of the
 * same series in the same run. Usage: npm run bench:compare [-- --runs 50 --steps 100000]
 */
import { parseArgs } from "node:util";
import { to as copyTo } from "pg-copy-streams";
import { benchDatabase } from "./server";
import { timed } from "./lib";

const { values } = parseArgs({ options: { runs: { type: "string", default: "50" }, steps: { type: "string", default: "100000" }, repeat: { type: "string", default: "15" } } });
const nRuns = Number(values.runs);
const steps = Number(values.steps);
const env = await benchDatabase("compare");
const { createUser, createTestProject } = await import("../server/testing/factories");
const { createRun } = await import("../server/runs/runs");
const { logMetrics } = await import("../server/runs/ingest");
const { compareRuns } = await import("../server/runs/compare");
const { clearSeriesCache } = await import("../server/runs/series");
const { pool } = await import("../server/db");
const owner = await createUser("bench");
const project = await createTestProject(owner.orgId, owner, "bench");
const actor = { type: "user" as const, id: owner.userId, label: owner.email };

console.log(`loading ${nRuns} runs × 3 metrics × ${steps.toLocaleString("en")} steps (${(nRuns * 3 * steps).toLocaleString("en")} points)…`);
const load = await timed(async () => {
  const ids: string[] = [];
  for (let r = 0; r < nRuns; r++) {
    const run = await createRun({ projectId: project.id, orgId: owner.orgId, experiment: "bench", status: "RUNNING", params: { lr: 0.1 / (r + 1) }, actor });
    ids.push(run.id);
    for (let start = 0; start < steps; start += 3334) {
      const points = [];
      for (let s = start; s < Math.min(steps, start + 3334); s++) {
        points.push({ key: "loss", step: s, value: Math.exp(-s / 20000) + Math.sin(s / 50) * 0.01 }, { key: "acc", step: s, value: 1 - Math.exp(-s / 20000) }, { key: "lr", step: s, value: 0.1 * 0.999 ** (s / 100) });
      }
      await logMetrics({ projectId: project.id, runId: run.id, points });
    }
  }
  return ids;
});
const runIds = load.value;
console.log(`loaded in ${(load.ms / 1000).toFixed(0)} s`);
await pool().query("VACUUM ANALYZE");

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const compareTimes: number[] = [];
const warmTimes: number[] = [];
let points = 0;
for (let i = 0; i < Number(values.repeat); i++) {
  clearSeriesCache();
  const t = await timed(() => compareRuns({ projectId: project.id, runIds, points: 1000 }));
  compareTimes.push(t.ms);
  points = t.value.series.reduce((n, s) => n + s.points.length, 0);
  warmTimes.push((await timed(() => compareRuns({ projectId: project.id, runIds, points: 1000 }))).ms);
}
const p50 = quantile(compareTimes, 0.5);
console.log(`compare    : p50 ${p50.toFixed(0)} ms, p95 ${quantile(compareTimes, 0.95).toFixed(0)} ms for ${nRuns * 3} series, ${points.toLocaleString("en")} points returned, cold cache (target p50 < 300 ms)`);
console.log(`  again    : p50 ${quantile(warmTimes, 0.5).toFixed(0)} ms, p95 ${quantile(warmTimes, 0.95).toFixed(0)} ms with the decoded rollups cached (the same series viewed again)`);
// Baseline: every point of the same series streamed out of Postgres (COPY TO STDOUT), counted and dropped,
// since holding 15 million rows as JS objects would not fit in memory.
const scanTimes: number[] = [];
let scannedBytes = 0;
for (let i = 0; i < 3; i++) {
  const t = await timed(async () => {
    const client = await pool().connect();
    try {
      const ids = runIds.map((id) => `'${id.replace(/'/g, "''")}'`).join(",");
      const stream = client.query(copyTo(`COPY (SELECT p."seriesId", p.step, p.value, p.ts FROM "MetricPoint" p JOIN "MetricSeries" s ON s.id = p."seriesId" WHERE s."runId" IN (${ids}) ORDER BY p."seriesId", p.step) TO STDOUT`));
      let bytes = 0;
      for await (const chunk of stream) bytes += (chunk as Buffer).length;
      scannedBytes = bytes;
    } finally {
      client.release();
    }
  });
  scanTimes.push(t.ms);
}
console.log(`plain scan : p50 ${quantile(scanTimes, 0.5).toFixed(0)} ms streaming all ${(nRuns * 3 * steps).toLocaleString("en")} rows (${(scannedBytes / 1024 / 1024).toFixed(0)} MiB) of the same series (baseline)`);
console.log(`ratio      : compare / scan = ${(p50 / quantile(scanTimes, 0.5)).toFixed(3)}`);
await env.close();
process.exit(0);
