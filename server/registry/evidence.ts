/**
 * What a model version records about its bytes and where they came from: the signature read from the
 * file, the encoding spec it was trained with, the metrics of its run's evaluation and its lineage.
 */
import { db } from "../db";
import { AppError } from "../errors";
import { storedEncoding } from "../evaluation/encoding";
import { ZStoredEvaluationReport } from "../evaluation/schemas";
import { readStored } from "../lib/stored-json";
import { ENCODING_METADATA_KEY, type EncodingSpec } from "../ml/features";
import { modelSignature } from "../ml/onnx/signature";
import { checkOnnx } from "../training/onnx-check";
import { modelTask } from "../training/encoding";
import { ZGbdtParams, ZTrainingSpec, type TrainingSpec } from "../training/schemas";
import type { ModelTask } from "./names";
import type { Lineage, MetricsSnapshot, ModelSignatureDto } from "./schemas";

export interface ModelFacts {
  signature: ModelSignatureDto;
  encoding: EncodingSpec | null;
  /** The task the file itself implies (encoding target, Cairn's metadata, else its outputs). */
  task: ModelTask;
}

/**
 * Loads the bytes in ONNX Runtime (a file it cannot load is BAD_REQUEST) and reads their interface
 * and encoding spec. `hint` is what the caller knows of the task (a trainer's params, an upload's ?task=).
 */
export async function modelFacts(bytes: Uint8Array, opts: { runId: string | null; hint?: ModelTask }): Promise<ModelFacts> {
  const io = await checkOnnx(bytes).catch((err: unknown) => {
    if (err instanceof AppError) throw new AppError("BAD_REQUEST", err.message.replace(/^model\.onnx is not/, "The file is not"));
    throw err;
  });
  let file: ReturnType<typeof modelSignature>;
  try {
    file = modelSignature(bytes);
  } catch (err) {
    throw new AppError("BAD_REQUEST", `The file's ONNX graph cannot be read: ${(err as Error).message}`);
  }
  const encoding = (await storedEncoding(opts.runId, bytes))?.spec ?? null;
  const { [ENCODING_METADATA_KEY]: _embedded, ...metadata } = file.metadata;
  const task = encoding?.target?.task ?? file.task ?? modelTask(io, opts.hint);
  return { signature: { inputs: io.inputs, outputs: io.outputs, irVersion: file.irVersion, opsets: file.opsets, metadata }, encoding, task };
}

/** The task a training spec names (the GBDT's params, logistic), if any. */
export function taskHintOf(spec: Pick<TrainingSpec, "trainer" | "params"> | null): ModelTask | undefined {
  if (!spec) return undefined;
  if (spec.trainer === "logistic") return "binary";
  if (spec.trainer === "ridge") return "regression";
  if (spec.trainer === "gbdt") return ZGbdtParams.shape.task.unwrap().safeParse(spec.params.task).data ?? "regression";
  return undefined;
}

/** A run's training spec, or null for runs a client logged (their spec is empty). */
export function trainingSpecOf(spec: unknown): TrainingSpec | null {
  const parsed = ZTrainingSpec.safeParse(spec);
  return parsed.success ? parsed.data : null;
}

/** The headline numbers of the run's DONE evaluation on the test split of the version it was trained on, or null. */
export async function metricsSnapshot(runId: string, trainedOn: string | null): Promise<MetricsSnapshot | null> {
  if (!trainedOn) return null;
  const report = await db().evaluationReport.findFirst({ where: { runId, versionId: trainedOn, split: "test", status: "DONE" } });
  if (!report) return null;
  const stored = readStored(ZStoredEvaluationReport, report.report, `evaluation report ${report.id}`);
  const metrics = Object.fromEntries(Object.entries(stored.metrics).map(([k, m]) => [k, m.value]));
  return { reportId: report.id, versionId: report.versionId, split: report.split, rowCount: stored.rowCount, metrics };
}

type RunRow = {
  id: string;
  number: number;
  name: string;
  params: unknown;
  codeRepo: string | null;
  codeCommit: string | null;
  codeDirty: boolean | null;
  environment: unknown;
  experiment: { id: string; name: string };
};

const record = (v: unknown): Record<string, unknown> | null => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

/** Lineage of a version registered from a run: the run, its training version's splits, code, trainer, params, environment. */
export async function runLineage(run: RunRow, spec: TrainingSpec | null, signatureTrainer: string | null): Promise<Lineage> {
  let datasets: Extract<Lineage, { source: "run" }>["datasets"] = null;
  if (spec) {
    const version = await db().datasetVersion.findUnique({ where: { id: spec.datasetVersionId }, select: { id: true, number: true, dataset: { select: { slug: true } } } });
    if (version) {
      const ref = (split: string) => ({ versionId: version.id, dataset: version.dataset.slug, number: version.number, split });
      datasets = { train: ref("train"), validation: ref("validation"), test: ref("test") };
    }
  }
  return {
    source: "run",
    run: { id: run.id, number: run.number, name: run.name, experiment: run.experiment },
    datasets,
    code: { repo: run.codeRepo, commit: run.codeCommit, dirty: run.codeDirty },
    trainer: spec?.trainer ?? signatureTrainer,
    target: spec?.target ?? null,
    params: { ...(record(run.params) ?? {}), ...(spec ? spec.params : {}) },
    environment: record(run.environment),
  };
}
