/**
 * What a drift report compares: the reference (a dataset version's columns, read by the datasets' own
 * column collector, plus the served model's predictions on a sample of its rows) and the current window
 * (the raw rows and predictions of the deployment's primary prediction log, windowed by createdAt, or a
 * new dataset version read like the reference and scored in full).
 */
import { columnCollector } from "../datasets/column-reader";
import { readStoredTable } from "../datasets/read";
import { pool } from "../db";
import { readArtifactBytes } from "../evaluation/encoding";
import { createScorer } from "../evaluation/score";
import { utcBound } from "../lib/sql-time";
import type { ColumnData } from "../ml/column-data";
import { type CellReader, type Cell, type EncodingSpec, type RawRow } from "../ml/features";
import { categoricalColumnData, numericColumnData } from "../ml/monitor-stats";

/** Reference rows scored for the prediction-drift reference (the first rows of the file). */
export const PREDICTION_REFERENCE_ROWS = 20_000;
const PAGE = 5000;

export interface ReferenceData {
  columns: Map<string, ColumnData>;
  predictions: ColumnData | null;
  rows: number;
}

export interface StoredVersion {
  sha256: string;
  format: "CSV" | "JSONL" | "PARQUET";
  delimiter: string | null;
  encoding: string | null;
  columns: string[];
}

/** One pass over the reference version: the features' column data and (when the model can be loaded) its predictions on the first rows. */
export async function readReference(version: StoredVersion, features: string[], model: { sha256: string; task: "regression" | "binary"; spec: EncodingSpec }): Promise<ReferenceData> {
  const collector = columnCollector(version.columns, features);
  const sample: RawRow[] = [];
  let rows = 0;
  await readStoredTable(version, (batch, columns) => {
    for (const row of batch) {
      collector.push(row);
      rows++;
      if (sample.length < PREDICTION_REFERENCE_ROWS) sample.push(Object.fromEntries(columns.map((c, i) => [c, row[i] as Cell])));
    }
  });
  let predictions: ColumnData | null = null;
  if (sample.length > 0) {
    const scorer = await createScorer(await readArtifactBytes(model.sha256), { spec: model.spec, task: model.task });
    try {
      predictions = numericColumnData(await scorer.score(sample));
    } finally {
      await scorer.release();
    }
  }
  return { columns: collector.finish(), predictions, rows };
}

/** Why rows with these columns cannot be scored by the model (its input columns they lack), or null. */
export function lackingInputs(spec: EncodingSpec, columns: readonly string[]): string | null {
  const lacking = spec.features.map((f) => f.name).filter((name) => !columns.includes(name));
  return lacking.length > 0 ? `lacks the model's input column${lacking.length > 1 ? "s" : ""} ${lacking.map((c) => `"${c}"`).join(", ")}` : null;
}

/**
 * A dataset version as the current window (batch scoring): one pass reads the features with the
 * reference's own column collector (so both sides are typed and parsed alike) and scores every row with
 * the served model through the evaluation scorer batch inference uses (server/batch/job.ts), one decoder
 * batch at a time. Memory: the collectors' caps (per numeric column at most `exactValueCap` values, a
 * uniform sample beyond; per text column at most `distinctStringCap` exact counts), the predictions in
 * one more such column, and one decoder batch of raw rows; never the whole version.
 * `unscored` says why there are no predictions (the version lacks a model input column).
 */
export async function readDatasetWindow(version: StoredVersion, features: string[], model: { sha256: string; task: "regression" | "binary"; spec: EncodingSpec }): Promise<ReferenceData & { unscored: string | null }> {
  const collector = columnCollector(version.columns, features);
  const unscored = lackingInputs(model.spec, version.columns);
  const scorer = unscored ? null : await createScorer(await readArtifactBytes(model.sha256), { spec: model.spec, task: model.task });
  const predicted = columnCollector(["prediction"], ["prediction"]);
  let rows = 0;
  try {
    await readStoredTable(version, async (batch, columns) => {
      for (const row of batch) collector.push(row);
      rows += batch.length;
      if (!scorer) return;
      const inputs = model.spec.features.map((f) => [f.name, columns.indexOf(f.name)] as const);
      const scores = await scorer.score(batch.map((row) => Object.fromEntries(inputs.map(([name, i]) => [name, row[i] as Cell]))));
      for (const p of scores) predicted.push([p]);
    });
  } finally {
    await scorer?.release();
  }
  return { columns: collector.finish(), predictions: scorer ? (predicted.finish().get("prediction") ?? null) : null, rows, unscored };
}

export interface CurrentWindow {
  rows: number;
  /** Raw cells per feature, in row order. */
  cells: Map<string, Cell[]>;
  predictions: number[];
}

const cellOf = (v: unknown): Cell => (typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? v : null);

/**
 * The primary log entries of the versions in [from, to) — or, with `lastRows`, the newest that many rows
 * before `to` — flattened to rows. Entries are read by keyset on the log id, oldest first.
 */
export async function readWindow(args: { deploymentId: string; versionIds: string[]; from: Date | null; to: Date; features: string[]; lastRows?: number }): Promise<CurrentWindow & { firstAt: Date | null }> {
  const cells = new Map(args.features.map((f) => [f, [] as Cell[]]));
  const predictions: number[] = [];
  let rows = 0;
  let firstAt: Date | null = null;
  let lowerId = "0";
  if (args.lastRows !== undefined) {
    // The id of the oldest entry still needed for the newest `lastRows` rows (entries hold one or more rows).
    const { rows: found } = await pool().query<{ id: string | null }>(
      `SELECT min(id)::text AS id FROM (
         SELECT id, jsonb_array_length(outputs) AS n, sum(jsonb_array_length(outputs)) OVER (ORDER BY id DESC ROWS UNBOUNDED PRECEDING) AS acc FROM "PredictionLog"
         WHERE "deploymentId" = $1 AND role = 'primary' AND "versionId" = ANY($2::text[]) AND "createdAt" < ${utcBound("$3")} AND jsonb_typeof(outputs) = 'array'
       ) t WHERE acc - n < $4`,
      [args.deploymentId, args.versionIds, args.to, args.lastRows],
    );
    lowerId = found[0]?.id ? String(BigInt(found[0].id) - 1n) : "0";
  }
  let after = lowerId;
  for (;;) {
    const { rows: page } = await pool().query<{ id: string; inputs: unknown; outputs: unknown; createdAt: Date }>(
      `SELECT id::text, inputs, outputs, "createdAt" FROM "PredictionLog"
       WHERE "deploymentId" = $1 AND role = 'primary' AND "versionId" = ANY($2::text[])
         AND ($3::timestamptz IS NULL OR "createdAt" >= ${utcBound("$3")}) AND "createdAt" < ${utcBound("$4")} AND id > $5::int8
       ORDER BY id LIMIT $6`,
      [args.deploymentId, args.versionIds, args.from, args.to, after, PAGE],
    );
    for (const entry of page) {
      firstAt ??= entry.createdAt;
      const inputs = Array.isArray(entry.inputs) ? entry.inputs : [];
      const outputs = Array.isArray(entry.outputs) ? entry.outputs : [];
      inputs.forEach((row: unknown, i) => {
        const record = typeof row === "object" && row !== null ? (row as Record<string, unknown>) : {};
        for (const [f, list] of cells) list.push(cellOf(record[f]));
        const o = outputs[i];
        if (typeof o === "number" && Number.isFinite(o)) predictions.push(o);
        rows++;
      });
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.id;
  }
  return { rows, cells, predictions, firstAt };
}

/** A current column read as its reference column was typed: numbers through the spec's cell reader, or category texts. */
export function currentColumn(reference: ColumnData, cells: readonly Cell[], reader: CellReader): ColumnData {
  if (reference.kind === "numeric") return { ...numericColumnData(Float64Array.from(cells, (c) => reader.float(c))), type: reference.type };
  return categoricalColumnData(cells.map((c) => reader.category(c)));
}
