import { z } from "zod";
import { db, type Prisma } from "../db";
import { AppError } from "../errors";
import { readSplit } from "../datasets/splits";
import { getVersionRow } from "../datasets/versions";
import { logMetrics } from "../runs/ingest";
import { evaluationReportDone } from "../events/definitions";
import { emitEvent } from "../events/outbox";
import { ZGbdtParams, ZTrainingSpec } from "../training/schemas";
import { buildEvaluationReport, predictionPairs, type EvaluationReport, type MetricResult } from "../ml/metrics";
import { encodeTarget, type Cell, type RawRow } from "../ml/features";
import { readStored } from "../lib/stored-json";
import { createScorer } from "./score";
import { encodingForRun, readArtifactBytes } from "./encoding";
import { probeImportance, probeRobustness } from "./robustness";
import { ZQueuedEvaluation } from "./schemas";

const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;

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
    const bytes = await readArtifactBytes(model.sha256);
    let specSource = "artifact";
    const scorer = await createScorer(bytes, {
      task: taskHint,
      // The spec stored with the model; runs from before specs were stored get one derived from their training split.
      spec: async (io, task) => {
        const found = await encodingForRun({ projectId: report.projectId, runId: report.runId, model: bytes, io, trainedOn: spec.success ? spec.data.datasetVersionId : null, evaluatedVersionId: version.id, features, target, task, signal });
        specSource = found.source;
        return found.spec;
      },
    });
    try {
      const rows: Record<string, Cell>[] = [];
      await readSplit(
        version,
        report.split as "train" | "validation" | "test",
        (batch, columns) => {
          for (const r of batch) rows.push(Object.fromEntries(columns.map((c, i) => [c, r[i] as Cell])));
        },
        signal,
      );
      if (rows.length === 0) throw new AppError("PRECONDITION_FAILED", `The ${report.split} split of version ${version.number} has no rows`);
      const started = performance.now();
      const predictions = await scorer.score(rows);
      const scoringMs = performance.now() - started;
      const yTrue = encodeTarget({ ...scorer.spec, target: scorer.spec.target ?? { name: target, task: "regression" } }, rows);
      const keep = yTrue.every((v) => Number.isFinite(v)) ? null : [...yTrue.keys()].filter((i) => Number.isFinite(yTrue[i]!));
      if (keep?.length === 0) throw new AppError("PRECONDITION_FAILED", `No row of the ${report.split} split has a target the model's encoding can read (${JSON.stringify(scorer.spec.target)})`);
      const pick = <T>(xs: ArrayLike<T>) => (keep ? keep.map((i) => xs[i]!) : Array.from(xs));
      const column = (name: string | null | undefined) => (name && version.columns.includes(name) ? pick(rows.map((r) => cellText(r[name]))) : undefined);
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
      const probe = { spec: scorer.spec, rows: keep ? keep.map((i) => rows[i]!) : rows, yTrue: y, score: (rs: readonly RawRow[]) => scorer.score(rs), task: scorer.task, threshold: options.threshold };
      const robustness = await probeRobustness(probe);
      const importance = { ...(await probeImportance(probe)), gain: await gainImportanceOf(report.runId) };
      const done = {
        where: { id: report.id },
        data: {
          status: "DONE" as const,
          report: json({
            options,
            model: { inputs: scorer.inputs },
            encoding: { source: specSource },
            target,
            features: scorer.spec.features.map((f) => f.name),
            scoring: { rows: rows.length, ms: Math.round(scoringMs) },
            ...built,
            robustness: robustness.rows,
            robustnessSample: robustness.sample,
            importance,
            ...(built.task === "regression" ? { predictedVsActual: predictionPairs(y, p) } : {}),
          }),
        },
      };
      // The report and its event commit together: consumers (the registry's metrics snapshot) see every DONE report once.
      await db().$transaction(async (tx) => {
        await tx.evaluationReport.update(done);
        await emitEvent(tx, evaluationReportDone, { projectId: report.projectId, payload: { reportId: report.id, runId: report.runId, versionId: report.versionId, split: report.split } });
      });
      // Only an evaluation of the data the run was trained on speaks for the run: reports on other
      // versions are kept by (version, split) and compared side by side, never written over test/rmse.
      if (spec.success && spec.data.datasetVersionId === version.id) await logHeadline(report.projectId, report.runId, report.id, report.split, built);
    } finally {
      await scorer.release();
    }
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    await db().evaluationReport.update({ where: { id: report.id }, data: { status: "FAILED", error: err.message } });
  }
}

/** The report's headline numbers as the run's own metrics (e.g. test/rmse), stored once per report. */
async function logHeadline(projectId: string, runId: string, reportId: string, split: string, report: EvaluationReport) {
  const metrics: Record<string, MetricResult> = { ...report.metrics };
  const points = Object.entries(metrics).flatMap(([k, m]) => (m.value !== null && Number.isFinite(m.value) ? [{ key: `${split}/${k}`, step: 0, value: m.value }] : []));
  if (points.length) await logMetrics({ projectId, runId, batchId: `evaluation:${reportId}`, points });
}

// What a built-in GBDT records in model.json (workers/train-builtin.ts); other models have none.
const ZModelJsonGain = z.object({ gainImportance: z.array(z.object({ feature: z.string(), gain: z.number(), share: z.number() })).nullable().optional() });

/** The GBDT's total gain per feature from the run's model.json, or null for other models and older runs. */
async function gainImportanceOf(runId: string) {
  const artifact = await db().runArtifact.findFirst({ where: { runId, path: "model.json" } });
  if (!artifact) return null;
  // A command may write a model.json of its own, in any shape: only Cairn's is read.
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(await readArtifactBytes(artifact.sha256)).toString("utf8"));
  } catch {
    return null;
  }
  const parsed = ZModelJsonGain.safeParse(json);
  return parsed.success ? (parsed.data.gainImportance ?? null) : null;
}

/** A cell as slice/fairness group text (dates as ISO text); null stays null. */
function cellText(v: Cell): string | number | boolean | null {
  if (v === undefined || v === null) return null;
  return v instanceof Date ? v.toISOString() : v;
}
