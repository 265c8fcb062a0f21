/**
 * Concept drift and the schedule: predictions served by the real serving process, labels posted through
 * recordFeedback; a window is judged only after the label delay and once enough labels arrived. The
 * drift tick queues a due monitor once per fire time.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, pool } from "../db";
import { getBoss } from "../jobs/boss";
import { driftCompute } from "../jobs/definitions";
import { rmse } from "../ml/metrics";
import { recordFeedback } from "../predictions/feedback";
import { callerAs } from "../testing/factories";
import { deployRow, infer, labelledRows, logged, servingWorld, until, type ServingWorld } from "../testing/serving-world";
import { runDriftJob } from "./drift-job";
import { createDefaultMonitor } from "./monitors";
import { queueDueMonitors } from "./tick";

let w: ServingWorld;
let deploymentId: string;
let monitorId: string;
const REQUESTS = 30;
const ROWS = 4;
const data = labelledRows(REQUESTS * ROWS, 71);
const HOUR = 3600_000;

beforeAll(async () => {
  w = await servingWorld();
  const d = await deployRow(w, "late", { stableVersionId: w.versions.weak });
  deploymentId = d.id;
  await db().$transaction((tx) => createDefaultMonitor(tx, { id: d.id, projectId: w.project.id, name: d.name }));
  const m = await db().monitor.update({ where: { projectId_name: { projectId: w.project.id, name: "late" } }, data: { labelDelaySeconds: 3600, minLabels: 60 } });
  monitorId = m.id;
  for (let i = 0; i < REQUESTS; i++) await infer(w, "late", data.slice(i * ROWS, (i + 1) * ROWS).map((x) => x.row), { "x-request-id": `c-${i}` });
  await logged(deploymentId, REQUESTS);
  await callerAs(w.owner).monitor.createRule({ projectId: w.project.id, name: "late", rule: { name: "rmse", condition: { on: "concept", metric: "rmse", max: 1 } } });
}, 120_000);
afterAll(() => w?.serving.close());

const conceptReports = () => db().monitorReport.findMany({ where: { monitorId, kind: "concept" }, orderBy: { createdAt: "asc" } });
const label = (from: number, to: number) =>
  recordFeedback({ projectId: w.project.id, deploymentId, items: Array.from({ length: to - from }, (_, k) => ({ requestId: `c-${from + k}`, labels: data.slice((from + k) * ROWS, (from + k + 1) * ROWS).map((x) => x.minutes) })) });

describe("concept drift", () => {
  it("a window is insufficient until enough labels arrived after the delay, then judged against the rule", async () => {
    // The hour the traffic was served in is judged by the run two hours later (one hour of label delay).
    const runAt = new Date(Math.floor(Date.now() / HOUR) * HOUR + 2 * HOUR + 60_000);
    await label(0, 10); // 40 labelled rows < minLabels 60
    await runDriftJob({ monitorId, windowEnd: runAt, partial: false });
    const [first] = await conceptReports();
    expect(first).toMatchObject({ verdict: "insufficient", rows: 40 });
    expect(first!.windowStart.getTime()).toBe(Math.floor(Date.now() / HOUR) * HOUR);
    expect(first!.note).toMatch(/40 labelled rows; at least 60 are needed/);
    expect(await db().alertIncident.count({ where: { projectId: w.project.id } })).toBe(0);
    // Without external training data, the data report says why it cannot judge.
    const dataReport = await db().monitorReport.findFirstOrThrow({ where: { monitorId, kind: "data" } });
    expect(dataReport).toMatchObject({ verdict: "insufficient" });
    expect(dataReport.note).toMatch(/no training dataset version/);

    await label(10, REQUESTS);
    await runDriftJob({ monitorId, windowEnd: runAt, partial: false });
    const reports = await conceptReports();
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ verdict: "ok", rows: REQUESTS * ROWS });
    // The weak model's RMSE, recomputed from the served predictions and the labels.
    const logs = await db().predictionLog.findMany({ where: { deploymentId }, orderBy: { id: "asc" } });
    const byRequest = new Map(data.map((x, i) => [`c-${Math.floor(i / ROWS)}#${i % ROWS}`, x.minutes]));
    const y: number[] = [];
    const p: number[] = [];
    for (const l of logs) (l.outputs as number[]).forEach((o, i) => (y.push(byRequest.get(`${l.requestId}#${i}`)!), p.push(o)));
    const figures = reports[0]!.figures as { metrics: Record<string, Record<string, number>> };
    expect(figures.metrics[w.versions.weak]!.rmse).toBeCloseTo(rmse(Float64Array.from(y), Float64Array.from(p)).value!, 9);
    const incident = await db().alertIncident.findFirstOrThrow({ where: { projectId: w.project.id } });
    expect(incident.title).toBe("rmse out of bounds on late");
    expect(incident.figures).toContainEqual(["labels", REQUESTS * ROWS]);
  }, 120_000);
});

describe("serving", () => {
  it("a p95 latency above the monitor's limit makes the serving report drifted and fires the latency rule", async () => {
    const api = callerAs(w.owner).monitor;
    await api.update({ projectId: w.project.id, name: "late", patch: { latencyP95Ms: 0.001, errorRate: 0.5 } });
    await api.createRule({ projectId: w.project.id, name: "late", rule: { name: "slow", condition: { on: "latency" } } });
    await api.createRule({ projectId: w.project.id, name: "late", rule: { name: "errors", condition: { on: "error_rate" } } });
    await until(async () => (await db().servingHealthSample.aggregate({ where: { deploymentId }, _sum: { requests: true } }))._sum.requests === REQUESTS, 20_000);
    const hourEnd = new Date(Math.floor(Date.now() / HOUR) * HOUR + HOUR);
    await runDriftJob({ monitorId, windowEnd: hourEnd, partial: false });
    const serving = await db().monitorReport.findFirstOrThrow({ where: { monitorId, kind: "serving", windowStart: new Date(hourEnd.getTime() - HOUR) } });
    const figures = serving.figures as { requests: number; errors: number; errorRate: number; p95Ms: number };
    expect(serving.verdict).toBe("drifted");
    expect(figures).toMatchObject({ requests: REQUESTS, errors: 0, errorRate: 0 });
    expect(figures.p95Ms).toBeGreaterThan(0.001);
    const titles = (await db().alertIncident.findMany({ where: { projectId: w.project.id } })).map((i) => i.title);
    expect(titles).toContain("p95 latency (ms) above 0.001 on late");
    // No errors: the error-rate rule does not fire.
    expect(titles.filter((t) => t.startsWith("error rate"))).toEqual([]);
  }, 60_000);
});

describe("concept window bounds", () => {
  it("counts only the labels of predictions made in the judged window", async () => {
    // Ten requests moved into the previous hour: the run judging that hour sees their 40 labelled rows only, not the later ones.
    const hour = Math.floor(Date.now() / HOUR) * HOUR;
    await db().monitor.update({ where: { id: monitorId }, data: { minLabels: 30 } });
    await pool().query(`UPDATE "PredictionLog" SET "createdAt" = ("createdAt" - interval '1 hour') WHERE "deploymentId" = $1 AND "requestId" = ANY($2::text[])`, [deploymentId, Array.from({ length: 10 }, (_, i) => `c-${i}`)]);
    await runDriftJob({ monitorId, windowEnd: new Date(hour + HOUR + 60_000), partial: false });
    const report = await db().monitorReport.findFirstOrThrow({ where: { monitorId, kind: "concept", windowStart: new Date(hour - HOUR) } });
    expect(report).toMatchObject({ rows: 40, verdict: "ok" });
    await pool().query(`UPDATE "PredictionLog" SET "createdAt" = ("createdAt" + interval '1 hour') WHERE "deploymentId" = $1 AND "requestId" = ANY($2::text[])`, [deploymentId, Array.from({ length: 10 }, (_, i) => `c-${i}`)]);
  });
});

describe("drift tick", () => {
  it("queues a due monitor once for its fire time and moves nextRunAt past now", async () => {
    const due = new Date(Date.now() - 5 * 60_000);
    await db().monitor.update({ where: { id: monitorId }, data: { nextRunAt: due } });
    const boss = await getBoss();
    const now = new Date();
    expect((await queueDueMonitors(now)).queued).toEqual([monitorId]);
    expect((await queueDueMonitors(now)).queued).toEqual([]);
    const m = await db().monitor.findUniqueOrThrow({ where: { id: monitorId } });
    expect(m.nextRunAt!.getTime()).toBeGreaterThan(now.getTime());
    const [job] = await boss.fetch<{ monitorId: string; windowEnd: string }>(driftCompute.name, { batchSize: 10 });
    expect(job!.data).toMatchObject({ monitorId, windowEnd: due.toISOString(), partial: false });
  });
});
