/**
 * Robustness probes: how a metric moves when numeric features get Gaussian noise (σ = k × the
 * feature's standard deviation) or lose a share of their values to NaN. The model is the caller's
 * scoring function, so this stays pure; every draw comes from a seeded generator.
 */
import { Rng, meanVariance, sampleIndices } from "../stats";
import { binaryMetrics, type BinaryMetrics } from "./binary";
import { regressionMetrics, type RegressionMetrics } from "./regression";

export type FeatureValue = number | string | boolean | null;
export type FeatureRow = Readonly<Record<string, FeatureValue>>;

/** The caller's model: predictions (or positive-class scores) for rows, in row order. */
export type ScoringFunction = (rows: readonly FeatureRow[]) => ArrayLike<number> | Promise<ArrayLike<number>>;

/** A metric to watch; `higherIsBetter` tells a chart which direction of delta is a loss. */
export interface RobustnessMetric {
  name: string;
  higherIsBetter: boolean;
  compute: (yTrue: ArrayLike<number>, predictions: ArrayLike<number>) => number | null;
}

export interface RobustnessInput {
  rows: readonly FeatureRow[];
  yTrue: ArrayLike<number>;
  score: ScoringFunction;
  metric: RobustnessMetric;
  /** Numeric features to perturb; by default every column whose present values are all finite numbers. */
  features?: readonly string[];
  /** Noise scales k (σ = k × std); default [0.05, 0.1, 0.25]. */
  noiseLevels?: readonly number[];
  /** Shares of rows set to NaN; default [0.1, 0.25, 0.5]. */
  missingFractions?: readonly number[];
  /** Perturb all features at once ("all"), each feature alone ("each"), or both; default "all" for noise, "each" for missing. */
  noiseScope?: "all" | "each" | "both";
  missingScope?: "all" | "each" | "both";
  seed?: number;
}

/** One chart row: the metric after a perturbation of `feature` (null: every perturbed feature) at `level`. */
export interface RobustnessRow {
  perturbation: "gaussian_noise" | "missing";
  feature: string | null;
  level: number;
  metric: string;
  baseline: number;
  value: number | null;
  delta: number | null;
  /** Why `value` is null: the scorer gave non-finite predictions or the metric is undefined. */
  reason: string | null;
}

interface Outcome {
  value: number | null;
  reason: string | null;
}

/** Columns whose present values are all finite numbers (null and NaN count as absent). */
export function numericFeatures(rows: readonly FeatureRow[]): string[] {
  const names = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row)) names.add(name);
  return [...names].filter((name) => rows.every((row) => row[name] === null || row[name] === undefined || typeof row[name] === "number"));
}

function featureStd(rows: readonly FeatureRow[], name: string): number {
  const values: number[] = [];
  for (const row of rows) {
    const v = row[name];
    if (typeof v === "number" && Number.isFinite(v)) values.push(v);
  }
  // Sample std (ddof = 1) as pandas reports it; a constant or single-value feature gets no noise.
  const { variance } = meanVariance(values);
  return Number.isFinite(variance) ? Math.sqrt(variance) : 0;
}

// Box–Muller; nextOpen never returns 0, so the logarithm is finite.
function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(rng.nextOpen())) * Math.cos(2 * Math.PI * rng.next());
}

/** Rows with N(0, (k·std)²) noise added to each finite value of the given features. */
export function addGaussianNoise(rows: readonly FeatureRow[], features: readonly string[], k: number, seed: number): FeatureRow[] {
  const rng = new Rng(seed);
  const scales = features.map((f) => k * featureStd(rows, f));
  return rows.map((row) => {
    const out: Record<string, FeatureValue> = { ...row };
    features.forEach((f, j) => {
      const v = row[f];
      if (typeof v === "number" && Number.isFinite(v)) out[f] = v + scales[j]! * gaussian(rng);
    });
    return out;
  });
}

/** Rows with round(fraction × n) randomly chosen values of each given feature set to NaN. */
export function injectMissing(rows: readonly FeatureRow[], features: readonly string[], fraction: number, seed: number): FeatureRow[] {
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`injectMissing: fraction must lie in [0, 1], got ${fraction}`);
  const rng = new Rng(seed);
  const out: Record<string, FeatureValue>[] = rows.map((row) => ({ ...row }));
  const k = Math.round(fraction * rows.length);
  for (const f of features) for (const i of sampleIndices(rows.length, k, rng)) out[i]![f] = NaN;
  return out;
}

const scopes = (scope: "all" | "each" | "both", features: readonly string[]): (string | null)[] =>
  scope === "all" ? [null] : scope === "each" ? [...features] : [null, ...features];

/** Metric change under Gaussian noise and missing values, as chart-ready rows; throws when the unperturbed metric is undefined. */
export async function robustnessRows(input: RobustnessInput): Promise<RobustnessRow[]> {
  const { rows, yTrue, score, metric } = input;
  if (rows.length !== yTrue.length) throw new RangeError(`robustness: ${rows.length} rows but ${yTrue.length} labels`);
  const features = input.features ?? numericFeatures(rows);
  const evaluate = async (perturbed: readonly FeatureRow[]): Promise<Outcome> => {
    const predictions = await score(perturbed);
    if (predictions.length !== rows.length) throw new RangeError(`robustness: scorer returned ${predictions.length} predictions for ${rows.length} rows`);
    let invalid = 0;
    for (let i = 0; i < predictions.length; i++) if (!Number.isFinite(predictions[i])) invalid++;
    // A model that cannot score NaN features is a finding about robustness, not a caller error.
    if (invalid > 0) return { value: null, reason: `scorer returned ${invalid} non-finite predictions` };
    const value = metric.compute(yTrue, predictions);
    return value !== null && Number.isFinite(value) ? { value, reason: null } : { value: null, reason: `${metric.name} is undefined` };
  };
  const reference = await evaluate(rows);
  if (reference.value === null) throw new RangeError(`robustness: baseline ${metric.name} is undefined (${reference.reason})`);
  const baseline = reference.value;
  // One child seed per perturbation, drawn in a fixed order, so each run is reproducible on its own.
  const seeds = new Rng(input.seed ?? 1);
  const out: RobustnessRow[] = [];
  const record = (perturbation: RobustnessRow["perturbation"], feature: string | null, level: number, { value, reason }: Outcome) =>
    out.push({ perturbation, feature, level, metric: metric.name, baseline, value, delta: value === null ? null : value - baseline, reason });
  for (const feature of scopes(input.noiseScope ?? "all", features)) {
    for (const k of input.noiseLevels ?? [0.05, 0.1, 0.25]) {
      const perturbed = addGaussianNoise(rows, feature === null ? features : [feature], k, seeds.nextUint32());
      record("gaussian_noise", feature, k, await evaluate(perturbed));
    }
  }
  for (const feature of scopes(input.missingScope ?? "each", features)) {
    for (const f of input.missingFractions ?? [0.1, 0.25, 0.5]) {
      const perturbed = injectMissing(rows, feature === null ? features : [feature], f, seeds.nextUint32());
      record("missing", feature, f, await evaluate(perturbed));
    }
  }
  return out;
}

/** A regression metric for robustness probes. */
export function regressionRobustnessMetric(name: keyof RegressionMetrics): RobustnessMetric {
  return { name, higherIsBetter: name === "r2", compute: (y, p) => regressionMetrics(y, p)[name].value };
}

/** A binary classification metric for robustness probes (threshold metrics use score ≥ threshold). */
export function binaryRobustnessMetric(name: keyof BinaryMetrics, threshold = 0.5): RobustnessMetric {
  return { name, higherIsBetter: name !== "logLoss", compute: (y, p) => binaryMetrics(y, p, threshold)[name].value };
}
