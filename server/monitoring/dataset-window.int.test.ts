/**
 * A monitor whose current window is a new dataset version (batch scoring): a GBDT deployment, a watched
 * dataset whose versions are uploaded through the ordinary ingest, the dataset.version.created event
 * delivered by the outbox to the monitoring consumer, and the drift.v1 job run by the worker's handler:
 * the version's rows read like the reference and scored by the stable version (real ONNX Runtime).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { requestBatchScoring } from "../batch/batch";
import { db } from "../db";
import { createDeployment } from "../deployments/deployments";
import { dispatchEvent } from "../events/dispatch";
import { encodeTrainingData, ENCODING_METADATA_KEY, fitEncodingSpec } from "../ml/features";
import { DELIVERY_COLUMNS, deliveryRows } from "../ml/synthetic/deliveries";
import { gbdt } from "../ml/trainers";
import { registerExternal } from "../registry/register";
import { uploadReadyVersion } from "../testing/datasets";
import { drainJobs } from "../testing/drain-jobs";
import { callerAs, createTestProject, createUser, type TestUser } from "../testing/factories";
import { datasetWindowConsumer } from "./consumers";
import { calibrationRows } from "./drift";
import { runDriftJob } from "./drift-job";

const REFERENCE_ROWS = 5000;
const VERSION_ROWS = 1500;
let owner: TestUser;
let projectId: string;
let monitorName: string;
let monitorId: string;
let watchedId: string;
let modelVersionId: string;

const csvOf = (rows: string[][]) => [DELIVERY_COLUMNS.join(","), ...rows.map((r) => r.join(","))].join("\n");
const distance = DELIVERY_COLUMNS.indexOf("distance_km");
const shifted = (seed: number) => deliveryRows(VERSION_ROWS, seed).map((r) => r.map((c, i) => (i === distance ? String(Number(c) * 3 + 5) : c)));
const dataReports = () => db().monitorReport.findMany({ where: { monitorId, kind: "data" }, orderBy: { createdAt: "asc" } });
const api = () => callerAs(owner).monitor;

async function registerModel(): Promise<{ modelId: string; versionId: string }> {
  const records = deliveryRows(400, 5).map((cells) => Object.fromEntries(DELIVERY_COLUMNS.map((c, i) => [c, cells[i]!])));
  const spec = fitEncodingSpec(records, { features: DELIVERY_COLUMNS.filter((c) => c !== "delivery_id" && c !== "minutes"), target: { name: "minutes", task: "regression" } });
  const model = gbdt(encodeTrainingData(spec, records), { task: "regression", rounds: 40, maxDepth: 3 }).model;
  const bytes = model.toOnnx({ [ENCODING_METADATA_KEY]: JSON.stringify(spec) });
  const actor = { type: "user" as const, id: owner.userId, label: owner.email };
  const { version } = await registerExternal({ projectId, orgId: owner.orgId, actor, modelName: "eta", body: (async function* () { yield bytes; })() });
  return { modelId: version.modelId, versionId: version.id };
}

beforeAll(async () => {
  owner = await createUser();
  projectId = (await createTestProject(owner.orgId, owner)).id;
  await db().environment.create({ data: { projectId, name: "production" } });
  const model = await registerModel();
  modelVersionId = model.versionId;
  const reference = await uploadReadyVersion(owner, projectId, csvOf(deliveryRows(REFERENCE_ROWS, 5)), "deliveries");
  const first = await uploadReadyVersion(owner, projectId, csvOf(deliveryRows(VERSION_ROWS, 11)), "nightly");
  watchedId = first.datasetId;
  await createDeployment({ orgId: owner.orgId, projectId, environment: "production", name: "eta", modelId: model.modelId, versionId: model.versionId, actor: { type: "user", id: owner.userId, label: owner.email } });
  await drainJobs(); // the outbox creates the default monitor
  const [monitor] = await api().list({ projectId });
  monitorName = monitor!.name;
  monitorId = monitor!.id;
  await api().update({ projectId, name: monitorName, patch: { reference: { kind: "dataset", datasetVersionId: reference.id }, window: { kind: "dataset", datasetId: watchedId }, driftShare: 0.1, effectFloors: { wasserstein: 0.2 } } });
  await api().createRule({ projectId, name: monitorName, rule: { name: "drift", condition: { on: "data_drift" } } });
}, 180_000);

describe("a dataset window", () => {
  it("refuses another project's dataset, an unknown one and one whose rows the model cannot score, writing nothing", async () => {
    const stranger = await createUser();
    const theirProject = await createTestProject(stranger.orgId, stranger);
    const theirs = await uploadReadyVersion(stranger, theirProject.id, csvOf(deliveryRows(50, 3)), "nightly");
    const before = await db().monitor.findUniqueOrThrow({ where: { id: monitorId } });
    await expect(api().update({ projectId, name: monitorName, patch: { window: { kind: "dataset", datasetId: theirs.datasetId } } })).rejects.toMatchObject({ code: "NOT_FOUND", message: "Dataset not found" });
    await expect(api().update({ projectId, name: monitorName, patch: { window: { kind: "dataset", datasetId: "nosuchdataset" } } })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const other = await uploadReadyVersion(owner, projectId, "city,weight\nlyon,3\nnice,4\n", "parcels");
    await expect(api().update({ projectId, name: monitorName, patch: { window: { kind: "dataset", datasetId: other.datasetId } } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/dataset "parcels" v1 lacks the model's input columns "distance_km".*cannot score/),
    });
    // @ts-expect-error the contract names the dataset by id
    await expect(api().update({ projectId, name: monitorName, patch: { window: { kind: "dataset", dataset: "nightly" } } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // The other tenant and an anonymous caller cannot touch this monitor either.
    await expect(callerAs(stranger).monitor.update({ projectId, name: monitorName, patch: { window: { kind: "dataset", datasetId: theirs.datasetId } } })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(callerAs(null).monitor.update({ projectId, name: monitorName, patch: { window: { kind: "dataset", datasetId: watchedId } } })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect((await db().monitor.findUniqueOrThrow({ where: { id: monitorId } })).window).toEqual(before.window);
    expect((await api().get({ projectId, name: monitorName })).window).toEqual({ kind: "dataset", datasetId: watchedId });
  }, 60_000);

  it("a new version like the reference gives an ok report naming it, with its predictions scored", async () => {
    const version = await uploadReadyVersion(owner, projectId, csvOf(deliveryRows(VERSION_ROWS, 23)), "nightly");
    expect(await drainJobs()).toContain("drift.v1");
    const [report] = await dataReports();
    expect(report).toMatchObject({ verdict: "ok", rows: VERSION_ROWS, windowStart: version.createdAt, windowEnd: version.createdAt });
    expect(report!.figures).toMatchObject({ datasetId: watchedId, dataset: "nightly", datasetVersionId: version.id, datasetVersionNumber: 2, scoredByVersionNumber: 1 });
    const features = report!.features as { feature: string; drifted: boolean; nCur: number; nRef: number }[];
    expect(features.filter((f) => f.drifted)).toEqual([]);
    expect(features.every((f) => f.nCur === VERSION_ROWS && f.nRef === REFERENCE_ROWS)).toBe(true);
    const prediction = report!.predictionDrift as { drifted: boolean; nCur: number; threshold: number };
    expect(prediction).toMatchObject({ drifted: false, nCur: VERSION_ROWS });
    // Calibrated at the version's size: thresholds for windows of VERSION_ROWS rows, none for another size.
    const sizes = new Set((await db().thresholdCache.findMany({ select: { n: true } })).map((t) => t.n));
    expect([...sizes]).toEqual([calibrationRows(VERSION_ROWS)]);
    expect(report!.note).toMatch(/concept and serving reports .* not computed/);
    expect(await db().monitorReport.count({ where: { monitorId, kind: { in: ["concept", "serving"] } } })).toBe(0);
    expect(await db().alertIncident.count({ where: { projectId } })).toBe(0);
    // The report page's label.
    const [listed] = await api().reports({ projectId, name: monitorName });
    expect(listed!.figures).toMatchObject({ datasetVersionNumber: 2 });
  }, 120_000);

  it("a version with a shifted numeric feature drifts with its predictions, alerts once, and a redelivery writes nothing twice", async () => {
    const version = await uploadReadyVersion(owner, projectId, csvOf(shifted(47)), "nightly");
    await drainJobs(200);
    const reports = await dataReports();
    expect(reports).toHaveLength(2);
    const report = reports[1]!;
    expect(report).toMatchObject({ verdict: "drifted", rows: VERSION_ROWS, windowStart: version.createdAt });
    expect(report.figures).toMatchObject({ datasetVersionId: version.id, datasetVersionNumber: 3 });
    const features = report.features as { feature: string; drifted: boolean; value: number; threshold: number }[];
    expect(features.filter((f) => f.drifted).map((f) => f.feature)).toEqual(["distance_km"]);
    expect((report.predictionDrift as { drifted: boolean }).drifted).toBe(true);
    const incidents = await db().alertIncident.findMany({ where: { projectId } });
    expect(incidents).toHaveLength(1);
    expect(incidents[0]!.count).toBe(1);

    // The job again (a redelivery after a crash), and the event handed to the consumer again past the outbox's own record.
    await runDriftJob({ monitorId, windowEnd: new Date(), partial: false, datasetVersionId: version.id });
    const event = await db().outboxEvent.findFirstOrThrow({ where: { projectId, type: "dataset.version.created", payload: { path: ["versionId"], equals: version.id } } });
    expect((await dispatchEvent(event.id.toString())).delivered).toEqual([]);
    await db().$transaction((tx) => datasetWindowConsumer.run(tx, { versionId: version.id, datasetId: watchedId, number: 3 }, { eventId: event.id.toString(), projectId }));
    expect(await drainJobs()).toEqual(["drift.v1"]);
    expect(await dataReports()).toHaveLength(2);
    expect((await db().alertIncident.findFirstOrThrow({ where: { projectId } })).count).toBe(1);
    expect(await db().monitorAlertLink.count({ where: { reportId: report.id } })).toBe(1);
  }, 180_000);

  it("Run now judges the latest version when no event did (a paused monitor ignores new versions)", async () => {
    await api().update({ projectId, name: monitorName, patch: { enabled: false } });
    const version = await uploadReadyVersion(owner, projectId, csvOf(deliveryRows(VERSION_ROWS, 61)), "nightly");
    const ran = await drainJobs();
    expect(ran).not.toContain("drift.v1");
    expect(await dataReports()).toHaveLength(2);
    await api().runNow({ projectId, name: monitorName });
    expect(await drainJobs()).toContain("drift.v1");
    const reports = await dataReports();
    expect(reports).toHaveLength(3);
    expect(reports[2]!.figures).toMatchObject({ datasetVersionId: version.id, datasetVersionNumber: 4 });
    // Run now again: the latest version is judged already.
    await api().runNow({ projectId, name: monitorName });
    await drainJobs();
    expect(await dataReports()).toHaveLength(3);
  }, 120_000);

  it("a batch scoring's output version is scored again by the stable version, its own prediction column not read", async () => {
    const shiftedVersion = await db().datasetVersion.findFirstOrThrow({ where: { datasetId: watchedId, number: 3 } });
    await requestBatchScoring({ projectId, orgId: owner.orgId, versionId: modelVersionId, datasetVersionId: shiftedVersion.id, predictionColumn: "prediction", threshold: 0.5, actor: { type: "user", id: owner.userId, label: owner.email } });
    await drainJobs(200);
    const scored = await db().dataset.findFirstOrThrow({ where: { projectId, slug: "nightly-scored" }, include: { versions: true } });
    expect(scored.versions[0]!.columns).toContain("prediction");
    await api().update({ projectId, name: monitorName, patch: { window: { kind: "dataset", datasetId: scored.id }, enabled: true } });
    await api().runNow({ projectId, name: monitorName });
    await drainJobs();
    const report = (await dataReports()).at(-1)!;
    expect(report.figures).toMatchObject({ dataset: "nightly-scored", datasetVersionNumber: 1, ignoredPredictionColumn: "prediction", scoredByVersionNumber: 1 });
    expect(report.note).toMatch(/column "prediction", written by a batch scoring, was not read/);
    expect((report.features as { feature: string }[]).map((f) => f.feature)).not.toContain("prediction");
    expect(report.predictionDrift).toMatchObject({ drifted: true, nCur: VERSION_ROWS });
  }, 120_000);
});
