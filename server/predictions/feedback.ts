import { utcBound } from "../lib/sql-time";
import { pool } from "../db";
import { AppError } from "../errors";
import { z } from "zod";
import { ZFeedbackLabel, type FeedbackItem, type FeedbackResult, type PredictionPage, type PredictionsQuery } from "./schemas";

/**
 * Stores ground truth for served requests, whether or not their prediction is logged yet (labels
 * may arrive before the log's flush). Posting the same labels for a request id again is accepted
 * and writes nothing (clients retry); different labels for a stored id are a CONFLICT, and then
 * nothing of the request is written.
 */
export async function recordFeedback(args: { projectId: string; deploymentId: string; items: FeedbackItem[] }): Promise<FeedbackResult> {
  const ids = args.items.map((i) => i.requestId);
  const labels = args.items.map((i) => JSON.stringify(i.labels));
  const client = await pool().connect();
  try {
    await client.query("BEGIN");
    // ON CONFLICT DO NOTHING also settles two concurrent posts of one id: the loser compares below.
    const inserted = await client.query<{ requestId: string }>(
      `INSERT INTO "PredictionFeedback" ("projectId", "deploymentId", "requestId", labels)
       SELECT $1, $2, u.r, u.l::jsonb FROM unnest($3::text[], $4::text[]) AS u(r, l)
       ON CONFLICT ("deploymentId", "requestId") DO NOTHING RETURNING "requestId"`,
      [args.projectId, args.deploymentId, ids, labels],
    );
    const differing = await client.query<{ requestId: string }>(
      `SELECT DISTINCT f."requestId" FROM "PredictionFeedback" f JOIN unnest($2::text[], $3::text[]) AS u(r, l) ON f."requestId" = u.r
       WHERE f."deploymentId" = $1 AND f.labels <> u.l::jsonb ORDER BY 1 LIMIT 5`,
      [args.deploymentId, ids, labels],
    );
    if (differing.rows.length > 0) {
      throw new AppError("CONFLICT", `Different feedback is already stored for request ${differing.rows.map((r) => r.requestId).join(", ")}; feedback cannot be changed`);
    }
    await client.query("COMMIT");
    const stored = inserted.rows.length;
    return { stored, unchanged: args.items.length - stored };
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** One logged prediction with the ground truth posted for its request. */
export interface JoinedPrediction {
  requestId: string;
  versionId: string;
  role: "primary" | "shadow";
  inputs: unknown;
  outputs: unknown;
  labels: z.infer<typeof ZFeedbackLabel>[];
  latencyMs: number;
  predictedAt: Date;
  labelledAt: Date;
}

const ZLabels = z.array(ZFeedbackLabel);

/**
 * (prediction, label) pairs of a deployment for online metrics: predictions logged at or after
 * `since` whose request has feedback, oldest first. A label posted before its prediction was
 * flushed joins as soon as the prediction is written. Callers resolve the deployment first.
 * createdAt is UTC without a zone: the bound goes through utcBound so a process outside UTC compares the same instant.
 */
export async function joinFeedback(deploymentId: string, opts: { since?: Date; role?: "primary" | "shadow"; limit?: number } = {}): Promise<JoinedPrediction[]> {
  const limit = Math.min(Math.max(1, Math.floor(opts.limit ?? 10_000)), 100_000);
  const { rows } = await pool().query<Omit<JoinedPrediction, "labels"> & { labels: unknown }>(
    `SELECT l."requestId", l."versionId", l.role, l.inputs, l.outputs, f.labels, l."latencyMs",
            l."createdAt" AS "predictedAt", f."createdAt" AS "labelledAt"
     FROM "PredictionLog" l JOIN "PredictionFeedback" f ON f."deploymentId" = l."deploymentId" AND f."requestId" = l."requestId"
     WHERE l."deploymentId" = $1 AND l."createdAt" >= ${utcBound("$2")} AND ($3::text IS NULL OR l.role = $3)
     ORDER BY l."createdAt", l.id LIMIT $4`,
    [deploymentId, opts.since ?? new Date(0), opts.role ?? null, limit],
  );
  return rows.map((r) => ({ ...r, role: r.role === "shadow" ? "shadow" : "primary", labels: ZLabels.parse(r.labels) }));
}

/** A page of a deployment's logged predictions with their feedback where it has arrived. */
export async function listPredictions(deploymentId: string, q: PredictionsQuery): Promise<PredictionPage> {
  const { rows } = await pool().query<{ id: string; requestId: string; versionId: string; role: string; inputs: unknown; outputs: unknown; latencyMs: number; predictedAt: Date; labels: unknown; labelledAt: Date | null }>(
    `SELECT l.id::text, l."requestId", l."versionId", l.role, l.inputs, l.outputs, l."latencyMs", l."createdAt" AS "predictedAt", f.labels, f."createdAt" AS "labelledAt"
     FROM "PredictionLog" l LEFT JOIN "PredictionFeedback" f ON f."deploymentId" = l."deploymentId" AND f."requestId" = l."requestId"
     WHERE l."deploymentId" = $1 AND l.id > $2::int8 AND l."createdAt" >= ${utcBound("$3")} AND ($4::text IS NULL OR l.role = $4) AND (NOT $5 OR f.id IS NOT NULL)
     ORDER BY l.id LIMIT $6`,
    [deploymentId, q.after ?? "0", q.since ? new Date(q.since) : new Date(0), q.role ?? null, q.labelled, q.limit + 1],
  );
  const page = rows.slice(0, q.limit);
  return {
    predictions: page.map((r) => ({
      id: r.id,
      requestId: r.requestId,
      versionId: r.versionId,
      role: r.role === "shadow" ? "shadow" : "primary",
      inputs: r.inputs,
      outputs: r.outputs,
      latencyMs: r.latencyMs,
      predictedAt: r.predictedAt.toISOString(),
      labels: r.labels === null ? null : ZLabels.parse(r.labels),
      labelledAt: r.labelledAt?.toISOString() ?? null,
    })),
    next: rows.length > q.limit ? page[page.length - 1]!.id : null,
  };
}
