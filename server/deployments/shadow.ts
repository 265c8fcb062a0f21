/**
 * Shadow comparison: the stable version's answers against the shadow candidate's scores of the same
 * mirrored requests. Each shadow log entry is joined to its primary entry by request id (and identical inputs),
 * then row by row; agreement, difference statistics and segments are computed in one SQL statement,
 * so a window of 100k logged requests never travels to Node.
 */
import { pool } from "../db";
import { AppError } from "../errors";
import { analysedVersion, deploymentRow } from "./analysis";
import { utcBound } from "../lib/sql-time";
import type { ShadowReportDto } from "./schemas";

/** The window when `since` is not given. */
export const SHADOW_DEFAULT_DAYS = 7;
/** The most recent shadow-scored requests compared at most; older ones in the window are left out (and `window.capped` says so). */
export const SHADOW_MAX_REQUESTS = 100_000;
/** Regression agreement: |candidate − stable| within this share of stable's prediction spread (p95 − p5). */
export const SHADOW_TOLERANCE = 0.05;
/** Binary agreement: both predict the same class at this probability threshold (the evaluation default). */
export const SHADOW_THRESHOLD = 0.5;
/** Categorical segments listed one by one; the rest are summed under "(other)". */
export const SHADOW_MAX_SEGMENTS = 20;
/** Quantile bins of a numeric segment feature (quartiles). */
const NUMERIC_EDGES = [0.25, 0.5, 0.75];

const MISSING = "(missing)";
const OTHER = "(other)";
const NUMBER_TEXT = String.raw`^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$`;

// $1 deployment, $2 stable, $3 candidate, $4 since, $5 cap, $6 segment feature, $7 numeric feature,
// $8 binary task, $9 threshold, $10 tolerance share, $11 bin quantiles.
const REPORT_SQL = `
WITH sh AS (
  SELECT id, "requestId", inputs, outputs FROM "PredictionLog"
  WHERE "deploymentId" = $1 AND role = 'shadow' AND "versionId" = $3 AND "createdAt" >= ${utcBound("$4")}
  ORDER BY id DESC LIMIT $5
), pairs AS (
  SELECT (a.v)::float8 AS s, (sh.outputs -> (a.i - 1)::int)::float8 AS c,
         CASE WHEN $6::text IS NULL THEN NULL ELSE sh.inputs -> (a.i - 1)::int ->> $6::text END AS seg
  FROM sh
  -- Each shadow scoring mirrors one answered request. A client may reuse a request id, so the
  -- primary entry must also have the same inputs, and the nearest one in log order wins.
  JOIN LATERAL (
    SELECT x.outputs FROM "PredictionLog" x
    WHERE x."requestId" = sh."requestId" AND x."deploymentId" = $1 AND x.role = 'primary' AND x."versionId" = $2 AND x.inputs = sh.inputs
    ORDER BY abs(x.id - sh.id) LIMIT 1
  ) p ON true
  CROSS JOIN LATERAL jsonb_array_elements(p.outputs) WITH ORDINALITY AS a(v, i)
  WHERE jsonb_typeof(a.v) = 'number' AND jsonb_typeof(sh.outputs -> (a.i - 1)::int) = 'number'
), spread AS (
  SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY s) - percentile_cont(0.05) WITHIN GROUP (ORDER BY s) AS width FROM pairs
), keyed AS (
  SELECT c - s AS d,
         CASE WHEN $8::bool THEN (s >= $9::float8) = (c >= $9::float8) ELSE abs(c - s) <= $10::float8 * (SELECT width FROM spread) END AS agree,
         CASE WHEN $7::bool AND seg ~ '${NUMBER_TEXT}' THEN seg::float8 END AS x,
         seg
  FROM pairs
), edges AS (
  SELECT percentile_cont($11::float8[]) WITHIN GROUP (ORDER BY x) AS e FROM keyed WHERE x IS NOT NULL
), grouped AS (
  SELECT d, agree, CASE WHEN NOT $7::bool THEN seg WHEN x IS NULL THEN NULL ELSE width_bucket(x, (SELECT e FROM edges))::text END AS g FROM keyed
)
SELECT GROUPING(g) = 1 AS total, g, count(*)::int AS pairs, (count(*) FILTER (WHERE agree))::int AS agreeing,
       avg(abs(d)) AS "meanAbs", percentile_cont(0.95) WITHIN GROUP (ORDER BY abs(d)) AS "p95Abs", max(abs(d)) AS "maxAbs", avg(d) AS "meanSigned",
       (SELECT e FROM edges) AS edges, (SELECT width FROM spread) AS spread
FROM grouped GROUP BY GROUPING SETS ((), (g))`;

interface Row {
  total: boolean;
  g: string | null;
  pairs: number;
  agreeing: number;
  meanAbs: number | null;
  p95Abs: number | null;
  maxAbs: number | null;
  meanSigned: number | null;
  edges: number[] | null;
  spread: number | null;
}

/** A bin edge as people read it: four significant digits, no trailing zeros. */
const fmt = (x: number) => String(Number(x.toPrecision(4)));

/** Readable labels of width_bucket's buckets 0..k for edges e1..ek. */
function binLabel(bucket: number, edges: number[]): string {
  if (bucket === 0) return `< ${fmt(edges[0]!)}`;
  if (bucket >= edges.length) return `≥ ${fmt(edges[edges.length - 1]!)}`;
  return `[${fmt(edges[bucket - 1]!)}, ${fmt(edges[bucket]!)})`;
}

/** The shadow report of a deployment over `since` (default the last SHADOW_DEFAULT_DAYS days). */
export async function shadowReport(args: { projectId: string; deploymentId: string; segmentBy?: string; since?: string; now?: Date; maxRequests?: number; maxSegments?: number }): Promise<ShadowReportDto> {
  const maxRequests = args.maxRequests ?? SHADOW_MAX_REQUESTS;
  const maxSegments = Math.max(2, args.maxSegments ?? SHADOW_MAX_SEGMENTS);
  const dep = await deploymentRow(args.projectId, args.deploymentId);
  const stable = await analysedVersion(args.projectId, dep.stableVersionId);
  const since = args.since ? new Date(args.since) : new Date((args.now ?? new Date()).getTime() - SHADOW_DEFAULT_DAYS * 86_400_000);
  const features = stable.spec?.features ?? null;
  let segmentBy = args.segmentBy ?? features?.find((f) => f.kind === "categorical")?.name ?? null;
  if (args.segmentBy !== undefined && features && !features.some((f) => f.name === args.segmentBy)) {
    throw new AppError("BAD_REQUEST", `segmentBy: "${args.segmentBy}" is not a feature of the model (features: ${features.map((f) => f.name).join(", ")})`);
  }
  if (segmentBy === "") segmentBy = null;
  const numeric = features?.find((f) => f.name === segmentBy)?.kind === "numeric";
  const binary = stable.task === "binary";
  const candidateVersionId = dep.candidateVersionId;

  const rows: Row[] = candidateVersionId
    ? (await pool().query<Row>(REPORT_SQL, [dep.id, stable.id, candidateVersionId, since, maxRequests, segmentBy, numeric, binary, SHADOW_THRESHOLD, SHADOW_TOLERANCE, NUMERIC_EDGES])).rows
    : [];
  const { rows: older } = await pool().query(
    `SELECT 1 FROM "PredictionLog" WHERE "deploymentId" = $1 AND role = 'shadow' AND "versionId" = $2 AND "createdAt" >= ${utcBound("$3")} ORDER BY id DESC OFFSET $4 LIMIT 1`,
    [dep.id, candidateVersionId, since, maxRequests],
  );

  const total = rows.find((r) => r.total);
  const pairs = total?.pairs ?? 0;
  const rate = (r: { pairs: number; agreeing: number }) => (r.pairs > 0 ? r.agreeing / r.pairs : null);
  let segments = rows
    .filter((r) => !r.total)
    .map((r) => ({ key: r.g, value: r.g === null ? MISSING : numeric ? binLabel(Number(r.g), r.edges ?? []) : r.g, pairs: r.pairs, agreeing: r.agreeing, sumAbs: (r.meanAbs ?? 0) * r.pairs }));
  if (numeric) segments.sort((a, b) => (a.key === null ? 1 : b.key === null ? -1 : Number(a.key) - Number(b.key)));
  else {
    segments.sort((a, b) => b.pairs - a.pairs || a.value.localeCompare(b.value));
    if (segments.length > maxSegments) {
      const rest = segments.slice(maxSegments - 1);
      segments = [...segments.slice(0, maxSegments - 1), rest.reduce((o, s) => ({ ...o, pairs: o.pairs + s.pairs, agreeing: o.agreeing + s.agreeing, sumAbs: o.sumAbs + s.sumAbs }), { key: OTHER, value: OTHER, pairs: 0, agreeing: 0, sumAbs: 0 })];
    }
  }
  const spread = total?.spread ?? null;
  return {
    deploymentId: dep.id,
    stableVersionId: stable.id,
    candidateVersionId,
    pairs,
    agreementRule: binary
      ? `same class (both probabilities ≥ ${SHADOW_THRESHOLD} or both below)`
      : `|Δ| ≤ ${SHADOW_TOLERANCE * 100} % of stable's prediction spread (p95 − p5${spread === null ? "" : ` = ${fmt(spread)}`})`,
    agreementRate: total ? rate(total) : null,
    diff: total && pairs > 0 ? { meanAbs: total.meanAbs!, p95Abs: total.p95Abs!, maxAbs: total.maxAbs!, meanSigned: total.meanSigned! } : null,
    segmentBy,
    segments: segments.map((s) => ({ value: s.value, pairs: s.pairs, agreementRate: rate(s), meanAbsDiff: s.pairs > 0 ? s.sumAbs / s.pairs : null })),
    window: { since: since.toISOString(), maxRequests, capped: older.length > 0 },
  };
}
