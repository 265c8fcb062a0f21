/**
 * Shadow and A/B reports over a large prediction log: N requests answered by the stable version and
 * scored by a shadow candidate, and N requests split 50/50 between two versions with a label each,
 * written through PredictionLogger (binary COPY) and recordFeedback; then the time of each report.
 * Usage: npx tsx bench/analysis.ts [--requests 100000]
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { timed } from "./lib";
import { benchDatabase } from "./server";

const { values } = parseArgs({ options: { requests: { type: "string", default: "100000" } } });
const n = Number(values.requests);

const env = await benchDatabase("analysis");
const { db, pool } = await import("../server/db");
const { PredictionLogger } = await import("../server/predictions/log");
const { recordFeedback } = await import("../server/predictions/feedback");
const { servingWorld, labelledRows } = await import("../server/testing/serving-world");
const { shadowReport } = await import("../server/deployments/shadow");
const { abReport } = await import("../server/deployments/ab");
const { createScorer } = await import("../server/evaluation/score");
const { readArtifactBytes } = await import("../server/evaluation/encoding");
const { parseEncodingSpec } = await import("../server/ml/features");

const w = await servingWorld();
await w.serving.close();
const deployment = (name: string, strategy: string) =>
  db().deployment.create({ data: { projectId: w.project.id, environmentId: w.environmentId, name, modelId: w.modelId, createdById: w.owner.userId, stableVersionId: w.versions.strong, candidateVersionId: w.versions.weak, strategy, candidatePercent: strategy === "ab" ? 50 : 0 } });
const shadowDep = await deployment("shadowed", "shadow");
const abDep = await deployment("ab", "ab");

// Real predictions of both versions for a pool of distinct rows, reused across requests.
const rows = labelledRows(2000, 99);
async function predictions(versionId: string) {
  const v = await db().modelVersion.findUniqueOrThrow({ where: { id: versionId } });
  const scorer = await createScorer(await readArtifactBytes(v.sha256), { spec: parseEncodingSpec(v.encoding) });
  const out = Array.from(await scorer.score(rows.map((r) => r.row)));
  await scorer.release();
  return out;
}
const strong = await predictions(w.versions.strong);
const weak = await predictions(w.versions.weak);

const logger = new PredictionLogger({ pool: pool(), capacity: 4 * n, batchSize: 5000, maxCopyRows: 5000 });
const base = { projectId: w.project.id, latencyMs: 1 };
const written = await timed(async () => {
  for (let i = 0; i < n; i++) {
    const k = i % rows.length;
    const inputs = [rows[k]!.row];
    logger.log({ ...base, deploymentId: shadowDep.id, versionId: w.versions.strong, requestId: `s-${i}`, role: "primary", inputs, outputs: [strong[k]] });
    logger.log({ ...base, deploymentId: shadowDep.id, versionId: w.versions.weak, requestId: `s-${i}`, role: "shadow", inputs, outputs: [weak[k]] });
    const candidate = i % 2 === 1;
    logger.log({ ...base, deploymentId: abDep.id, versionId: candidate ? w.versions.weak : w.versions.strong, requestId: `a-${i}`, role: "primary", inputs, outputs: [candidate ? weak[k] : strong[k]] });
  }
  await logger.close();
  for (let i = 0; i < n; i += 1000) {
    const items = Array.from({ length: Math.min(1000, n - i) }, (_, j) => ({ requestId: `a-${i + j}`, labels: [rows[(i + j) % rows.length]!.minutes] }));
    await recordFeedback({ projectId: w.project.id, deploymentId: abDep.id, items });
  }
});
await pool().query(`ANALYZE "PredictionLog"; ANALYZE "PredictionFeedback"`);
console.log(`${os.cpus().length} CPUs; wrote ${3 * n} log entries and ${n} labels in ${(written.ms / 1000).toFixed(1)} s`);

const ref = { projectId: w.project.id };
const shadowSummary = (r: Awaited<ReturnType<typeof shadowReport>>) => `${r.pairs} pairs, agreement ${r.agreementRate?.toFixed(3)}`;
const cases: [string, () => Promise<string>][] = [
  ["shadow, default segments (categorical)", async () => shadowSummary(await shadowReport({ ...ref, deploymentId: shadowDep.id }))],
  ["shadow, numeric segments (quartiles)", async () => shadowSummary(await shadowReport({ ...ref, deploymentId: shadowDep.id, segmentBy: "distance_km" }))],
  ["A/B, mae", async () => ((r) => `${r.arms.map((a) => a.labelled).join(" + ")} labelled rows, verdict ${r.verdict}`)(await abReport({ ...ref, deploymentId: abDep.id, alpha: 0.05 }))],
];
for (const [what, run] of cases) {
  await run(); // warm: plans, caches
  const { ms, value } = await timed(run);
  console.log(`${what}: ${ms.toFixed(0)} ms (${value})`);
}
// Registering the versions started pg-boss (their events); stop it before the database goes.
await (await import("../server/jobs/boss")).stopBoss({ graceful: false });
await env.close();
