/**
 * Dynamic batching for the serving process: requests to one model that are waiting for it at the same
 * moment are scored in one ONNX Runtime run, as Triton's and TorchServe's batchers do. A run has a
 * fixed cost (tensors built, the session entered, outputs copied back) that one-row requests would
 * otherwise each pay; under load it is paid once per batch instead.
 *
 * Nothing waits for a batch to fill: the requests that reached `score` during one turn of the event
 * loop are scored together at its end (setImmediate), so an idle server answers a lone request as soon
 * as it would have unbatched. Rows go through the model's own scorer (the one encoder), and a row's
 * prediction does not depend on its neighbours. A model that cannot take batches (an export with a
 * fixed batch size of one) is found out by its first failed batch whose requests all pass alone, and
 * is not batched again.
 */
import type { Scorer } from "../evaluation/score";
import type { RawRow } from "../ml/features";

interface Waiting {
  rows: readonly RawRow[];
  resolve: (predictions: Float64Array) => void;
  reject: (err: unknown) => void;
}

export interface BatchingOptions {
  /** Most rows in one run; a request with at least this many rows is scored on its own. 1 turns batching off. */
  maxRows: number;
  /** Called with the number of requests and rows of every run (for /metrics). */
  onRun?: (requests: number, rows: number) => void;
}

/** `scorer` with its `score` batched; everything else (spec, task, release) is the scorer's own. */
export function batchingScorer<S extends Scorer>(scorer: S, opts: BatchingOptions): S {
  let queue: Waiting[] = [];
  let queuedRows = 0;
  let scheduled = false;

  let batchable = true;

  const alone = (w: Waiting) => {
    opts.onRun?.(1, w.rows.length);
    scorer.score(w.rows).then(w.resolve, w.reject);
  };

  async function run(batch: Waiting[]) {
    if (batch.length === 1) return alone(batch[0]!);
    const rows: RawRow[] = [];
    for (const w of batch) for (const row of w.rows) rows.push(row);
    let predictions: Float64Array;
    try {
      predictions = await scorer.score(rows);
    } catch {
      // One request must not fail the others it happened to share a run with: each is scored alone,
      // and only one that fails again gets the error. If none does, the batch itself was the fault.
      const results = await Promise.allSettled(
        batch.map((w) => {
          opts.onRun?.(1, w.rows.length);
          return scorer.score(w.rows);
        }),
      );
      // Decided before anyone is answered, so the next requests already go alone.
      if (results.every((r) => r.status === "fulfilled")) batchable = false;
      results.forEach((r, i) => (r.status === "fulfilled" ? batch[i]!.resolve(r.value) : batch[i]!.reject(r.reason)));
      return;
    }
    opts.onRun?.(batch.length, rows.length);
    let at = 0;
    for (const w of batch) {
      w.resolve(predictions.subarray(at, at + w.rows.length));
      at += w.rows.length;
    }
  }

  function flush() {
    scheduled = false;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    queuedRows = 0;
    void run(batch);
  }

  function score(rows: readonly RawRow[]): Promise<Float64Array> {
    if (!batchable || opts.maxRows <= 1 || rows.length >= opts.maxRows) {
      opts.onRun?.(1, rows.length);
      return scorer.score(rows);
    }
    return new Promise((resolve, reject) => {
      if (queuedRows + rows.length > opts.maxRows) flush();
      queue.push({ rows, resolve, reject });
      queuedRows += rows.length;
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
  }

  return { ...scorer, score };
}
