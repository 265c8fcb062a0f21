/**
 * Permutation feature importance (Breiman; scikit-learn's permutation_importance): how much a
 * metric worsens when one feature's values are shuffled across rows, breaking its link with the
 * target while keeping its distribution. Model-agnostic: the model is the caller's scoring
 * function. Every shuffle comes from a seeded generator, so a report is reproducible.
 */
import { Rng } from "../random";
import type { FeatureRow, RobustnessMetric, ScoringFunction } from "./robustness";

export interface PermutationImportance {
  feature: string;
  /** Mean worsening of the metric over the repeats (positive: the model relies on the feature). */
  mean: number;
  /** Sample standard deviation of the worsening over the repeats (0 with one repeat). */
  std: number;
}

/** A uniformly random permutation of 0 … n−1 (Fisher–Yates). */
function permutation(n: number, rng: Rng): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

/**
 * Importance of each feature, most important first. The worsening is `baseline − score` for metrics
 * where higher is better (ROC AUC) and `score − baseline` otherwise (RMSE), as scikit-learn reports
 * it for a scorer. Throws when the unperturbed metric is undefined.
 */
export async function permutationImportance(input: {
  rows: readonly FeatureRow[];
  yTrue: ArrayLike<number>;
  score: ScoringFunction;
  metric: RobustnessMetric;
  features: readonly string[];
  repeats?: number;
  seed?: number;
}): Promise<{ baseline: number; importances: PermutationImportance[] }> {
  const { rows, yTrue, metric } = input;
  if (rows.length !== yTrue.length) throw new RangeError(`permutation importance: ${rows.length} rows but ${yTrue.length} labels`);
  const repeats = input.repeats ?? 5;
  if (!(Number.isInteger(repeats) && repeats >= 1)) throw new RangeError(`permutation importance: repeats must be a positive integer, got ${repeats}`);
  const measure = async (rs: readonly FeatureRow[]) => metric.compute(yTrue, await input.score(rs));
  const baseline = await measure(rows);
  if (baseline === null || !Number.isFinite(baseline)) throw new RangeError(`permutation importance: baseline ${metric.name} is undefined`);
  const rng = new Rng(input.seed ?? 42);
  const importances: PermutationImportance[] = [];
  for (const feature of input.features) {
    const drops: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const order = permutation(rows.length, rng);
      const shuffled = rows.map((row, i) => ({ ...row, [feature]: rows[order[i]!]![feature] ?? null }));
      const value = await measure(shuffled);
      if (value === null || !Number.isFinite(value)) continue;
      drops.push(metric.higherIsBetter ? baseline - value : value - baseline);
    }
    if (drops.length === 0) continue;
    const mean = drops.reduce((s, d) => s + d, 0) / drops.length;
    const variance = drops.length > 1 ? drops.reduce((s, d) => s + (d - mean) ** 2, 0) / (drops.length - 1) : 0;
    importances.push({ feature, mean, std: Math.sqrt(variance) });
  }
  importances.sort((a, b) => b.mean - a.mean || a.feature.localeCompare(b.feature));
  return { baseline, importances };
}
