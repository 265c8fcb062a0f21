/**
 * Cairn's built-in trainers: ridge and logistic regression, gradient-boosted trees; all export ONNX.
 *
 * A training job fits an encoding spec on the training split and builds TrainingData per split with it
 * (server/ml/features: fitEncodingSpec, encodeTrainingData), calls one trainer with the
 * validation split in its options, logs `history` as run metrics (step = round), stores `toOnnx()`
 * as the model artifact and registers `modelSignature(bytes)` as the model version's signature.
 */
export type { FeatureColumns, FeatureSpec, HistoryEntry, Task, TrainedModel, TrainingData, TrainResult } from "./types";
export { columnsFromRecords, takeRows, takeTrainingRows, trainingDataFromRecords, type Cell } from "./data";
export { ridgeRegression, type RidgeOptions } from "./ridge";
export { logisticRegression, type LogisticOptions } from "./logistic";
export { LinearModel } from "./linear-model";
export { gbdt, type GbdtOptions } from "./gbdt/boosting";
export { GbdtModel } from "./gbdt/model";
export { accuracy, logLoss, rmse } from "./metrics";
export { modelSignature, type ModelSignature, type TensorSignature } from "../onnx/signature";
export { OUTPUT_NAMES } from "../onnx/features";
