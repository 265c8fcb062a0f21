import { db, type Prisma } from "../db";
import { AppError } from "../errors";
import { readSplit } from "../datasets/splits";
import { getVersionRow } from "../datasets/versions";
import { logMetrics } from "../runs/ingest";
import { artifactStore } from "../storage/artifact-store";
import { ZGbdtParams, ZTrainingSpec } from "../training/schemas";
import {
  binaryRobustnessMetric,
  buildEvaluationReport,
  regressionRobustnessMetric,
  robustnessRows,
  type EvaluationReport,
  type FeatureRow,
  type MetricResult,
} from "../ml/metrics";
import { Rng, sampleIndices } from "../ml/random";
import { createScorer, toFloat } from "./score";
import { readStored } from "../lib/stored-json";
import { ZQueuedEvaluation } from "./schemas";

const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;
// Robustness rescoring runs the model ~20 times; a seeded sample keeps that bounded on large splits.
const ROBUSTNESS_ROWS = 5000;

async function readBytes(sha256: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const c of artifactStore().read(sha256)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Turns a label cell into 0/1 for binary tasks ("true"/"yes"/"1" are positive). */
function label(v: unknown): number {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "number") return v > 0 ? 1 : 0;
  const s = String(v ?? "").trim().toLowerCase();
  return ["1", "true", "yes", "y", "positive"].includes(s) ? 1 : 0;
}

/**
 * The evaluate job: scores a version's split with the run's model.onnx in batches and stores the
 * report (metrics, curves, slices, fairness, robustness, a sample of per-row errors). A report
 * already DONE is left as it is, so a redelivered job changes nothing.
 */
export async function runEvaluationJob(reportId: string, signal?: AbortSignal): Promise<void> {
  const report = await db().evaluationReport.findUnique({ where: { id: reportId }, include: { run: true } });
  if (!report || report.status === "DONE") return;
  await db().evaluationReport.update({ where: { id: report.id }, data: { status: "RUNNING", error: null } });
  try {
    const { options } = readStored(ZQueuedEvaluation, report.report ?? {}, `options of evaluation report ${report.id}`);
    const model = await db().runArtifact.findFirst({ where: { runId: report.runId, path: "model.onnx" } });
    if (!model) throw new AppError("PRECONDITION_FAILED", "The run has no model.onnx artifact to evaluate");
    const version = await getVersionRow(report.projectId, report.versionId);
    const spec = ZTrainingSpec.safeParse(report.run.spec);
    const target = spec.success ? spec.data.target : null;
    if (!target || !version.columns.includes(target)) throw new AppError("BAD_REQUEST", `The dataset version has no target column "${target ?? "(unknown)"}"`);
    const features = options.features ?? (spec.success ? spec.data.features : undefined) ?? version.columns.filter((c) => c !== target && !(spec.success ? (spec.data.exclude ?? []) : []).includes(c));
    const gbdtTask = spec.success && spec.data.trainer === "gbdt" ? ZGbdtParams.shape.task.unwrap().safeParse(spec.data.params.task).data : undefined;
    const taskHint = spec.success && spec.data.trainer === "logistic" ? "binary" : gbdtTask;
    const scorer = await createScorer(await readBytes(model.sha256), { columns: version.columns, features, task: taskHint });
    try {
      const rows: FeatureRow[] = [];
      const yRaw: unknown[] = [];
      const ti = version.columns.indexOf(target);
      await readSplit(
        version,
        report.split as "train" | "validation" | "test",
        (batch, columns) => {
          for (const r of batch) {
            const row: Record<string, string | number | boolean | null> = {};
            columns.forEach((c, i) => {
              if (i !== ti) row[c] = (r[i] instanceof Date ? (r[i] as Date).toISOString() : r[i]) as string | number | boolean | null;
            });
            rows.push(row);
            yRaw.push(r[ti]);
          }
        },
        signal,
      );
      if (rows.length === 0) throw new AppError("PRECONDITION_FAILED", `The ${report.split} split of version ${version.number} has no rows`);
      const started = performance.now();
      const predictions = await scorer.score(rows);
      const scoringMs = performance.now() - started;
      const yTrue = scorer.task === "binary" ? Float64Array.from(yRaw, label) : Float64Array.from(yRaw, (v) => toFloat(v as string));
      const keep = yTrue.every((v) => Number.isFinite(v)) ? null : [...yTrue.keys()].filter((i) => Number.isFinite(yTrue[i]!));
      const pick = <T>(xs: ArrayLike<T>) => (keep ? keep.map((i) => xs[i]!) : Array.from(xs));
      const column = (name: string | null | undefined) => (name && version.columns.includes(name) ? pick(rows.map((r) => r[name] ?? null)) : undefined);
      const slice = column(options.sliceColumn);
      const sensitive = column(options.sensitiveColumn);
      const common = {
        ...(slice ? { slice: { name: options.sliceColumn!, values: slice } } : {}),
        ...(sensitive ? { sensitive: { name: options.sensitiveColumn!, values: sensitive } } : {}),
      };
      const y = Float64Array.from(pick(yTrue));
      const p = Float64Array.from(pick(predictions));
      const built: EvaluationReport =
        scorer.task === "binary"
          ? buildEvaluationReport({ task: "binary", yTrue: y, scores: p, threshold: options.threshold, ...common })
          : buildEvaluationReport({ task: "regression", yTrue: y, yPred: p, ...common });
      const sample = sampleIndices(y.length, Math.min(ROBUSTNESS_ROWS, y.length), new Rng(7));
      const robustness = await robustnessRows({
        rows: sample.map((i) => rows[keep ? keep[i]! : i]!),
        yTrue: Float64Array.from(sample, (i) => y[i]!),
        score: (rs) => scorer.score(rs),
        metric: scorer.task === "binary" ? binaryRobustnessMetric("rocAuc", options.threshold) : regressionRobustnessMetric("rmse"),
        features: features.filter((f) => rows.some((r) => typeof r[f] === "number" || (typeof r[f] === "string" && Number.isFinite(Number(r[f]))))),
      });
      await db().evaluationReport.update({
        where: { id: report.id },
        data: {
          status: "DONE",
          report: json({ options, model: { inputs: scorer.inputs }, target, features, scoring: { rows: rows.length, ms: Math.round(scoringMs) }, ...built, robustness }),
        },
      });
      await logHeadline(report.projectId, report.runId, report.id, report.split, built);
    } finally {
      await scorer.release();
    }
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    await db().evaluationReport.update({ where: { id: report.id }, data: { status: "FAILED", error: err.message } });
  }
}

/** The report's headline numbers as run metrics (e.g. test/rmse), stored once per report. */
async function logHeadline(projectId: string, runId: string, reportId: string, split: string, report: EvaluationReport) {
  const metrics: Record<string, MetricResult> = { ...report.metrics };
  const points = Object.entries(metrics).flatMap(([k, m]) => (m.value !== null && Number.isFinite(m.value) ? [{ key: `${split}/${k}`, step: 0, value: m.value }] : []));
  if (points.length) await logMetrics({ projectId, runId, batchId: `evaluation:${reportId}`, points });
}
