/**
 * The batch scoring job: reads the source version in the decoder's batches, scores each batch with the
 * evaluation scorer (server/evaluation/score.ts) through the model version's encoding spec, and streams
 * CSV (source columns + prediction) into the ordinary dataset ingest, which writes the derived version
 * with its lineage (derived_from the source, scored_by the model version) in one transaction. Bytes
 * flow with backpressure, so the dataset never sits in memory; a failure leaves no version behind.
 */
import { once } from "node:events";
import { PassThrough } from "node:stream";
import { db } from "../db";
import { AppError } from "../errors";
import { csvField } from "../datasets/splits";
import { ingestVersion } from "../datasets/ingest";
import { readStoredTable } from "../datasets/read";
import { getVersionRow } from "../datasets/versions";
import { readArtifactBytes } from "../evaluation/encoding";
import { createScorer } from "../evaluation/score";
import type { Cell, EncodingSpec } from "../ml/features";
import type { RawValue } from "../ml/profile";
import { readStored } from "../lib/stored-json";
import { checkColumns, probabilityColumn, specOfVersion } from "./batch";
import { ZBatchOptions } from "./schemas";

/** Thrown into the reader when the ingest stopped taking bytes; the ingest's own error is the one reported. */
const WRITER_STOPPED = new Error("The derived version's writer stopped");

/** How often progress is written while rows are scored. */
const PROGRESS_MS = 1000;

/** The labels a binary model's predictions are written as: the spec's first positive and negative labels. */
function binaryLabels(spec: EncodingSpec): [string, string] {
  const t = spec.target;
  return t?.task === "binary" ? [t.positive[0] ?? "1", t.negative[0] ?? "0"] : ["1", "0"];
}

/**
 * Runs one batch scoring. DONE or FAILED rows are left as they are, so a redelivered job writes
 * nothing twice; a rerun after a crash writes the same bytes, which ingest resolves to the version
 * already written. Caller mistakes (AppError) fail the row at once; other errors are retried and
 * fail it on the last attempt.
 */
export async function runBatchScoringJob(jobId: string, opts: { signal?: AbortSignal; lastAttempt?: boolean } = {}): Promise<void> {
  const job = await db().batchScoring.findUnique({ where: { id: jobId } });
  if (!job || job.status === "DONE" || job.status === "FAILED") return;
  await db().batchScoring.update({ where: { id: job.id }, data: { status: "RUNNING", startedAt: new Date(), rowsScored: 0, error: null } });
  try {
    const options = readStored(ZBatchOptions, job.options, `options of batch scoring ${job.id}`);
    const version = await db().modelVersion.findFirst({ where: { id: job.modelVersionId, projectId: job.projectId }, include: { model: { select: { name: true } } } });
    if (!version) throw new AppError("NOT_FOUND", "The model version was deleted");
    const source = await getVersionRow(job.projectId, job.sourceVersionId);
    const project = await db().project.findUniqueOrThrow({ where: { id: job.projectId }, select: { orgId: true } });
    const bytes = await readArtifactBytes(version.sha256);
    const spec = await specOfVersion(version, bytes);
    checkColumns(spec, version.task, source.columns, options.predictionColumn);
    const scorer = await createScorer(bytes, { spec, task: version.task === "binary" ? "binary" : "regression" });
    try {
      const binary = scorer.task === "binary";
      const [positive, negative] = binaryLabels(spec);
      const out = new PassThrough({ highWaterMark: 1 << 20 });
      // A read error destroys the stream to stop the ingest; it is reported through `reading`, not as an event.
      out.on("error", () => undefined);
      const header = [...source.columns, options.predictionColumn, ...(binary ? [probabilityColumn(options.predictionColumn)] : [])];
      out.write(`${header.map(csvField).join(",")}\n`);
      let scored = 0;
      let reported = Date.now();
      const sink = async (rows: RawValue[][], columns: string[]) => {
        const records = rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] as Cell])));
        const p = await scorer.score(records);
        let text = "";
        for (let i = 0; i < rows.length; i++) {
          const cells = rows[i]!.map(csvField);
          // String(number) is the shortest text that reads back as the same double.
          if (binary) cells.push(csvField(p[i]! >= options.threshold ? positive : negative), String(p[i]));
          else cells.push(String(p[i]));
          text += `${cells.join(",")}\n`;
        }
        scored += rows.length;
        if (!out.write(text)) await Promise.race([once(out, "drain"), once(out, "close")]);
        if (out.destroyed) throw WRITER_STOPPED;
        if (Date.now() - reported >= PROGRESS_MS) {
          reported = Date.now();
          await db().batchScoring.update({ where: { id: job.id }, data: { rowsScored: scored } });
        }
      };
      const reading = readStoredTable(source, sink, opts.signal).then(
        () => void out.end(),
        (err: unknown) => {
          out.destroy(err as Error);
          throw err;
        },
      );
      const written = ingestVersion({
        projectId: job.projectId,
        orgId: project.orgId,
        dataset: job.outputDataset,
        createDataset: true,
        actor: { type: "system", id: null, label: `batch:${job.id}` },
        body: out,
        fileName: `${job.outputDataset}.csv`,
        format: "CSV",
        parents: [source.id],
        transform: { name: "batch-score", params: { modelVersionId: version.id, model: `${version.model.name}:${version.number}`, batchScoringId: job.id } },
        // The output's columns follow the model (a binary model adds a probability column).
        allowSchemaChange: true,
        edges: [{ to: { kind: "model_version", id: version.id }, relation: "scored_by" }],
      }).catch((err: unknown) => {
        out.destroy();
        throw err;
      });
      // Both sides settle before the row is marked, so an aborted write has removed its bytes first.
      const [r, w] = await Promise.allSettled([reading, written]);
      if (w.status === "rejected" && (r.status === "fulfilled" || r.reason === WRITER_STOPPED)) throw w.reason;
      if (r.status === "rejected") throw r.reason;
      const derived = (w as PromiseFulfilledResult<Awaited<typeof written>>).value.version;
      await db().batchScoring.update({ where: { id: job.id }, data: { status: "DONE", rowsScored: scored, rowsTotal: scored, outputVersionId: derived.id, finishedAt: new Date() } });
    } finally {
      await scorer.release();
    }
  } catch (err) {
    if (!(err instanceof AppError) && !opts.lastAttempt) throw err;
    await db().batchScoring.update({ where: { id: job.id }, data: { status: "FAILED", error: (err as Error).message.slice(0, 2000), finishedAt: new Date() } });
  }
}
