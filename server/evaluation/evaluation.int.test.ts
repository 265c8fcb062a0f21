/**
 * Evaluation through the stored encoding spec (and its fallbacks for old runs), and one rule for
 * versions that failed their data contract: training and evaluation both refuse them unless the caller
 * passes allowFailedValidation, which is recorded on the run or report and audited.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "../db";
import { projectWithVersion } from "../testing/datasets";
import { type callerAs } from "../testing/factories";
import { validateVersion } from "../datasets/validate-job";
import { deliveriesCsv } from "../ml/synthetic/deliveries";
import { parseEncodingSpec } from "../ml/features";
import { runTrainingJob, type WorkerHost } from "../training/job";
import { runEvaluationJob } from "./job";
import { readArtifactBytes } from "./encoding";

const WORKER: WorkerHost = { id: "test-worker", hostname: "test-host", gpus: [], cpuCount: 2, version: "test" };
const ROOT = path.resolve(import.meta.dirname, "..", "..");


const setup = (rows: number) => projectWithVersion(deliveriesCsv(rows));

async function report(caller: ReturnType<typeof callerAs>, projectId: string, reportId: string) {
  await runEvaluationJob(reportId);
  const full = await caller.training.evaluation({ projectId, reportId });
  expect(full.status, full.error ?? "").toBe("DONE");
  return full.report as { encoding: { source: string }; metrics: { rmse: { value: number } }; options: { allowFailedValidation?: boolean } };
}

describe("evaluation reads the model's stored encoding spec", () => {
  it("uses encoding.json, then the spec embedded in the model, then one derived from the training split", async () => {
    const { project, caller, version } = await setup(600);
    const run = await caller.training.start({ projectId: project.id, datasetVersionId: version.id, target: "minutes", exclude: ["delivery_id"], trainer: "ridge", evaluate: false });
    await runTrainingJob(run.id, WORKER);
    const stored = await db().runArtifact.findFirstOrThrow({ where: { runId: run.id, path: "encoding.json" } });
    const spec = parseEncodingSpec(Buffer.from(await readArtifactBytes(stored.sha256)).toString("utf8"));
    expect(spec.target).toEqual({ name: "minutes", task: "regression" });
    expect(spec.features.find((f) => f.name === "weather")).toMatchObject({ kind: "categorical", categories: expect.arrayContaining(["clear", "rain"]) });
    expect(spec.features.find((f) => f.name === "distance_km")).toEqual({ name: "distance_km", kind: "numeric" });

    const first = await caller.training.evaluate({ projectId: project.id, runId: run.id, versionId: version.id, split: "test" });
    const fromArtifact = await report(caller, project.id, first.id);
    expect(fromArtifact.encoding.source).toBe("artifact");
    // A run from before encoding.json was stored: the model's own metadata gives the same spec, hence the same numbers.
    await db().runArtifact.delete({ where: { id: stored.id } });
    await caller.training.evaluate({ projectId: project.id, runId: run.id, versionId: version.id, split: "test" });
    const fromModel = await report(caller, project.id, first.id);
    expect(fromModel.encoding.source).toBe("model");
    expect(fromModel.metrics.rmse.value).toBe(fromArtifact.metrics.rmse.value);
  });

  it("derives and stores the spec of an external command's model, and derives it for an old run without one", async () => {
    const { project, caller, version } = await setup(300);
    const cmd = await caller.training.saveCommand({ projectId: project.id, name: "tiny", command: `cp "${path.join(ROOT, "server/training/fixtures/tiny.onnx")}" "$CAIRN_OUTPUT_DIR/model.onnx"` });
    const run = await caller.training.start({ projectId: project.id, datasetVersionId: version.id, target: "minutes", features: ["distance_km", "traffic_index", "weather"], trainer: "command", commandId: cmd.id, evaluate: false });
    await runTrainingJob(run.id, WORKER);
    const stored = await db().runArtifact.findFirstOrThrow({ where: { runId: run.id, path: "encoding.json" } });
    const spec = parseEncodingSpec(Buffer.from(await readArtifactBytes(stored.sha256)).toString("utf8"));
    expect(spec.features.map((f) => `${f.name}:${f.kind}`)).toEqual(["distance_km:numeric", "traffic_index:numeric", "weather:categorical"]);
    const logs = await caller.training.logs({ projectId: project.id, runId: run.id });
    expect(logs.map((l) => l.line).join("\n")).toMatch(/encoding.json derived from the training split/);

    await db().runArtifact.delete({ where: { id: stored.id } });
    const r = await caller.training.evaluate({ projectId: project.id, runId: run.id, versionId: version.id, split: "test" });
    expect((await report(caller, project.id, r.id)).encoding.source).toBe("derived");
  });
});

describe("a version that failed its data contract", () => {
  it("is refused by training and evaluation alike, unless overridden; the override is recorded and audited", async () => {
    const { project, caller, version } = await setup(300);
    const run = await caller.training.start({ projectId: project.id, datasetVersionId: version.id, target: "minutes", exclude: ["delivery_id"], trainer: "ridge", evaluate: false });
    await runTrainingJob(run.id, WORKER);
    const ds = await caller.dataset.get({ projectId: project.id, slug: "deliveries" });
    await caller.dataset.saveContract({ projectId: project.id, datasetId: ds.id, expectations: [{ kind: "row_count", min: 100_000 }] });
    await validateVersion(version.id);

    const refused = { code: "PRECONDITION_FAILED", message: expect.stringMatching(/failed validation.*allowFailedValidation/) };
    await expect(caller.training.evaluate({ projectId: project.id, runId: run.id, versionId: version.id, split: "test" })).rejects.toMatchObject(refused);
    await expect(caller.training.start({ projectId: project.id, datasetVersionId: version.id, target: "minutes", trainer: "ridge" })).rejects.toMatchObject(refused);
    expect(await db().evaluationReport.count({ where: { runId: run.id } })).toBe(0);

    const evaluation = await caller.training.evaluate({ projectId: project.id, runId: run.id, versionId: version.id, split: "test", allowFailedValidation: true });
    expect(evaluation.allowFailedValidation).toBe(true);
    expect((await report(caller, project.id, evaluation.id)).options.allowFailedValidation).toBe(true);
    const [listed] = await caller.training.evaluations({ projectId: project.id, runId: run.id });
    expect(listed!.allowFailedValidation).toBe(true);

    const forced = await caller.training.start({ projectId: project.id, datasetVersionId: version.id, target: "minutes", exclude: ["delivery_id"], trainer: "ridge", allowFailedValidation: true, evaluate: false });
    await runTrainingJob(forced.id, WORKER);
    const row = await db().run.findUniqueOrThrow({ where: { id: forced.id } });
    expect(row.status, row.error ?? "").toBe("FINISHED");
    expect(row.spec).toMatchObject({ allowFailedValidation: true });

    const audit = await db().auditEvent.findMany({ where: { projectId: project.id, action: { in: ["run.train", "run.evaluate"] } }, orderBy: { at: "asc" } });
    const overrides = audit.filter((e) => (e.after as { allowFailedValidation?: boolean } | null)?.allowFailedValidation === true);
    expect(overrides.map((e) => e.action).sort()).toEqual(["run.evaluate", "run.train"]);
    expect(overrides.every((e) => (e.after as { validation?: string }).validation === "FAILED")).toBe(true);
  });
});
