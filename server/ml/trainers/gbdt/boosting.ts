/**
 * Gradient boosting with XGBoost's "hist" algorithm: squared error or log loss, quantile bins, depth-limited
 * trees, row subsampling and early stopping on a validation set.
 */
import { Rng } from "../../random";
import { checkTrainingData, checkValidationData, type HistoryEntry, type Task, type TrainingData, type TrainResult } from "../types";
import { binColumns, MISSING_BIN } from "./binning";
import { learnCategoryCodes, numericColumns, rowMajor } from "./features";
import { GbdtModel } from "./model";
import { computeGradients, marginMetrics, sampleRows } from "./objective";
import { addTree, addTreeBinned, type Tree } from "./tree";
import { TreeBuilder } from "./tree-builder";

/** Options of gbdt; every field has a default, as in XGBoost unless noted. */
export interface GbdtOptions {
  /** "regression" (squared error, default) or "binary" (log loss, y ∈ {0, 1}). */
  task?: Task;
  /** Boosting rounds (trees), default 100. */
  rounds?: number;
  /** Shrinkage applied to every leaf, default 0.1. */
  learningRate?: number;
  /** Maximum tree depth, default 6 (at most 16). */
  maxDepth?: number;
  /** L2 penalty on leaf values (XGBoost's lambda), default 1. */
  lambda?: number;
  /** Minimum loss reduction to split (XGBoost's gamma), default 0. */
  gamma?: number;
  /** Minimum hessian sum per child, default 1. */
  minChildWeight?: number;
  /** Minimum training rows per leaf, default 1. */
  minLeaf?: number;
  /** Share of rows sampled for each tree, default 1. */
  subsample?: number;
  /** Seed of the row sampling, default 0. */
  seed?: number;
  /** Bins per feature including the one for missing values, 2 … 256, default 256. */
  maxBins?: number;
  /** Stop after this many rounds without a better validation loss, keeping the best round. Needs `validation`. */
  earlyStoppingRounds?: number;
  /** Rows scored after every round (history) and watched by early stopping. */
  validation?: TrainingData;
  /** Called after every round, e.g. to report progress; training is synchronous, so keep it cheap. */
  onRound?: (round: number, rounds: number) => void;
}

function resolve(options: GbdtOptions) {
  const o = {
    task: options.task ?? "regression",
    rounds: options.rounds ?? 100,
    learningRate: options.learningRate ?? 0.1,
    maxDepth: options.maxDepth ?? 6,
    lambda: options.lambda ?? 1,
    gamma: options.gamma ?? 0,
    minChildWeight: options.minChildWeight ?? 1,
    minLeaf: options.minLeaf ?? 1,
    subsample: options.subsample ?? 1,
    seed: options.seed ?? 0,
    maxBins: options.maxBins ?? 256,
    earlyStoppingRounds: options.earlyStoppingRounds ?? null,
  };
  const check = (ok: boolean, message: string) => {
    if (!ok) throw new RangeError(`gbdt: ${message}`);
  };
  check(o.task === "regression" || o.task === "binary", "task must be regression or binary");
  check(Number.isInteger(o.rounds) && o.rounds >= 1, "rounds must be a positive integer");
  check(o.learningRate > 0 && o.learningRate <= 1, "learningRate must lie in (0, 1]");
  check(Number.isInteger(o.maxDepth) && o.maxDepth >= 1 && o.maxDepth <= 16, "maxDepth must be an integer in 1 … 16");
  check(o.lambda >= 0 && o.gamma >= 0 && o.minChildWeight >= 0, "lambda, gamma and minChildWeight must be ≥ 0");
  check(Number.isInteger(o.minLeaf) && o.minLeaf >= 1, "minLeaf must be a positive integer");
  check(o.subsample > 0 && o.subsample <= 1, "subsample must lie in (0, 1]");
  check(Number.isInteger(o.maxBins) && o.maxBins >= 2 && o.maxBins <= MISSING_BIN + 1, "maxBins must be an integer in 2 … 256");
  check(o.earlyStoppingRounds === null || (Number.isInteger(o.earlyStoppingRounds) && o.earlyStoppingRounds >= 1), "earlyStoppingRounds must be a positive integer");
  check(o.earlyStoppingRounds === null || options.validation !== undefined, "earlyStoppingRounds needs a validation set");
  return o;
}

/** Trains gradient-boosted trees; history has the train (and validation) loss after every round. */
export function gbdt(data: TrainingData, options: GbdtOptions = {}): TrainResult<GbdtModel> {
  const o = resolve(options);
  const { task } = o;
  const n = checkTrainingData(data, task);
  const valid = options.validation;
  const nValid = valid ? checkValidationData(data, valid, task) : 0;
  const features = data.features.length;
  const y = data.y;

  const codes = learnCategoryCodes(data.features, data, y);
  const columns = numericColumns(data.features, data, codes, n);
  const { bins, featureBins, cuts } = binColumns(columns, n, o.maxBins - 1);
  const binned = { bins, featureBins, features, binsPerFeature: Int32Array.from(cuts, (c) => c.length), cuts };
  const builder = new TreeBuilder(binned, o, n);

  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i]!;
  mean /= n;
  const rate = Math.min(1 - 1e-7, Math.max(1e-7, mean));
  const baseScore = Math.fround(task === "binary" ? Math.log(rate / (1 - rate)) : mean);

  const prediction = new Float64Array(n).fill(baseScore);
  const validMatrix = valid ? rowMajor(numericColumns(data.features, valid, codes, nValid), nValid) : null;
  const validPrediction = new Float64Array(nValid).fill(baseScore);
  const gh = new Float64Array(2 * n);
  const sampled = new Uint32Array(n);
  const unsampled = new Uint32Array(n);
  const rng = new Rng(o.seed);
  const trees: Tree[] = [];
  const history: HistoryEntry[] = [];
  let bestLoss = Infinity;
  let bestRound = 0;

  const scratch = new Float64Array(Math.max(n, nValid));
  for (let round = 1; round <= o.rounds; round++) {
    computeGradients(task, prediction, y, gh);
    const count = sampleRows(rng, n, o.subsample, sampled, unsampled);
    const others = n - count;
    const tree = builder.grow(sampled, count, gh, prediction);
    if (others > 0) addTreeBinned(tree, binned.bins, features, unsampled, others, prediction);
    trees.push(tree);

    const metrics = marginMetrics(task, "train", y, prediction, scratch);
    if (validMatrix && valid) {
      addTree(tree, validMatrix, features, 0, nValid, validPrediction);
      const validMetrics = marginMetrics(task, "valid", valid.y, validPrediction, scratch);
      Object.assign(metrics, validMetrics);
      const loss = task === "binary" ? validMetrics.valid_logloss! : validMetrics.valid_rmse!;
      if (loss < bestLoss) {
        bestLoss = loss;
        bestRound = round;
      }
    }
    history.push({ round, metrics });
    options.onRound?.(round, o.rounds);
    if (o.earlyStoppingRounds !== null && round - bestRound >= o.earlyStoppingRounds) break;
  }

  const params = { ...o };
  const kept = o.earlyStoppingRounds !== null ? trees.slice(0, bestRound) : trees;
  const model = new GbdtModel(task, data.features, params, codes, kept, baseScore);
  return o.earlyStoppingRounds !== null ? { model, history, bestRound } : { model, history };
}
