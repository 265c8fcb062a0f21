/** Per-round pieces of boosting kept in small functions so the JIT optimises each on its own. */
import type { Rng } from "../../random";
import { sigmoid, taskMetrics } from "../metrics";
import type { Task } from "../types";

/** Gradient and hessian of the loss at the current margins, interleaved per row in `gh`. */
export function computeGradients(task: Task, margin: Float64Array, y: Float64Array, gh: Float64Array): void {
  const n = y.length;
  if (task === "binary") {
    for (let i = 0; i < n; i++) {
      const p = sigmoid(margin[i]!);
      gh[2 * i] = p - y[i]!;
      // A floor keeps confident rows from producing a zero hessian (and an empty-looking child).
      gh[2 * i + 1] = Math.max(p * (1 - p), 1e-16);
    }
  } else {
    for (let i = 0; i < n; i++) {
      gh[2 * i] = margin[i]! - y[i]!;
      gh[2 * i + 1] = 1;
    }
  }
}

/** Bernoulli row sampling: fills `sampled` and `unsampled`, returns how many were sampled (at least one). */
export function sampleRows(rng: Rng, n: number, subsample: number, sampled: Uint32Array, unsampled: Uint32Array): number {
  if (subsample >= 1) {
    for (let i = 0; i < n; i++) sampled[i] = i;
    return n;
  }
  let count = 0;
  let others = 0;
  for (let i = 0; i < n; i++) {
    if (rng.next() < subsample) sampled[count++] = i;
    else unsampled[others++] = i;
  }
  if (count === 0) sampled[count++] = unsampled[--others]!;
  return count;
}

/** The task's metrics from margins; `scratch` (length ≥ rows) receives probabilities for binary tasks. */
export function marginMetrics(task: Task, split: string, y: Float64Array, margin: Float64Array, scratch: Float64Array): Record<string, number> {
  if (task === "regression") return taskMetrics(task, split, y, margin);
  for (let i = 0; i < y.length; i++) scratch[i] = sigmoid(margin[i]!);
  return taskMetrics(task, split, y, scratch.subarray(0, y.length));
}
