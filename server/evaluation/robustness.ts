/**
 * Robustness probes of an evaluation: on a seeded sample of the scored rows, encoded first so that
 * noise perturbs parsed numbers (CSV cells arrive as text) and the missing probe sets encoded values
 * missing; the model then scores the perturbed rows through the same encoder (encoding is idempotent).
 */
import { encodeRecords, isFloatKind, type EncodingSpec, type RawRow } from "../ml/features";
import { binaryRobustnessMetric, permutationImportance, regressionRobustnessMetric, robustnessRows, type PermutationImportance, type RobustnessRow } from "../ml/metrics";
import { Rng, sampleIndices } from "../ml/random";

// Robustness rescoring runs the model ~20 times; a seeded sample keeps that bounded on large splits.
export const ROBUSTNESS_ROWS = 5000;

/** The probes' rows, and how many of the scored rows they were computed on. */
export interface RobustnessResult {
  rows: RobustnessRow[];
  sample: { rows: number; of: number };
}

interface ProbeArgs {
  spec: EncodingSpec;
  rows: readonly RawRow[];
  yTrue: Float64Array;
  score: (rows: readonly RawRow[]) => Promise<ArrayLike<number>>;
  task: "regression" | "binary";
  threshold: number;
  maxRows?: number;
}

/** The seeded sample both probes run on, encoded, with its targets. */
function encodedSample(args: ProbeArgs) {
  const n = args.rows.length;
  const picked = sampleIndices(n, Math.min(args.maxRows ?? ROBUSTNESS_ROWS, n), new Rng(7));
  const encoded = encodeRecords(args.spec, picked.map((i) => args.rows[i]!));
  const metric = args.task === "binary" ? binaryRobustnessMetric("rocAuc", args.threshold) : regressionRobustnessMetric("rmse");
  return { encoded, yTrue: Float64Array.from(picked, (i) => args.yTrue[i]!), metric, sample: { rows: picked.length, of: n } };
}

/** Robustness rows for a model on rows with known targets; `score` takes raw or encoded rows. */
export async function probeRobustness(args: ProbeArgs): Promise<RobustnessResult> {
  const { encoded, yTrue, metric, sample } = encodedSample(args);
  // Float features with at least one value: noise and missing values on a constant-missing column say nothing.
  const features = args.spec.features.filter((f) => isFloatKind(f.kind) && encoded.some((r) => Number.isFinite(r[f.name]))).map((f) => f.name);
  const rows = await robustnessRows({ rows: encoded, yTrue, score: (rs) => args.score(rs), metric, features });
  return { rows, sample };
}

/** Permutation importance of every feature (numeric and categorical alike) on the same seeded sample. */
export async function probeImportance(args: ProbeArgs): Promise<{ metric: string; repeats: number; sample: { rows: number; of: number }; permutation: PermutationImportance[] }> {
  const { encoded, yTrue, metric, sample } = encodedSample(args);
  const repeats = 3;
  const { importances } = await permutationImportance({ rows: encoded, yTrue, score: (rs) => args.score(rs), metric, features: args.spec.features.map((f) => f.name), repeats });
  return { metric: metric.name, repeats, sample, permutation: importances };
}
