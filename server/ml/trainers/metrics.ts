/** Losses the trainers report per round; binary scores are probabilities of class 1. */

/** Logistic function, written to stay finite for large |z|. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Root mean squared error. */
export function rmse(y: ArrayLike<number>, prediction: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const d = y[i]! - prediction[i]!;
    s += d * d;
  }
  return Math.sqrt(s / y.length);
}

// Probabilities are clipped as scikit-learn's log_loss does, so a confident mistake costs ~34.5, not ∞.
const EPS = 1e-15;

/** Mean binary cross-entropy of probabilities p for labels y ∈ {0, 1}. */
export function logLoss(y: ArrayLike<number>, p: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(1 - EPS, Math.max(EPS, p[i]!));
    s -= y[i]! === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return s / y.length;
}

/** Share of rows where p > 0.5 agrees with the label. */
export function accuracy(y: ArrayLike<number>, p: ArrayLike<number>): number {
  let right = 0;
  for (let i = 0; i < y.length; i++) if ((p[i]! > 0.5 ? 1 : 0) === y[i]!) right++;
  return right / y.length;
}

/** The task's metrics for one data split, keyed `<split>_<metric>`. */
export function taskMetrics(task: "regression" | "binary", split: string, y: ArrayLike<number>, prediction: ArrayLike<number>): Record<string, number> {
  if (task === "regression") return { [`${split}_rmse`]: rmse(y, prediction) };
  return { [`${split}_logloss`]: logLoss(y, prediction), [`${split}_accuracy`]: accuracy(y, prediction) };
}
