/**
 * The `drift.v1` job: one monitor's data, concept and serving reports for the window ending at
 * `windowEnd`, then its rules (alerting.ts). Reports are unique per (monitor, kind, windowStart): a
 * redelivered job finds them written and neither writes nor alerts again; a partial window (run now)
 * is recomputed by later runs until it closes.
 */
import { db } from "../db";
import { analysedVersion } from "../deployments/analysis";
import { armHealth } from "../deployments/health";
import { isUniqueViolation } from "../errors";
import { Prisma, type Monitor, type MonitorReport } from "../generated/prisma/client";
import { toJsonValue } from "../lib/stored-json";
import { CellReader } from "../ml/features";
import { numericColumnData } from "../ml/monitor-stats";
import { onlineMetricNames } from "./concept";
import { dataDrift } from "./drift";
import { currentColumn, readDatasetWindow, readReference, readWindow, type ReferenceData } from "./inputs";
import type { ColumnData } from "../ml/column-data";
import { evaluateRules } from "./alerting";
import { ZEffectFloors, ZReference, ZWindow, type Window } from "./schemas";

/** Fewer current rows than this: the data report is "insufficient" (no statistic is worth reading). */
export const MIN_WINDOW_ROWS = 30;
const HOUR = 3600_000;

export interface WindowBounds {
  start: Date;
  end: Date;
}

/** The time window of a run ending at `end`: the last closed hour/day, or (partial) the one still open. */
export function timeWindow(window: Window, end: Date, partial: boolean): WindowBounds | null {
  if (window.kind === "rows" || window.kind === "dataset") return null;
  const size = window.kind === "hourly" ? HOUR : 24 * HOUR;
  const aligned = Math.floor(end.getTime() / size) * size;
  return partial ? { start: new Date(aligned), end } : { start: new Date(aligned - size), end: new Date(aligned) };
}

type ReportData = Omit<Prisma.MonitorReportUncheckedCreateInput, "monitorId" | "kind" | "windowStart" | "windowEnd"> & { windowStart: Date; windowEnd: Date };

/** Writes a report once; a partial one is replaced by a later, longer run of the same window. Null: already written (nothing to alert). */
async function writeReport(monitorId: string, kind: "data" | "concept" | "serving", data: ReportData, partial: boolean): Promise<MonitorReport | null> {
  const figures = { ...(data.figures as Record<string, unknown> | undefined), partial };
  const row = { ...data, figures: toJsonValue(figures) };
  try {
    return await db().monitorReport.create({ data: { monitorId, kind, ...row } });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
  const existing = await db().monitorReport.findUniqueOrThrow({ where: { monitorId_kind_windowStart: { monitorId, kind, windowStart: data.windowStart } } });
  const wasPartial = (existing.figures as { partial?: unknown }).partial === true;
  // A partial window is replaced by a longer run of it; a concept window judged "insufficient" by one whose labels have arrived since.
  const longer = wasPartial && existing.windowEnd.getTime() < data.windowEnd.getTime();
  const labelled = kind === "concept" && existing.verdict === "insufficient" && data.verdict !== "insufficient";
  if (!longer && !labelled) return null;
  const updated = await db().monitorReport.updateMany({ where: { id: existing.id, windowEnd: existing.windowEnd }, data: { ...row, createdAt: new Date() } });
  return updated.count === 1 ? db().monitorReport.findUniqueOrThrow({ where: { id: existing.id } }) : null;
}

async function referenceVersion(monitor: Monitor, stable: { runId: string | null }) {
  const reference = ZReference.parse(monitor.reference);
  let versionId: string | null = null;
  if (reference.kind === "dataset") versionId = reference.datasetVersionId;
  else if (stable.runId) {
    const run = await db().run.findUnique({ where: { id: stable.runId }, select: { spec: true } });
    const id = (run?.spec as { datasetVersionId?: unknown } | null)?.datasetVersionId;
    versionId = typeof id === "string" ? id : null;
  }
  if (!versionId) return null;
  return db().datasetVersion.findFirst({ where: { id: versionId, projectId: monitor.projectId }, select: { sha256: true, format: true, delimiter: true, encoding: true, columns: true } });
}

/** The served model as a data report needs it: the stable version, its task and encoding spec, the watched features and the reference version. */
async function servedModel(monitor: Monitor, stableVersionId: string) {
  const stable = await db().modelVersion.findUniqueOrThrow({ where: { id: stableVersionId }, select: { sha256: true, runId: true, number: true } });
  const { task, spec } = await analysedVersion(monitor.projectId, stableVersionId);
  const features = monitor.features.length > 0 ? monitor.features : (spec?.features.map((f) => f.name) ?? []);
  return { stable, task, spec, features, reference: await referenceVersion(monitor, stable) };
}

const driftSettings = (monitor: Monitor) => ({ mode: monitor.mode === "evidently" ? ("evidently" as const) : ("calibrated" as const), alpha: monitor.alpha, effectFloors: ZEffectFloors.parse(monitor.effectFloors), driftShare: monitor.driftShare });

/** The judged part of a data report: every feature's and the prediction's verdict against the reference, and the dataset verdict. */
async function judged(reference: ReferenceData, features: string[], current: Map<string, ColumnData>, currentPredictions: ColumnData | null, settings: ReturnType<typeof driftSettings>, figures: Record<string, unknown>, notes: string[]) {
  const predictions = reference.predictions && currentPredictions ? { reference: reference.predictions, current: currentPredictions } : null;
  const result = await dataDrift(reference.columns, current, predictions, settings);
  const missing = features.filter((f) => !reference.columns.has(f));
  if (missing.length > 0) notes.unshift(`Not in the reference data: ${missing.join(", ")}`);
  return {
    features: toJsonValue(result.features),
    datasetDriftShare: result.share.share,
    predictionDrift: result.prediction ? toJsonValue(result.prediction) : Prisma.DbNull,
    figures: toJsonValue({ ...figures, referenceRows: reference.rows, driftedColumns: result.share.drifted, testedColumns: result.share.columns, mode: settings.mode, alpha: settings.alpha, histograms: result.histograms, ...(missing.length > 0 ? { notInReference: missing } : {}) }),
    verdict: result.share.datasetDrift ? ("drifted" as const) : ("ok" as const),
    note: notes.length > 0 ? notes.join(". ") : null,
  };
}

async function dataReport(monitor: Monitor, deployment: { stableVersionId: string; candidateVersionId: string | null }, windowEnd: Date, partial: boolean): Promise<MonitorReport | null> {
  const window = ZWindow.parse(monitor.window);
  const bounds = timeWindow(window, windowEnd, partial);
  const versionIds = [deployment.stableVersionId, ...(deployment.candidateVersionId ? [deployment.candidateVersionId] : [])];
  const { stable, task, spec, features, reference: version } = await servedModel(monitor, deployment.stableVersionId);
  const current = await readWindow({ deploymentId: monitor.deploymentId, versionIds, from: bounds?.start ?? null, to: bounds?.end ?? windowEnd, features, ...(window.kind === "rows" ? { lastRows: window.rows } : {}) });
  const start = bounds?.start ?? current.firstAt ?? windowEnd;
  const end = bounds?.end ?? windowEnd;
  const insufficient = (note: string) => writeReport(monitor.id, "data", { windowStart: start, windowEnd: end, rows: current.rows, verdict: "insufficient", note }, partial);
  if (!spec) return insufficient(NO_SPEC);
  if (!version) return insufficient(NO_REFERENCE);
  if (current.rows < MIN_WINDOW_ROWS) return insufficient(`${current.rows} rows in the window; at least ${MIN_WINDOW_ROWS} are needed`);
  const reference = await readReference(version, features, { sha256: stable.sha256, task, spec });
  const reader = new CellReader(spec.missingTokens);
  const currentColumns = new Map([...reference.columns].map(([name, ref]) => [name, currentColumn(ref, current.cells.get(name) ?? [], reader)]));
  const predictions = current.predictions.length > 0 ? numericColumnData(Float64Array.from(current.predictions)) : null;
  const judgedData = await judged(reference, features, currentColumns, predictions, driftSettings(monitor), {}, []);
  return writeReport(monitor.id, "data", { windowStart: start, windowEnd: end, rows: current.rows, ...judgedData }, partial);
}

const NO_SPEC = "The served model carries no encoding spec: its features are unknown";
const NO_REFERENCE = "No reference data: the stable version has no training dataset version; choose a dataset version as the reference";

/**
 * A dataset version as the current window (batch scoring): `datasetVersionId`, or the dataset's latest
 * version (Run now, the schedule). The window is the version's instant (windowStart = windowEnd = its
 * createdAt), so reports stay unique per version: a redelivered event or job, or Run now on a version
 * judged already, finds its report and neither scores nor alerts again. The version's rows are scored
 * with the stable version even when it has a prediction column of its own (a batch scoring output):
 * that column may come from another model version and, for a binary model, holds labels, while the
 * reference's predictions are the stable version's probabilities; one model on both sides is what
 * prediction drift compares.
 */
async function datasetReport(monitor: Monitor, datasetId: string, stableVersionId: string, datasetVersionId: string | null): Promise<MonitorReport | null> {
  const current = await db().datasetVersion.findFirst({ where: { projectId: monitor.projectId, datasetId, ...(datasetVersionId ? { id: datasetVersionId } : {}) }, orderBy: { number: "desc" }, include: { dataset: { select: { slug: true } } } });
  // The monitor watches another dataset since the event (or the dataset has no version yet): nothing to judge.
  if (!current) return null;
  const at = current.createdAt;
  const existing = await db().monitorReport.findUnique({ where: { monitorId_kind_windowStart: { monitorId: monitor.id, kind: "data", windowStart: at } }, select: { figures: true } });
  if (existing) {
    const judgedVersion = (existing.figures as { datasetVersionId?: unknown }).datasetVersionId;
    if (judgedVersion !== current.id) throw new Error(`Monitor ${monitor.name} has a data report at ${at.toISOString()} for another window than dataset ${current.dataset.slug} v${current.number}`);
    return null;
  }
  const identity = { datasetId, dataset: current.dataset.slug, datasetVersionId: current.id, datasetVersionNumber: current.number };
  const notes = [`Dataset ${current.dataset.slug} v${current.number} (batch scoring window); concept and serving reports read the prediction log and are not computed for a dataset window`];
  const insufficient = (rows: number, note: string) => writeReport(monitor.id, "data", { windowStart: at, windowEnd: at, rows, verdict: "insufficient", note: `${note}. ${notes[0]}`, figures: toJsonValue(identity) }, false);
  const { stable, task, spec, features, reference: version } = await servedModel(monitor, stableVersionId);
  if (!spec) return insufficient(current.rowCount ?? 0, NO_SPEC);
  if (!version) return insufficient(current.rowCount ?? 0, NO_REFERENCE);
  const read = await readDatasetWindow(current, features, { sha256: stable.sha256, task, spec });
  if (read.rows < MIN_WINDOW_ROWS) return insufficient(read.rows, `${read.rows} rows in the version; at least ${MIN_WINDOW_ROWS} are needed`);
  const reference = await readReference(version, features, { sha256: stable.sha256, task, spec });
  if (read.unscored) notes.push(`No prediction drift: the version ${read.unscored}`);
  const scoredBy = await batchScoredBy(current.id);
  if (scoredBy) notes.push(`Its column "${scoredBy.predictionColumn}", written by a batch scoring, was not read: the rows were scored again by the stable version`);
  // A text value in a column the reference read as numbers (or the reverse) is a schema change, not a distribution to compare.
  const retyped = [...read.columns].filter(([name, c]) => reference.columns.has(name) && reference.columns.get(name)!.kind !== c.kind).map(([name]) => name);
  for (const name of retyped) read.columns.delete(name);
  if (retyped.length > 0) notes.push(`Read as another kind than in the reference, not compared: ${retyped.join(", ")}`);
  const notInVersion = features.filter((f) => reference.columns.has(f) && !read.columns.has(f) && !retyped.includes(f));
  if (notInVersion.length > 0) notes.push(`Not in the dataset version: ${notInVersion.join(", ")}`);
  const figures = { ...identity, scoredByVersionId: read.unscored ? null : stableVersionId, scoredByVersionNumber: read.unscored ? null : stable.number, ...(scoredBy ? { ignoredPredictionColumn: scoredBy.predictionColumn } : {}) };
  const judgedData = await judged(reference, features, read.columns, read.predictions, driftSettings(monitor), figures, notes);
  return writeReport(monitor.id, "data", { windowStart: at, windowEnd: at, rows: read.rows, ...judgedData }, false);
}

/** The prediction column of a version written by batch scoring (server/batch/job.ts), if it is one. */
async function batchScoredBy(versionId: string): Promise<{ predictionColumn: string } | null> {
  const job = await db().batchScoring.findFirst({ where: { outputVersionId: versionId }, select: { options: true } });
  const column = (job?.options as { predictionColumn?: unknown } | undefined)?.predictionColumn;
  return typeof column === "string" ? { predictionColumn: column } : null;
}

/** Label-delayed model metrics per version: the window judged is the data window moved back by the label delay. */
async function conceptReport(monitor: Monitor, versionIds: string[], bounds: WindowBounds, partial: boolean): Promise<MonitorReport | null> {
  const delay = monitor.labelDelaySeconds * 1000;
  const start = new Date(bounds.start.getTime() - delay);
  const end = new Date(bounds.end.getTime() - delay);
  const metrics: Record<string, Record<string, number | null>> = {};
  let labels = 0;
  for (const versionId of versionIds) {
    const { task } = await analysedVersion(monitor.projectId, versionId);
    metrics[versionId] = {};
    for (const name of await onlineMetricNames(monitor.id, task)) {
      const arm = await armHealth({ deploymentId: monitor.deploymentId, versionId, from: start, to: end, metric: { name, maxDegradation: 0, minLabels: monitor.minLabels }, labelsInWindow: true });
      metrics[versionId]![name] = arm.metric?.value ?? null;
      if (versionId === versionIds[0]) labels = Math.max(labels, arm.metric?.labels ?? 0);
    }
  }
  const enough = labels >= monitor.minLabels;
  return writeReport(
    monitor.id,
    "concept",
    { windowStart: start, windowEnd: end, rows: labels, figures: toJsonValue({ metrics, labels, stableVersionId: versionIds[0] }), verdict: enough ? "ok" : "insufficient", note: enough ? null : `${labels} labelled rows; at least ${monitor.minLabels} are needed` },
    partial,
  );
}

async function servingReport(monitor: Monitor, versionIds: string[], bounds: WindowBounds, partial: boolean): Promise<MonitorReport | null> {
  const arms = await Promise.all(versionIds.map((versionId) => armHealth({ deploymentId: monitor.deploymentId, versionId, from: bounds.start, to: bounds.end, metric: null })));
  const requests = arms.reduce((s, a) => s + a.requests, 0);
  const errors = arms.reduce((s, a) => s + a.errors, 0);
  const p95 = arms.reduce<number | null>((m, a) => (a.p95Ms === null ? m : Math.max(m ?? 0, a.p95Ms)), null);
  const errorRate = requests > 0 ? errors / requests : null;
  const breached = (monitor.latencyP95Ms !== null && p95 !== null && p95 > monitor.latencyP95Ms) || (monitor.errorRate !== null && errorRate !== null && errorRate > monitor.errorRate);
  return writeReport(
    monitor.id,
    "serving",
    { windowStart: bounds.start, windowEnd: bounds.end, rows: requests, figures: toJsonValue({ requests, errors, errorRate, p95Ms: p95, arms }), verdict: requests === 0 ? "insufficient" : breached ? "drifted" : "ok", note: requests === 0 ? "No requests in the window" : null },
    partial,
  );
}

/**
 * Runs a monitor for the window ending at `windowEnd` (the tick queues enabled monitors only; runNow any);
 * a dataset-window monitor judges `datasetVersionId` (or the latest version) instead. A deleted monitor
 * or deployment is skipped.
 */
export async function runDriftJob(args: { monitorId: string; windowEnd: Date; partial: boolean; datasetVersionId?: string | null }): Promise<void> {
  const monitor = await db().monitor.findUnique({ where: { id: args.monitorId } });
  if (!monitor) return;
  const deployment = await db().deployment.findUnique({ where: { id: monitor.deploymentId }, select: { stableVersionId: true, candidateVersionId: true } });
  if (!deployment) return;
  const window = ZWindow.parse(monitor.window);
  if (window.kind === "dataset") {
    const report = await datasetReport(monitor, window.datasetId, deployment.stableVersionId, args.datasetVersionId ?? null);
    await db().monitor.update({ where: { id: monitor.id }, data: { lastRunAt: new Date() } });
    if (report) await evaluateRules(monitor, report);
    return;
  }
  const versionIds = [deployment.stableVersionId, ...(deployment.candidateVersionId ? [deployment.candidateVersionId] : [])];
  const data = await dataReport(monitor, deployment, args.windowEnd, args.partial);
  // Concept and serving reports read time windows; a rows window reads the hour before windowEnd for them.
  const bounds = timeWindow(window, args.windowEnd, args.partial) ?? { start: new Date(args.windowEnd.getTime() - HOUR), end: args.windowEnd };
  const concept = await conceptReport(monitor, versionIds, bounds, args.partial);
  const serving = await servingReport(monitor, versionIds, bounds, args.partial);
  await db().monitor.update({ where: { id: monitor.id }, data: { lastRunAt: new Date() } });
  for (const report of [data, concept, serving]) if (report) await evaluateRules(monitor, report);
}
