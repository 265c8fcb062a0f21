/** L2-regularised logistic regression by Newton's method (IRLS) with a backtracking line search. */
import { fitDesign, LinearModel } from "./linear-model";
import { solveSpd } from "./linear-algebra";
import { sigmoid, taskMetrics } from "./metrics";
import { checkTrainingData, checkValidationData, type HistoryEntry, type TrainingData, type TrainResult } from "./types";

/** Options of logisticRegression; every field has a default. */
export interface LogisticOptions {
  /** L2 penalty on the standardised coefficients; scikit-learn's C is 1 / alpha. Default 1. */
  alpha?: number;
  /** Newton iterations at most; default 100. */
  maxIter?: number;
  /** Stop when the largest gradient component (per row) falls below this; default 1e-10. */
  tol?: number;
  /** Rows to report validation log loss and accuracy on, per iteration. */
  validation?: TrainingData;
}

/** Minimises Σ logloss(y, σ(b + zβ)) + α/2·‖β‖² over the standardised one-hot design z. */
export function logisticRegression(data: TrainingData, options: LogisticOptions = {}): TrainResult<LinearModel> {
  const alpha = options.alpha ?? 1;
  const maxIter = options.maxIter ?? 100;
  const tol = options.tol ?? 1e-10;
  if (!(alpha >= 0 && Number.isFinite(alpha))) throw new RangeError("logistic: alpha must be a finite number ≥ 0");
  if (!(Number.isInteger(maxIter) && maxIter >= 1)) throw new RangeError("logistic: maxIter must be a positive integer");
  const n = checkTrainingData(data, "binary");
  if (options.validation) checkValidationData(data, options.validation, "binary");
  const params = { alpha, maxIter, tol };

  const { design, rows } = fitDesign(data.features, data);
  const d = design.d;
  const y = data.y;
  const beta = new Float64Array(d);
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i]!;
  // Starting from the base rate's log-odds, the first step is already close when features say little.
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, positives / n));
  beta[0] = Math.log(rate / (1 - rate));

  const objective = (b: Float64Array): { loss: number; scores: Float64Array } => {
    const scores = design.scores(rows, design.weightsFromStandard(b));
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const s = scores[i]!;
      // log(1 + e^s) − y·s, stable for large |s|.
      loss += Math.max(s, 0) + Math.log1p(Math.exp(-Math.abs(s))) - y[i]! * s;
    }
    let penalty = 0;
    for (let j = 1; j < d; j++) penalty += b[j]! * b[j]!;
    return { loss: loss + 0.5 * alpha * penalty, scores };
  };

  const valid = options.validation ? { y: options.validation.y, rows: design.encode(options.validation) } : null;
  const history: HistoryEntry[] = [];
  const record = (round: number, scores: Float64Array) => {
    const metrics = taskMetrics("binary", "train", y, scores.map(sigmoid));
    if (valid) Object.assign(metrics, taskMetrics("binary", "valid", valid.y, design.scores(valid.rows, design.weightsFromStandard(beta)).map(sigmoid)));
    history.push({ round, metrics });
  };

  let current = objective(beta);
  const w = new Float64Array(n);
  const residual = new Float64Array(n);
  for (let iter = 1; iter <= maxIter; iter++) {
    for (let i = 0; i < n; i++) {
      const p = sigmoid(current.scores[i]!);
      w[i] = p * (1 - p);
      residual[i] = p - y[i]!;
    }
    const gradient = design.vectorToStandard(design.cross(rows, residual));
    for (let j = 1; j < d; j++) gradient[j]! += alpha * beta[j]!;
    let largest = 0;
    for (let j = 0; j < d; j++) largest = Math.max(largest, Math.abs(gradient[j]!));
    if (largest / n < tol) break;

    const hessian = design.gramToStandard(design.gram(rows, w));
    for (let j = 1; j < d; j++) hessian[j * d + j]! += alpha;
    const step = solveSpd(hessian, d, gradient, "separable data or collinear columns with alpha = 0; use alpha > 0");
    let slope = 0;
    for (let j = 0; j < d; j++) slope += gradient[j]! * step[j]!;
    let t = 1;
    let candidate = beta.map((b, j) => b - step[j]!);
    let next = objective(candidate);
    // Armijo backtracking: Newton steps overshoot when the data are (nearly) separable.
    while (next.loss > current.loss - 1e-4 * t * slope && t > 1e-10) {
      t /= 2;
      candidate = beta.map((b, j) => b - t * step[j]!);
      next = objective(candidate);
    }
    // No step improves the loss: the optimum is as close as floating point gets.
    if (!(next.loss < current.loss)) break;
    beta.set(candidate);
    const improvement = current.loss - next.loss;
    current = next;
    record(iter, current.scores);
    if (improvement <= 1e-15 * Math.max(1, current.loss)) break;
  }
  if (history.length === 0) record(1, current.scores);
  return { model: new LinearModel("binary", "logistic", params, design, beta), history };
}
