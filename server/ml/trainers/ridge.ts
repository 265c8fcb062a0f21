/** Ridge regression in closed form on the standardised one-hot design (Cholesky on the normal equations). */
import { fitDesign, LinearModel } from "./linear-model";
import { solveSpd } from "./linear-algebra";
import { taskMetrics } from "./metrics";
import { checkTrainingData, checkValidationData, type TrainingData, type TrainResult } from "./types";

/** Options of ridgeRegression; every field has a default. */
export interface RidgeOptions {
  /** L2 penalty on the standardised coefficients (scikit-learn's Ridge alpha); default 1. */
  alpha?: number;
  /** Rows to report validation RMSE on. */
  validation?: TrainingData;
}

/** Fits y ≈ intercept + Zβ minimising ‖y − intercept − Zβ‖² + α‖β‖², Z the standardised design. */
export function ridgeRegression(data: TrainingData, options: RidgeOptions = {}): TrainResult<LinearModel> {
  const alpha = options.alpha ?? 1;
  if (!(alpha >= 0 && Number.isFinite(alpha))) throw new RangeError("ridge: alpha must be a finite number ≥ 0");
  checkTrainingData(data, "regression");
  if (options.validation) checkValidationData(data, options.validation, "regression");

  const { design, rows } = fitDesign(data.features, data);
  const d = design.d;
  const h = design.gramToStandard(design.gram(rows));
  // The intercept stays unpenalised, as in scikit-learn.
  for (let j = 1; j < d; j++) h[j * d + j]! += alpha;
  const beta = solveSpd(h, d, design.vectorToStandard(design.cross(rows, data.y)), "collinear or constant columns with alpha = 0; use alpha > 0");

  const model = new LinearModel("regression", "ridge", { alpha }, design, beta);
  const metrics = taskMetrics("regression", "train", data.y, model.predict(data));
  if (options.validation) Object.assign(metrics, taskMetrics("regression", "valid", options.validation.y, model.predict(options.validation)));
  return { model, history: [{ round: 1, metrics }] };
}
