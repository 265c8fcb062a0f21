/**
 * Batch scoring end to end: a real trained GBDT registered as a model version, real uploads, the job
 * run through the worker's handler from pg-boss, the derived version read back from the artifact
 * store. Predictions are compared with the evaluation scorer on the same rows; lineage, bad inputs,
 * redelivery, a failure half-way and tenant isolation (tRPC and REST) are checked on real rows.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import * as batchRoute from "@/app/api/v1/projects/[project]/models/[name]/versions/[number]/batch/route";
import * as jobRoute from "@/app/api/v1/projects/[project]/models/[name]/versions/[number]/batch/[job]/route";
import { db } from "../db";
import { readStoredTable } from "../datasets/read";
import { readArtifactBytes } from "../evaluation/encoding";
import { createScorer } from "../evaluation/score";
import { ENCODING_METADATA_KEY, ENCODING_VERSION, parseEncodingSpec, type Cell, type EncodingSpec } from "../ml/features";
import { registerExternal } from "../registry/register";
import { deliveriesCsv } from "../ml/synthetic/deliveries";
import { artifactStore } from "../storage/artifact-store";
import type { LocalArtifactStore } from "../storage/local-store";
import { callerAs, callerWithToken, createTestProject, createUser, mintToken, type TestUser } from "../testing/factories";
import { storedFiles, uploadReadyVersion } from "../testing/datasets";
import { drainJobs } from "../testing/drain-jobs";
import { codeOf } from "../testing/promotion";
import { linearModel, projectWithTrainedRun } from "../testing/registry";
import { runBatchScoringJob } from "./job";

let owner: TestUser;
let projectId: string;
let modelVersion: { id: string; number: number; sha256: string; encoding: unknown };
let fresh: { id: string; rowCount: number | null; columns: string[] };
let noTraffic: { id: string };
const secrets: Record<string, string> = {};

async function rowsOf(version: { sha256: string; format: "CSV" | "JSONL" | "PARQUET"; delimiter: string | null; encoding: string | null; columns: string[] }) {
  const out: Record<string, Cell>[] = [];
  await readStoredTable(version, (rows, columns) => {
    for (const r of rows) out.push(Object.fromEntries(columns.map((c, i) => [c, r[i] as Cell])));
  });
  return out;
}

beforeAll(async () => {
  const setup = await projectWithTrainedRun({ rows: 400 });
  owner = setup.owner;
  projectId = setup.project.id;
  await callerAs(owner).model.register({ projectId, modelName: "eta", runId: setup.run.id });
  await drainJobs();
  modelVersion = await db().modelVersion.findFirstOrThrow({ where: { projectId }, select: { id: true, number: true, sha256: true, encoding: true } });
  // New rows the model never saw, in a dataset of their own (2500 rows: more than one read batch).
  fresh = await uploadReadyVersion(owner, projectId, deliveriesCsv(2500, 99), "fresh");
  noTraffic = await uploadReadyVersion(owner, projectId, deliveriesCsv(50, 5).replace(/,traffic_index/, ",traffic"), "no-traffic");
  secrets.member = (await mintToken(owner, { role: "MEMBER", projectId })).secret;
  secrets.viewer = (await mintToken(owner, { role: "VIEWER", projectId })).secret;
  const stranger = await createUser();
  await createTestProject(stranger.orgId, stranger);
  secrets.stranger = (await mintToken(stranger, { role: "ADMIN" })).secret;
  const other = await createTestProject(owner.orgId, owner);
  secrets.otherProject = (await mintToken(owner, { role: "ADMIN", projectId: other.id })).secret;
}, 180_000);

describe("batch scoring", () => {
  let jobId: string;
  let outputVersionId: string;

  it("writes a derived version: the source columns plus the evaluation scorer's predictions, with lineage to both parents", async () => {
    const queued = await callerAs(owner).model.batchScore({ projectId, versionId: modelVersion.id, datasetVersionId: fresh.id });
    expect(queued).toMatchObject({ status: "PENDING", outputDataset: "fresh-scored", rowsTotal: 2500, rowsScored: 0 });
    expect(await drainJobs()).toContain("batch.score.v1");
    const done = await callerAs(owner).model.batchJob({ projectId, jobId: queued.id });
    expect(done).toMatchObject({ status: "DONE", rowsScored: 2500, rowsTotal: 2500, error: null });
    jobId = done.id;
    outputVersionId = done.outputVersionId!;

    const derived = await db().datasetVersion.findUniqueOrThrow({ where: { id: outputVersionId }, include: { dataset: true } });
    expect(derived.dataset.slug).toBe("fresh-scored");
    expect(derived.columns).toEqual([...fresh.columns, "prediction"]);
    expect(derived.rowCount).toBe(2500);
    expect(derived.transform).toMatchObject({ name: "batch-score", params: { modelVersionId: modelVersion.id, model: "eta:1", batchScoringId: jobId } });
    const edges = await db().lineageEdge.findMany({ where: { fromKind: "dataset_version", fromId: derived.id }, select: { toKind: true, toId: true, relation: true } });
    expect(edges).toEqual(
      expect.arrayContaining([
        { toKind: "dataset_version", toId: fresh.id, relation: "derived_from" },
        { toKind: "model_version", toId: modelVersion.id, relation: "scored_by" },
      ]),
    );

    const source = await rowsOf(await db().datasetVersion.findUniqueOrThrow({ where: { id: fresh.id } }));
    const written = await rowsOf(derived);
    const scorer = await createScorer(await readArtifactBytes(modelVersion.sha256), { spec: parseEncodingSpec(modelVersion.encoding), task: "regression" });
    const expected = Array.from(await scorer.score(source));
    await scorer.release();
    expect(written.map((r) => Number(r.prediction))).toEqual(expected);
    // The input columns come through unchanged, in order.
    expect(written.map(({ prediction: _, ...rest }) => rest)).toEqual(source);
  });

  it("a redelivered job writes nothing twice, also when it crashed after writing the version", async () => {
    const versions = await db().datasetVersion.count({ where: { projectId } });
    await runBatchScoringJob(jobId);
    // A crash between the version's commit and the DONE mark: the rerun finds its own bytes.
    await db().batchScoring.update({ where: { id: jobId }, data: { status: "RUNNING", outputVersionId: null } });
    await runBatchScoringJob(jobId);
    expect(await db().batchScoring.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({ status: "DONE", outputVersionId });
    expect(await db().datasetVersion.count({ where: { projectId } })).toBe(versions);
  });

  it("refuses bad inputs with clear errors and writes no row", async () => {
    const c = callerAs(owner).model;
    const before = await db().batchScoring.count();
    expect(await codeOf(c.batchScore({ projectId, versionId: modelVersion.id, datasetVersionId: "nosuchversion" }))).toMatchObject({ code: "NOT_FOUND", message: "Dataset version not found" });
    expect(await codeOf(c.batchScore({ projectId, versionId: "nosuchmodel", datasetVersionId: fresh.id }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await codeOf(c.batchScore({ projectId, versionId: modelVersion.id, datasetVersionId: noTraffic.id }))).toMatchObject({ code: "BAD_REQUEST", message: 'The dataset version lacks the model\'s input column "traffic_index"' });
    expect(await codeOf(c.batchScore({ projectId, versionId: modelVersion.id, datasetVersionId: fresh.id, predictionColumn: "region" }))).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/already has a column "region"/) });
    expect(await codeOf(c.batchScore({ projectId, versionId: modelVersion.id, datasetVersionId: fresh.id, outputDataset: "fresh" }))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await codeOf(c.batchScore({ projectId, versionId: modelVersion.id, datasetVersionId: fresh.id, outputDataset: "Not A Slug" }))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await db().batchScoring.count()).toBe(before);
  });

  it("a failure half-way through leaves no version and no stored bytes, and says why", async () => {
    const broken = await uploadReadyVersion(owner, projectId, deliveriesCsv(3000, 7), "broken");
    // The stored file goes bad after its first rows were read (as a disk or bucket fault would).
    const store = artifactStore() as LocalArtifactStore;
    const file = path.join(store.dir, "sha256", broken.sha256.slice(0, 2), broken.sha256.slice(2));
    const text = await readFile(file, "utf8");
    const lines = text.split("\n");
    lines.splice(2500, 0, '1,"unterminated');
    await writeFile(file, lines.join("\n"));
    const versions = await db().datasetVersion.count({ where: { projectId } });
    const queued = await callerAs(owner).model.batchScore({ projectId, versionId: modelVersion.id, datasetVersionId: broken.id, outputDataset: "broken-out" });
    await drainJobs();
    const failed = await callerAs(owner).model.batchJob({ projectId, jobId: queued.id });
    expect(failed).toMatchObject({ status: "FAILED", outputVersionId: null, error: expect.stringMatching(/^Malformed CSV: Quote Not Closed/) });
    expect(await db().datasetVersion.count({ where: { projectId } })).toBe(versions);
    expect((await storedFiles()).filter((f) => f.startsWith("tmp"))).toEqual([]);
  });

  it("a binary model writes the predicted label and the positive-class probability", async () => {
    const spec: EncodingSpec = { version: ENCODING_VERSION, missingTokens: [""], features: [{ name: "x", kind: "numeric" }], target: { name: "label", task: "binary", positive: ["yes"], negative: ["no"] } };
    const bytes = linearModel(-0.5, { task: "binary", metadata: { [ENCODING_METADATA_KEY]: JSON.stringify(spec) } });
    const { version } = await registerExternal({ projectId, orgId: owner.orgId, actor: { type: "user", id: owner.userId, label: owner.email }, modelName: "churn", body: (async function* () { yield bytes; })() });
    const xs = Array.from({ length: 60 }, (_, i) => ((i - 30) / 10).toFixed(1));
    const data = await uploadReadyVersion(owner, projectId, `x,label\n${xs.map((x, i) => `${x},${i % 2 ? "yes" : "no"}`).join("\n")}\n`, "customers");
    const queued = await callerAs(owner).model.batchScore({ projectId, versionId: version.id, datasetVersionId: data.id, predictionColumn: "churn" });
    await drainJobs();
    const done = await callerAs(owner).model.batchJob({ projectId, jobId: queued.id });
    expect(done.status).toBe("DONE");
    const derived = await db().datasetVersion.findUniqueOrThrow({ where: { id: done.outputVersionId! } });
    expect(derived.columns).toEqual(["x", "label", "churn", "churn_probability"]);
    const written = await rowsOf(derived);
    const scorer = await createScorer(bytes, { spec, task: "binary" });
    const p = Array.from(await scorer.score(xs.map((x) => ({ x }))));
    await scorer.release();
    expect(written.map((r) => Number(r.churn_probability))).toEqual(p);
    expect(written.map((r) => r.churn)).toEqual(p.map((v) => (v >= 0.5 ? "yes" : "no")));
    // Both labels occur: the threshold is applied, not a constant.
    expect(new Set(written.map((r) => r.churn))).toEqual(new Set(["yes", "no"]));
  });

  it("REST: POST starts, GET ?wait= answers when DONE; the list shows the job", async () => {
    const base = `http://localhost/api/v1/projects/${projectId}/models/eta/versions/1/batch`;
    const params = { project: projectId, name: "eta", number: "1" };
    const post = await batchRoute.POST(
      new Request(base, { method: "POST", headers: { authorization: `Bearer ${secrets.member}`, "content-type": "application/json" }, body: JSON.stringify({ datasetVersionId: fresh.id, outputDataset: "fresh-rest" }) }),
      { params: Promise.resolve(params) },
    );
    expect(post.status).toBe(202);
    const job = (await post.json()) as { id: string; status: string };
    expect(job.status).toBe("PENDING");
    const waiting = jobRoute.GET(new Request(`${base}/${job.id}?wait=30`, { headers: { authorization: `Bearer ${secrets.viewer}` } }), { params: Promise.resolve({ ...params, job: job.id }) });
    await drainJobs();
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: job.id, status: "DONE", rowsScored: 2500, outputVersionId: expect.any(String) });
    const list = await batchRoute.GET(new Request(base, { headers: { authorization: `Bearer ${secrets.viewer}` } }), { params: Promise.resolve(params) });
    expect(((await list.json()) as { id: string }[]).map((j) => j.id)).toContain(job.id);

    const bad = await batchRoute.POST(new Request(base, { method: "POST", headers: { authorization: `Bearer ${secrets.member}` }, body: JSON.stringify({ datasetVersionId: noTraffic.id }) }), { params: Promise.resolve(params) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { message: expect.stringMatching(/traffic_index/) } });
    const unknownField = await batchRoute.POST(new Request(base, { method: "POST", headers: { authorization: `Bearer ${secrets.member}` }, body: JSON.stringify({ datasetVersionId: fresh.id, rows: 3 }) }), { params: Promise.resolve(params) });
    expect(unknownField.status).toBe(400);
    const viewerPost = await batchRoute.POST(new Request(base, { method: "POST", headers: { authorization: `Bearer ${secrets.viewer}` }, body: JSON.stringify({ datasetVersionId: fresh.id }) }), { params: Promise.resolve(params) });
    expect(viewerPost.status).toBe(403);
  });

  it("another tenant, another project's token and anonymous callers see and start nothing (tRPC and REST)", async () => {
    const before = await db().batchScoring.count();
    const input = { projectId, versionId: modelVersion.id, datasetVersionId: fresh.id };
    const stranger = callerAs(await createUser()).model;
    for (const c of [stranger, (await callerWithToken(secrets.otherProject!)).model]) {
      expect(await codeOf(c.batchScore(input))).toMatchObject({ code: "NOT_FOUND" });
      expect(await codeOf(c.batchJobs({ projectId, versionId: modelVersion.id }))).toMatchObject({ code: "NOT_FOUND" });
      expect(await codeOf(c.batchJob({ projectId, jobId }))).toMatchObject({ code: "NOT_FOUND" });
    }
    const anon = callerAs(null).model;
    for (const p of [anon.batchScore(input), anon.batchJobs({ projectId, versionId: modelVersion.id }), anon.batchJob({ projectId, jobId })]) expect(await codeOf(p)).toMatchObject({ code: "UNAUTHORIZED" });
    // A job id of this project read under another project of the same organisation is NOT_FOUND.
    const mine = await createTestProject(owner.orgId, owner);
    expect(await codeOf(callerAs(owner).model.batchJob({ projectId: mine.id, jobId }))).toMatchObject({ code: "NOT_FOUND" });

    const base = `http://localhost/api/v1/projects/${projectId}/models/eta/versions/1/batch`;
    const params = { project: projectId, name: "eta", number: "1" };
    for (const [secret, status] of [[secrets.stranger, 404], [secrets.otherProject, 404], ["", 401]] as const) {
      // An empty bearer is the anonymous API caller (no session cookie outside a Next request).
      const headers = { authorization: `Bearer ${secret}` };
      const post = await batchRoute.POST(new Request(base, { method: "POST", headers, body: JSON.stringify({ datasetVersionId: fresh.id }) }), { params: Promise.resolve(params) });
      const list = await batchRoute.GET(new Request(base, { headers }), { params: Promise.resolve(params) });
      const one = await jobRoute.GET(new Request(`${base}/${jobId}`, { headers }), { params: Promise.resolve({ ...params, job: jobId }) });
      expect([post.status, list.status, one.status]).toEqual([status, status, status]);
    }
    expect(await db().batchScoring.count()).toBe(before);
  });
});
