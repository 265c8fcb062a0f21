/**
 * Online A/B comparison of a deployment's candidate against its stable version on feedback labels:
 * each labelled row of a primary log entry (feedback joined by request id and row) scores a per-row
 * metric for the version that answered it, and the difference of the arms' means gets an always-valid
 * interval (server/ml/sequential.ts), so the report may be read after every label.
 */
import { db, pool } from "../db";
import { AppError } from "../errors";
import { CellReader, encodeTarget, type EncodingSpec } from "../ml/features";
import { absoluteErrors, rowCorrect, rowLogLoss, squaredErrors } from "../ml/metrics";
import { DEFAULT_TIGHTEST_AT, differenceSequence } from "../ml/sequential";
import { RunningMoments } from "../ml/stats";
import { analysedVersion, deploymentRow, type AnalysedVersion } from "./analysis";
import { utcBound } from "../lib/sql-time";
import type { AbReportDto } from "./schemas";

/** Labelled rows each arm needs before a verdict: the interval's validity is asymptotic. */
export const AB_MIN_LABELS = 30;
/** The class threshold of `accuracy`, as the evaluation job's default. */
export const ONLINE_THRESHOLD = 0.5;
const PAGE = 5000;

export interface OnlineMetric {
  name: string;
  lowerIsBetter: boolean;
  /** Per-row values for encoded labels and the model's outputs (same length, all finite). */
  rows(labels: Float64Array, outputs: Float64Array): Float64Array;
}

/** Per-row metrics by task, defined by server/ml/metrics; the first of each task is the default. */
export const ONLINE_METRICS: Record<"regression" | "binary", OnlineMetric[]> = {
  regression: [
    { name: "mae", lowerIsBetter: true, rows: (y, p) => absoluteErrors(y, p) },
    { name: "mse", lowerIsBetter: true, rows: (y, p) => squaredErrors(y, p) },
  ],
  binary: [
    { name: "accuracy", lowerIsBetter: false, rows: (y, p) => rowCorrect(y, p, ONLINE_THRESHOLD) },
    { name: "logLoss", lowerIsBetter: true, rows: (y, p) => rowLogLoss(y, p) },
  ],
};

/** The online metric `name` of a task (its default when absent); an unknown name is BAD_REQUEST. */
export function onlineMetric(task: "regression" | "binary", name?: string): OnlineMetric {
  const metrics = ONLINE_METRICS[task];
  const found = name === undefined ? metrics[0] : metrics.find((m) => m.name === name);
  if (!found) throw new AppError("BAD_REQUEST", `metric: "${name}" is not an online metric of a ${task} model (use ${metrics.map((m) => m.name).join(" or ")})`);
  return found;
}

/**
 * Feedback labels as numbers the metrics take: through the version's target encoding when it has one
 * (so "yes"/"no" labels read as training read them), else numbers (regression) or 0/1 and booleans
 * (binary); NaN for a label that cannot be read (it is left out, not guessed).
 */
export function encodeLabels(task: "regression" | "binary", spec: EncodingSpec | null, labels: readonly unknown[]): Float64Array {
  const cells = labels.map((l) => (typeof l === "number" || typeof l === "string" || typeof l === "boolean" ? l : null));
  if (spec?.target && spec.target.task === task) return encodeTarget(spec, cells.map((c) => ({ [spec.target!.name]: c })));
  const reader = new CellReader(spec?.missingTokens ?? []);
  if (task === "regression") return Float64Array.from(cells, (c) => reader.float(c));
  return Float64Array.from(cells, (c) => {
    const key = reader.labelKey(c);
    return key === "1" ? 1 : key === "0" ? 0 : NaN;
  });
}

/** When the current candidate started answering: the latest "candidate" entry of the ledger. */
async function experimentStart(deploymentId: string): Promise<Date> {
  const entry = await db().deploymentLedgerEntry.findFirst({ where: { deploymentId, kind: "candidate" }, orderBy: { seq: "desc" }, select: { createdAt: true } });
  return entry?.createdAt ?? new Date(0);
}

/**
 * Labelled primary log entries of the versions since `since` (and before `until`, when given), page by
 * page (keyset on the log id); the one join of feedback to predictions for online metrics.
 */
export async function* labelledPages(deploymentId: string, versionIds: string[], since: Date, until: Date | null = null) {
  let after = "0";
  for (;;) {
    const { rows } = await pool().query<{ id: string; versionId: string; outputs: unknown; labels: unknown }>(
      `SELECT l.id::text, l."versionId", l.outputs, f.labels
       FROM "PredictionLog" l JOIN "PredictionFeedback" f ON f."deploymentId" = l."deploymentId" AND f."requestId" = l."requestId"
       WHERE l."deploymentId" = $1 AND l.role = 'primary' AND l."versionId" = ANY($2::text[]) AND l."createdAt" >= ${utcBound("$3")} AND l.id > $4::int8
         AND ($6::timestamptz IS NULL OR l."createdAt" < ${utcBound("$6")})
       ORDER BY l.id LIMIT $5`,
      [deploymentId, versionIds, since, after, PAGE, until],
    );
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]!.id;
  }
}

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** One version's (label, output) pairs of a page, row by row; outputs that are not finite numbers are left out. */
export function labelledPairs(page: readonly { versionId: string; outputs: unknown; labels: unknown }[], versionId: string): { labels: unknown[]; outputs: number[] } {
  const labels: unknown[] = [];
  const outputs: number[] = [];
  for (const entry of page) {
    if (entry.versionId !== versionId) continue;
    const ls = asArray(entry.labels);
    asArray(entry.outputs).forEach((o, i) => {
      if (i < ls.length && typeof o === "number" && Number.isFinite(o)) {
        labels.push(ls[i]);
        outputs.push(o);
      }
    });
  }
  return { labels, outputs };
}

/**
 * An online metric's per-row values, by version, over the labelled rows of a deployment's primary log
 * entries since `since` (feedback joined by request id and row): count, mean and variance per version.
 * Labels that cannot be read, and log loss of outputs that are not probabilities, are left out.
 */
export async function onlineMetricByVersion(args: { deploymentId: string; versions: AnalysedVersion[]; since: Date; metric: OnlineMetric }): Promise<Map<string, RunningMoments>> {
  const out = new Map(args.versions.map((v) => [v.id, new RunningMoments()]));
  for await (const page of labelledPages(args.deploymentId, args.versions.map((v) => v.id), args.since)) {
    for (const version of args.versions) {
      const { labels, outputs } = labelledPairs(page, version.id);
      const y = encodeLabels(version.task, version.spec, labels);
      const keep = [...y.keys()].filter((i) => Number.isFinite(y[i]!) && (args.metric.name !== "logLoss" || (outputs[i]! >= 0 && outputs[i]! <= 1)));
      const values = args.metric.rows(Float64Array.from(keep, (i) => y[i]!), Float64Array.from(keep, (i) => outputs[i]!));
      const m = out.get(version.id)!;
      for (const v of values) m.push(v);
    }
  }
  return out;
}

/** The A/B report of a deployment: per-arm metric means and the always-valid interval of their difference. */
export async function abReport(args: { projectId: string; deploymentId: string; metric?: string; alpha: number }): Promise<AbReportDto> {
  const dep = await deploymentRow(args.projectId, args.deploymentId);
  const stable = await analysedVersion(args.projectId, dep.stableVersionId);
  const candidate = dep.candidateVersionId ? await analysedVersion(args.projectId, dep.candidateVersionId) : null;
  const metric = onlineMetric(stable.task, args.metric);
  const method = `asymptotic confidence sequence (normal mixture; Waudby-Smith et al. 2023, Johari et al. 2022), difference of means, ρ tuned for ${DEFAULT_TIGHTEST_AT} labelled rows per arm; verdict from ${AB_MIN_LABELS} labelled rows per arm`;
  const since = candidate ? await experimentStart(dep.id) : new Date(0);
  const arms: AnalysedVersion[] = candidate ? [stable, candidate] : [stable];
  const ids = arms.map((a) => a.id);

  const { rows: counts } = await pool().query<{ versionId: string; n: string }>(
    `SELECT "versionId", count(*)::text AS n FROM "PredictionLog" WHERE "deploymentId" = $1 AND role = 'primary' AND "versionId" = ANY($2::text[]) AND "createdAt" >= ${utcBound("$3")} GROUP BY 1`,
    [dep.id, ids, since],
  );
  const requests = new Map(counts.map((c) => [c.versionId, Number(c.n)]));

  const moments = await onlineMetricByVersion({ deploymentId: dep.id, versions: arms, since, metric });
  const sm = moments.get(stable.id)!;
  const cm = candidate ? moments.get(candidate.id)! : null;
  const summary = (m: RunningMoments) => ({ count: m.count, mean: m.mean, variance: m.variance });
  const interval = cm ? differenceSequence(summary(sm), summary(cm), { alpha: args.alpha }) : null;
  const enough = cm !== null && sm.count >= AB_MIN_LABELS && cm.count >= AB_MIN_LABELS;
  let verdict: AbReportDto["verdict"] = "insufficient";
  if (enough && interval) {
    const better = metric.lowerIsBetter ? interval.upper < 0 : interval.lower > 0;
    const worse = metric.lowerIsBetter ? interval.lower > 0 : interval.upper < 0;
    verdict = better ? "candidate_better" : worse ? "stable_better" : "no_difference_yet";
  }
  const armDto = (a: AnalysedVersion, m: RunningMoments) => ({
    arm: a === stable ? ("stable" as const) : ("candidate" as const),
    versionId: a.id,
    requests: requests.get(a.id) ?? 0,
    labelled: m.count,
    value: m.count > 0 ? m.mean : null,
  });
  return {
    deploymentId: dep.id,
    metric: metric.name,
    lowerIsBetter: metric.lowerIsBetter,
    alpha: args.alpha,
    arms: candidate && cm ? [armDto(stable, sm), armDto(candidate, cm)] : [armDto(stable, sm)],
    difference: interval ? { estimate: interval.estimate, lower: interval.lower, upper: interval.upper } : null,
    verdict,
    method,
    since: candidate ? since.toISOString() : null,
  };
}
