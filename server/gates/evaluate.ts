/**
 * The gate.evaluate job: scores the challenger and the champion, each through its own stored encoding
 * spec, on the same rows (a split of the challenger's training dataset version), runs every check the
 * policy revision requires and stores the report with its SHA-256. DONE or FAILED is written once.
 */
import { db } from "../db";
import { AppError } from "../errors";
import { emitEvent } from "../events/outbox";
import { gateReportCompleted } from "../events/definitions";
import { StoredDataError, toJsonValue } from "../lib/stored-json";
import { encodeTarget, type RawRow } from "../ml/features";
import { reportSha256 } from "./canonical";
import { championCheck, fairnessCheck, relativeCheck, thresholdsCheck, type Scored } from "./checks";
import { budgetsCheck, dataValidationCheck, robustnessCheck, signatureCheck } from "./model-checks";
import { cellText, dataRolesOf, loadRows, scorerOf, type VersionRow } from "./scoring";
import { storedPolicy, taskOf } from "./policies";
import type { GateCheck, GateReportJson } from "./schemas";

/** Runs one check; a check that cannot be computed is reported as "error" instead of failing the whole report. */
async function attempt(name: GateCheck["name"], fn: () => GateCheck | Promise<GateCheck>): Promise<GateCheck> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof AppError || err instanceof RangeError || err instanceof StoredDataError)) throw err;
    // A name with null evidence fits that name's member of the union; TS cannot correlate the two here.
    return { name, status: "error", summary: err.message, skipped: null, evidence: null } as GateCheck;
  }
}

async function evaluate(reportId: string, signal?: AbortSignal): Promise<GateReportJson> {
  const started = performance.now();
  const report = await db().gateReport.findUniqueOrThrow({ where: { id: reportId }, include: { policy: true } });
  const version = await db().modelVersion.findFirst({ where: { id: report.versionId, projectId: report.projectId } });
  const model = await db().registeredModel.findFirst({ where: { id: report.modelId, projectId: report.projectId } });
  if (!version || !model) throw new AppError("NOT_FOUND", "The version or its model is gone");
  const champion = report.championVersionId ? await db().modelVersion.findFirst({ where: { id: report.championVersionId, modelId: model.id } }) : null;
  if (report.championVersionId && !champion) throw new AppError("NOT_FOUND", "The champion version is gone");
  const policy = storedPolicy(report.policy);
  const task = taskOf(model);
  const split = policy.data.split;
  const roles = await dataRolesOf(version);
  const { dataVersion, dataset, rows: all } = await loadRows(report.projectId, version, roles, split, signal);
  const challengerScorer = await scorerOf(version, task);
  let championScorer: Awaited<ReturnType<typeof scorerOf>> | null = null;
  try {
    championScorer = champion ? await scorerOf(champion, task) : null;
    const spec = challengerScorer.spec;
    const target = spec.target!;
    if (championScorer && championScorer.spec.target?.name !== target.name) {
      throw new AppError("PRECONDITION_FAILED", `The champion predicts "${championScorer.spec.target?.name}" but the challenger predicts "${target.name}"`);
    }
    const yAll = encodeTarget(spec, all);
    const keep = [...yAll.keys()].filter((i) => Number.isFinite(yAll[i]!));
    if (keep.length === 0) throw new AppError("PRECONDITION_FAILED", `No row of the ${split} split of ${dataset.slug} v${dataVersion.number} has a target the model can read`);
    const rows: RawRow[] = keep.map((i) => all[i]!);
    const yTrue = Float64Array.from(keep, (i) => yAll[i]!);
    // Both models are scored on exactly these rows, in this order: the pairing every paired test relies on.
    const challenger: Scored = { task, yTrue, scores: await challengerScorer.score(rows), threshold: policy.data.threshold };
    let championScored: Scored | null = null;
    if (championScorer) {
      const yChampion = encodeTarget(championScorer.spec, rows);
      if (yChampion.some((y, i) => y !== yTrue[i])) throw new AppError("PRECONDITION_FAILED", "The champion's encoding reads the target differently (another positive label?); the models cannot be compared on the same rows");
      championScored = { task, yTrue, scores: await championScorer.score(rows), threshold: policy.data.threshold };
    }

    const c = policy.checks;
    const checks: GateCheck[] = [];
    if (c.thresholds?.length) checks.push(await attempt("thresholds", () => thresholdsCheck(policy, challenger)));
    if (c.relative?.length) checks.push(await attempt("relative", () => relativeCheck(policy, challenger, championScored)));
    if (c.champion) checks.push(await attempt("champion", () => championCheck(policy, challenger, championScored)));
    if (c.fairness) {
      const name = c.fairness.column;
      const column = dataVersion.columns.includes(name) ? { name, values: rows.map((r) => cellText(r[name])) } : null;
      checks.push(await attempt("fairness", () => fairnessCheck(policy, challenger, column)));
    }
    if (c.data_validation) checks.push(await attempt("data_validation", () => dataValidationCheck(report.projectId, roles)));
    if (c.robustness) checks.push(await attempt("robustness", () => robustnessCheck(policy, { spec, rows, yTrue, scorer: challengerScorer, threshold: policy.data.threshold })));
    if (c.budgets) checks.push(await attempt("budgets", () => budgetsCheck(policy, { scorer: challengerScorer, rows, sizeBytes: Number(version.sizeBytes) })));
    if (c.signature) checks.push(await attempt("signature", () => signatureCheck(policy, version.signature, champion?.signature ?? null)));

    const summary = (v: VersionRow) => ({ versionId: v.id, number: v.number, sha256: v.sha256 });
    return {
      schemaVersion: 1,
      passed: checks.every((k) => k.status === "pass"),
      checks,
      challenger: summary(version),
      champion: champion ? summary(champion) : null,
      rows: { datasetVersionId: dataVersion.id, dataset: dataset.slug, number: dataVersion.number, split, count: rows.length },
      policyRevision: { id: report.policy.id, revision: report.policy.revision },
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    await challengerScorer.release();
    await championScorer?.release();
  }
}

/** DONE (with the event) or FAILED, written only by the delivery that moves the report out of RUNNING. */
async function finish(report: { id: string; projectId: string; modelId: string; versionId: string; policyRevisionId: string }, outcome: { json: GateReportJson } | { error: string }) {
  await db().$transaction(async (tx) => {
    const data =
      "json" in outcome
        ? { status: "DONE" as const, passed: outcome.json.passed, report: toJsonValue(outcome.json), sha256: reportSha256(outcome.json), error: null, completedAt: new Date() }
        : { status: "FAILED" as const, passed: null, error: outcome.error.slice(0, 2000), completedAt: new Date() };
    const moved = await tx.gateReport.updateMany({ where: { id: report.id, status: "RUNNING" }, data });
    if (moved.count !== 1) return;
    await emitEvent(tx, gateReportCompleted, {
      projectId: report.projectId,
      payload: { modelId: report.modelId, versionId: report.versionId, reportId: report.id, policyRevisionId: report.policyRevisionId, passed: "json" in outcome ? outcome.json.passed : null },
    });
  });
}

/**
 * The job body; a report already DONE or FAILED is left alone, so a redelivered job changes nothing.
 * An unexpected error is retried by the queue; on the `lastAttempt` it fails the report instead, so
 * no report stays RUNNING after its job has given up.
 */
export async function runGateJob(reportId: string, opts: { signal?: AbortSignal; lastAttempt?: boolean } = {}): Promise<void> {
  const report = await db().gateReport.findUnique({ where: { id: reportId } });
  if (!report || report.status === "DONE" || report.status === "FAILED") return;
  await db().gateReport.updateMany({ where: { id: report.id, status: { in: ["PENDING", "RUNNING"] } }, data: { status: "RUNNING" } });
  let outcome: { json: GateReportJson } | { error: string };
  try {
    outcome = { json: await evaluate(report.id, opts.signal) };
  } catch (err) {
    const expected = err instanceof AppError || err instanceof StoredDataError || err instanceof RangeError;
    if (!expected && !opts.lastAttempt) throw err;
    outcome = { error: expected ? (err as Error).message : `The gate could not be evaluated: ${String((err as Error).message ?? err).split("\n")[0]}` };
  }
  await finish(report, outcome);
}
