/**
 * A monitor end to end: a GBDT served by the real serving process (real HTTP, ONNX Runtime, prediction
 * log), its monitor created by the deployment.created event, traffic like the training data and then
 * with a shifted numeric feature, the drift.v1 job run by the worker's handler, the alert delivered to
 * a real SMTP server and a Slack-like receiver, and the retraining pipeline started by the rule.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { db } from "../db";
import { createDeployment } from "../deployments/deployments";
import { DELIVERY_COLUMNS, deliveryRows } from "../ml/synthetic/deliveries";
import { savePipeline } from "../pipelines/pipelines";
import { startHttpReceiver, startSmtpReceiver, type HttpReceiver, type SmtpReceiver } from "../testing/alert-receivers";
import { uploadReadyVersion } from "../testing/datasets";
import { drainJobs } from "../testing/drain-jobs";
import { callerAs } from "../testing/factories";
import { infer, labelledRows, logged, servingWorld, until, type ServingWorld } from "../testing/serving-world";
import { runDriftJob } from "./drift-job";

let w: ServingWorld;
let smtp: SmtpReceiver;
let slack: HttpReceiver;
let deploymentId: string;
let monitorName: string;
let referenceVersionId: string;
const ROWS_PER_REQUEST = 20;
const WINDOW = 400;
const REFERENCE_ROWS = 5000;
const actor = () => ({ type: "user" as const, id: w.owner.userId, label: w.owner.email });

async function send(rows: Record<string, string>[], tag: string) {
  for (let i = 0; i < rows.length; i += ROWS_PER_REQUEST) await infer(w, "eta", rows.slice(i, i + ROWS_PER_REQUEST), { "x-request-id": `${tag}-${i}` });
}

const reportsOf = (kind = "data") => db().monitorReport.findMany({ where: { monitor: { deploymentId }, kind }, orderBy: { createdAt: "asc" } });

beforeAll(async () => {
  w = await servingWorld();
  smtp = await startSmtpReceiver();
  slack = await startHttpReceiver();
  // Reference data from the generator the models were fitted on, much larger than a window (calibration draws windows from it).
  const csv = [DELIVERY_COLUMNS.join(","), ...deliveryRows(REFERENCE_ROWS, 5).map((r) => r.join(","))].join("\n");
  const reference = await uploadReadyVersion(w.owner, w.project.id, csv);
  referenceVersionId = reference.id;
  const d = await createDeployment({ orgId: w.owner.orgId, projectId: w.project.id, environment: "production", name: "eta", modelId: w.modelId, versionId: w.versions.strong, actor: actor() });
  deploymentId = d.id;
  await until(async () => w.serving.routes.byName("eta").some((r) => r.deploymentId === d.id));
  await drainJobs(); // the outbox event creates the default monitor

  const api = callerAs(w.owner);
  const monitors = await api.monitor.list({ projectId: w.project.id });
  monitorName = monitors[0]!.name;
  // A shift under 0.2 reference standard deviations is not worth an alarm here (the effect floor), and one drifted feature of 8 is a drifted dataset.
  await api.monitor.update({ projectId: w.project.id, name: monitorName, patch: { reference: { kind: "dataset", datasetVersionId: reference.id }, window: { kind: "rows", rows: WINDOW }, driftShare: 0.1, effectFloors: { wasserstein: 0.2 } } });
  await api.alert.setSmtp({ orgId: w.owner.orgId, host: "127.0.0.1", port: smtp.port, secure: false, from: "cairn@example.test" });
  const email = await api.alert.createChannel({ orgId: w.owner.orgId, name: "ops mail", config: { kind: "email", to: ["ops@example.test"] } });
  const chat = await api.alert.createChannel({ orgId: w.owner.orgId, name: "slack", config: { kind: "slack", webhookUrl: `${slack.url}/services/T0/B0/x`, channelLabel: "#ml" } });
  const pipeline = { name: "retrain-eta", triggers: [{ monitor: monitorName }], steps: [{ id: "validate", uses: "validate-data", with: { dataset: "deliveries" } }] };
  await savePipeline({ projectId: w.project.id, yaml: stringify(pipeline), source: "api", actor: actor() });
  await api.monitor.createRule({
    projectId: w.project.id,
    name: monitorName,
    rule: { name: "drift", condition: { on: "data_drift" }, channelIds: [email.id, chat.id], severity: "critical", action: { retrain: { pipeline: "retrain-eta" } }, budget: { maxRunsPerDay: 1 } },
  });
}, 180_000);

afterAll(async () => {
  await Promise.all([w?.serving.close(), smtp?.close(), slack?.close()]);
});

describe("monitor end to end", () => {
  it("is created with defaults when the deployment is created", async () => {
    const m = await db().monitor.findFirstOrThrow({ where: { deploymentId } });
    expect(m).toMatchObject({ name: "eta", mode: "calibrated", alpha: 0.05, enabled: true, schedule: "0 * * * *" });
    expect(m.nextRunAt!.getTime()).toBeGreaterThan(Date.now());
  });

  it("undrifted traffic gives an ok report and no alert", async () => {
    await send(labelledRows(WINDOW, 31).map((x) => x.row as Record<string, string>), "calm");
    await logged(deploymentId, WINDOW / ROWS_PER_REQUEST);
    await callerAs(w.owner).monitor.runNow({ projectId: w.project.id, name: monitorName });
    expect(await drainJobs()).toContain("drift.v1");
    const [report] = await reportsOf();
    expect(report).toMatchObject({ verdict: "ok", rows: WINDOW });
    const features = report!.features as { feature: string; drifted: boolean; threshold: number | null; nRef: number; nCur: number }[];
    expect(features.map((f) => f.feature).sort()).toEqual(DELIVERY_COLUMNS.filter((c) => c !== "delivery_id" && c !== "minutes").sort());
    expect(features.filter((f) => f.drifted)).toEqual([]);
    expect(features.every((f) => f.nRef === REFERENCE_ROWS && f.nCur === WINDOW)).toBe(true);
    expect(await db().alertIncident.count({ where: { projectId: w.project.id } })).toBe(0);
    expect(await db().pipelineRun.count({ where: { projectId: w.project.id } })).toBe(0);
  }, 120_000);

  it("a shifted numeric feature drifts, alerts by e-mail and Slack and starts the retraining pipeline", async () => {
    const shifted = labelledRows(WINDOW, 47).map((x) => ({ ...(x.row as Record<string, string>), distance_km: String(Number(x.row.distance_km) * 3 + 5) }));
    await send(shifted, "shift");
    await logged(deploymentId, (2 * WINDOW) / ROWS_PER_REQUEST);
    // One calibrated threshold per feature and the prediction column, reused by the next window of the same size.
    const cached = await db().thresholdCache.count();
    expect(cached).toBe(9);
    await callerAs(w.owner).monitor.runNow({ projectId: w.project.id, name: monitorName });
    await drainJobs(200);
    expect(await db().thresholdCache.count()).toBe(cached);
    const reports = await reportsOf();
    expect(reports).toHaveLength(2);
    const report = reports[1]!;
    expect(report.verdict).toBe("drifted");
    const features = report.features as { feature: string; drifted: boolean; statistic: string; value: number; threshold: number; effect: number }[];
    expect(features.filter((f) => f.drifted).map((f) => f.feature)).toEqual(["distance_km"]);
    const distance = features.find((f) => f.feature === "distance_km")!;
    expect(distance.statistic).toBe("wasserstein");
    expect(distance.value).toBeGreaterThan(distance.threshold);
    // The model's predictions follow the shifted distance.
    expect((report.predictionDrift as { drifted: boolean }).drifted).toBe(true);

    // The report page's histograms: shares per reference bin, each side summing to 1; the shifted rows leave the low bins.
    const detail = await callerAs(w.owner).monitor.report({ projectId: w.project.id, name: monitorName, reportId: report.id });
    const hist = detail.histograms.find((h) => h.feature === "distance_km")!;
    expect(hist.bins.reduce((s, b) => s + b.reference, 0)).toBeCloseTo(1, 9);
    expect(hist.bins.reduce((s, b) => s + b.current, 0)).toBeCloseTo(1, 9);
    expect(hist.bins[1]!.reference).toBeGreaterThan(0.01);
    expect(hist.bins[1]!.current).toBe(0);
    // Bin edges read as the dataset comparison writes them (three significant digits), not as raw doubles.
    expect(hist.bins[0]!.label).toBe("(missing)");
    for (const b of hist.bins.slice(1)) expect(b.label).toMatch(/^(≤ |> )?-?\d+(\.\d{1,3})?(–-?\d+(\.\d{1,3})?)?$/);
    expect((await callerAs(w.owner).monitor.reports({ projectId: w.project.id, name: monitorName })).map((r) => r.verdict)).toEqual(["ok", "drifted"]);

    const incident = await db().alertIncident.findFirstOrThrow({ where: { projectId: w.project.id } });
    expect(incident.link).toBe(`/${w.owner.orgSlug}/${w.project.slug}/monitors/${monitorName}`);
    await until(async () => smtp.messages.length === 1 && slack.accepted().length === 1, 20_000);
    expect(smtp.messages[0]!.subject).toContain("Data drift on eta");
    expect(smtp.messages[0]!.text).toContain("distance_km");
    const blocks = JSON.stringify(JSON.parse(slack.accepted()[0]!.rawBody));
    expect(blocks).toContain("distance_km");
    expect(blocks).toContain("threshold");

    const runs = await db().pipelineRun.findMany({ where: { projectId: w.project.id }, include: { pipeline: true } });
    expect(runs.map((r) => [r.pipeline.name, r.trigger])).toEqual([["retrain-eta", "monitor"]]);
    const chain = await callerAs(w.owner).monitor.chain({ projectId: w.project.id, incidentId: incident.id });
    expect(chain).toMatchObject({ rule: { name: "drift" }, report: { id: report.id, verdict: "drifted" }, runs: [{ id: runs[0]!.id, pipeline: "retrain-eta", modelVersion: null, gate: null }] });
  }, 180_000);

  it("a redelivered drift job writes one report and alerts once", async () => {
    const monitor = await db().monitor.findFirstOrThrow({ where: { deploymentId } });
    const latest = (await reportsOf()).at(-1)!;
    const windowEnd = new Date(Date.now());
    await runDriftJob({ monitorId: monitor.id, windowEnd, partial: false });
    const after = await reportsOf();
    // Same rows, same first entry: the window is the one already reported (written by a partial run, now closed).
    await runDriftJob({ monitorId: monitor.id, windowEnd, partial: false });
    expect(await reportsOf()).toHaveLength(after.length);
    expect(after.at(-1)!.windowStart.getTime()).toBe(latest.windowStart.getTime());
    expect(await db().alertDelivery.count({ where: { incident: { projectId: w.project.id }, kind: "firing" } })).toBe(2);
    expect(await db().pipelineRun.count({ where: { projectId: w.project.id } })).toBe(1);
  }, 120_000);

  it("calm traffic resolves the incident; the next incident is not retrained beyond the rule's daily budget", async () => {
    const api = callerAs(w.owner).monitor;
    await send(labelledRows(WINDOW, 53).map((x) => x.row as Record<string, string>), "calm2");
    await logged(deploymentId, (3 * WINDOW) / ROWS_PER_REQUEST);
    await api.runNow({ projectId: w.project.id, name: monitorName });
    await drainJobs(200);
    const first = await db().alertIncident.findFirstOrThrow({ where: { projectId: w.project.id } });
    expect(first.status).toBe("resolved");
    await until(async () => smtp.messages.length === 2, 20_000);
    expect(smtp.messages[1]!.subject).toMatch(/^\[Cairn\] RESOLVED/);

    const shifted = labelledRows(WINDOW, 59).map((x) => ({ ...(x.row as Record<string, string>), distance_km: String(Number(x.row.distance_km) * 3 + 5) }));
    await send(shifted, "shift2");
    await logged(deploymentId, (4 * WINDOW) / ROWS_PER_REQUEST);
    await api.runNow({ projectId: w.project.id, name: monitorName });
    await drainJobs(200);
    const second = await db().alertIncident.findFirstOrThrow({ where: { projectId: w.project.id, status: "firing" } });
    expect(second.id).not.toBe(first.id);
    expect(await db().pipelineRun.count({ where: { projectId: w.project.id } })).toBe(1);
    const chain = await api.chain({ projectId: w.project.id, incidentId: second.id });
    expect(chain.runs).toEqual([]);
    expect(chain.note).toBe("Retraining not started: the rule's budget of 1 run(s) a day is spent");
  }, 180_000);

  it("in Evidently mode the verdicts are Evidently's defaults on the same window", async () => {
    const api = callerAs(w.owner).monitor;
    await api.update({ projectId: w.project.id, name: monitorName, patch: { mode: "evidently" } });
    const monitor = await db().monitor.findFirstOrThrow({ where: { deploymentId } });
    await runDriftJob({ monitorId: monitor.id, windowEnd: new Date(), partial: true });
    const [latest] = await api.reports({ projectId: w.project.id, name: monitorName, limit: 1 });
    // The reference has over 1,000 rows: normed Wasserstein for numeric features, Jensen–Shannon otherwise, at 0.1.
    for (const f of latest!.features) {
      expect(f.statistic).toBe(f.kind === "numeric" ? "wasserstein" : "jensenshannon");
      expect(f).toMatchObject({ threshold: 0.1, drifted: f.evidently!.drifted, value: f.evidently!.statistic, effect: null });
    }
    expect(latest!.features.find((f) => f.feature === "distance_km")!.drifted).toBe(true);
    expect(latest!.figures).toMatchObject({ mode: "evidently" });
  }, 120_000);

  it("the default reference is the training data of the served version, found through its run", async () => {
    const experiment = await db().experiment.create({ data: { projectId: w.project.id, name: "eta" } });
    const run = await db().run.create({ data: { projectId: w.project.id, experimentId: experiment.id, number: 1, name: "train eta", kind: "TRAINING", status: "FINISHED", createdBy: w.owner.userId, spec: { trainer: "gbdt", datasetVersionId: referenceVersionId } } });
    await db().modelVersion.update({ where: { id: w.versions.strong }, data: { runId: run.id } });
    const api = callerAs(w.owner).monitor;
    await api.update({ projectId: w.project.id, name: monitorName, patch: { reference: { kind: "training" }, mode: "calibrated" } });
    const monitor = await db().monitor.findFirstOrThrow({ where: { deploymentId } });
    await runDriftJob({ monitorId: monitor.id, windowEnd: new Date(), partial: true });
    const [latest] = await api.reports({ projectId: w.project.id, name: monitorName, limit: 1 });
    expect(latest!.features.every((f) => f.nRef === REFERENCE_ROWS)).toBe(true);
    expect(latest!.features.filter((f) => f.drifted).map((f) => f.feature)).toEqual(["distance_km"]);
    expect(latest!.figures).toMatchObject({ mode: "calibrated", referenceRows: REFERENCE_ROWS });
  }, 120_000);
});

