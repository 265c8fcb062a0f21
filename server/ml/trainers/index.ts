/** Cairn's built-in trainers: ridge and logistic regression, gradient-boosted trees; all export ONNX. */
export type { FeatureColumns, FeatureSpec, HistoryEntry, Task, TrainedModel, TrainingData, TrainResult } from "./types";
export { columnsFromRecords, takeRows, takeTrainingRows, trainingDataFromRecords, type Cell } from "./data";
export { ridgeRegression, type RidgeOptions } from "./ridge";
export { logisticRegression, type LogisticOptions } from "./logistic";
export { LinearModel } from "./linear-model";
export { gbdt, type GbdtOptions } from "./gbdt/boosting";
export { GbdtModel } from "./gbdt/model";
export { accuracy, logLoss, rmse } from "./metrics";
