/** Fairness check: per-group metric with bootstrap CIs and the gap between groups. Pure computation. */
import type { Partition } from "../metrics/slices";
import { Rng } from "../random";
import { DEFAULT_RESAMPLES, summarizeDistribution, validateConfidence, type PairedStatistic } from "./bootstrap";

/**
 * Group codes from a partition of the sensitive column made by metrics/slices partitionRows, so the gate
 * uses the same groups (labels, "(missing)", quantile bins) as the evaluation report's fairness section.
 */
export function groupsFromPartition(partition: Partition, rowCount: number): { groups: Int32Array; groupNames: string[] } {
  const groups = new Int32Array(rowCount).fill(-1);
  partition.slices.forEach((slice, code) => {
    for (const row of slice.rows) groups[row] = code;
  });
  const uncovered = groups.indexOf(-1);
  if (uncovered >= 0) throw new RangeError(`groupsFromPartition: row ${uncovered} is in no group of column ${partition.column}`);
  return { groups, groupNames: partition.slices.map((slice) => slice.label) };
}

export interface GroupGapInput {
  /** Per-row values: losses, squared errors ("rmse") or 0/1 correctness. */
  values: ArrayLike<number>;
  /** Group code per row, 0 … groupNames.length − 1. */
  groups: ArrayLike<number>;
  groupNames: readonly string[];
  /** "mean" of the values per group, or "rmse" = √mean of squared errors. */
  statistic: PairedStatistic;
  /** Largest acceptable gap (max − min of the group metrics). */
  limit: number;
  minGroupSize: number;
  resamples?: number;
  seed?: number;
  confidence?: number;
}

export interface GroupResult {
  name: string;
  size: number;
  /** "too_small": fewer than minGroupSize rows; left out of the gap, and the check cannot pass. */
  status: "ok" | "too_small";
  estimate: number;
  lower: number | null;
  upper: number | null;
}

export interface GroupGapResult {
  groups: GroupResult[];
  /** Gap (max − min over the "ok" groups) on all rows and its percentile CI; null with fewer than two ok groups. */
  gap: { estimate: number; lower: number; upper: number } | null;
  /**
   * "pass": every group has enough rows and the gap's CI upper bound < limit. "fail": the upper bound ≥ limit.
   * "insufficient": a group is too small or fewer than two groups have enough rows (never a pass).
   */
  outcome: "pass" | "fail" | "insufficient";
  confidence: number;
  resamples: number;
}

/**
 * Per-group bootstrap (each group resampled within itself, a stratified bootstrap, so group sizes stay
 * fixed) of the group metrics and of the gap between the best and worst group, with percentile CIs at `confidence`.
 */
export function groupGap(input: GroupGapInput): GroupGapResult {
  const { values, groups, groupNames, statistic } = input;
  const confidence = input.confidence ?? 0.95;
  validateConfidence(confidence);
  const resamples = input.resamples ?? DEFAULT_RESAMPLES;
  if (!Number.isInteger(resamples) || resamples < 2) throw new RangeError(`groupGap: need an integer number ≥ 2 of resamples, got ${resamples}`);
  if (values.length !== groups.length) throw new RangeError("groupGap: values and groups must have the same length");
  const k = groupNames.length;
  const sizes = new Uint32Array(k);
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    if (!(Number.isInteger(g) && g >= 0 && g < k)) throw new RangeError(`groupGap: group code ${g} at row ${i} is not in 0 … ${k - 1}`);
    if (!Number.isFinite(values[i]!)) throw new RangeError(`groupGap: row ${i} is not a finite number`);
    sizes[g]!++;
  }
  // Values grouped contiguously: group g occupies offsets[g] … offsets[g + 1] − 1.
  const offsets = new Uint32Array(k + 1);
  for (let g = 0; g < k; g++) offsets[g + 1] = offsets[g]! + sizes[g]!;
  const sorted = new Float64Array(values.length);
  const fill = offsets.slice(0, k);
  for (let i = 0; i < groups.length; i++) sorted[fill[groups[i]!]!++] = values[i]!;

  const metric = (total: number, count: number): number => (statistic === "rmse" ? Math.sqrt(total / count) : total / count);
  const ok = Array.from({ length: k }, (_, g) => sizes[g]! >= input.minGroupSize && sizes[g]! > 0);
  const okGroups = ok.flatMap((isOk, g) => (isOk ? [g] : []));
  const estimates = Array.from({ length: k }, (_, g) => {
    let total = 0;
    for (let i = offsets[g]!; i < offsets[g + 1]!; i++) total += sorted[i]!;
    return sizes[g]! > 0 ? metric(total, sizes[g]!) : NaN;
  });

  const perGroup = okGroups.map(() => new Float64Array(resamples));
  const gaps = new Float64Array(resamples);
  const rng = new Rng(input.seed ?? 0);
  const buffer = new Uint32Array(Math.max(1, ...okGroups.map((g) => sizes[g]!)));
  for (let r = 0; r < resamples; r++) {
    let max = -Infinity;
    let min = Infinity;
    okGroups.forEach((g, j) => {
      const size = sizes[g]!;
      const draws = buffer.subarray(0, size);
      rng.fillBelow(draws, size);
      const base = offsets[g]!;
      let total = 0;
      for (let t = 0; t < size; t++) total += sorted[base + draws[t]!]!;
      const value = metric(total, size);
      perGroup[j]![r] = value;
      if (value > max) max = value;
      if (value < min) min = value;
    });
    gaps[r] = max - min;
  }

  const result: GroupResult[] = groupNames.map((name, g) => ({ name, size: sizes[g]!, status: ok[g] ? "ok" : "too_small", estimate: estimates[g]!, lower: null, upper: null }));
  okGroups.forEach((g, j) => {
    const { lower, upper } = summarizeDistribution(perGroup[j]!, confidence);
    result[g]!.lower = lower;
    result[g]!.upper = upper;
  });
  let gap: GroupGapResult["gap"] = null;
  if (okGroups.length >= 2) {
    const okEstimates = okGroups.map((g) => estimates[g]!);
    const { lower, upper } = summarizeDistribution(gaps, confidence);
    gap = { estimate: Math.max(...okEstimates) - Math.min(...okEstimates), lower, upper };
  }
  const outcome = gap && gap.upper >= input.limit ? "fail" : gap === null || okGroups.length < k ? "insufficient" : "pass";
  return { groups: result, gap, outcome, confidence, resamples };
}
