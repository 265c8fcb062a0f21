/** Superiority and non-inferiority decisions from a confidence interval of (challenger − champion). Pure computation. */

/** Whether larger values of the metric are better (accuracy, AUC) or smaller (RMSE, loss). */
export type BetterDirection = "higher" | "lower";

export interface Interval {
  lower: number;
  upper: number;
}

export interface ComparisonDecision {
  passed: boolean;
  /** The interval bound that decided, and the value it had to beat. */
  bound: number;
  threshold: number;
  reason: string;
}

/**
 * Superiority: the whole CI of (challenger − champion) is better than the champion by more than `minEffect` ≥ 0:
 * lower > minEffect when higher is better, upper < −minEffect when lower is better.
 */
export function superiority(ci: Interval, direction: BetterDirection, minEffect = 0): ComparisonDecision {
  if (!(minEffect >= 0)) throw new RangeError(`superiority: minEffect must be ≥ 0, got ${minEffect}`);
  if (direction === "higher") {
    const passed = ci.lower > minEffect;
    return { passed, bound: ci.lower, threshold: minEffect, reason: `CI lower bound ${ci.lower} ${passed ? ">" : "≤"} min effect ${minEffect}` };
  }
  const passed = ci.upper < -minEffect;
  return { passed, bound: ci.upper, threshold: -minEffect, reason: `CI upper bound ${ci.upper} ${passed ? "<" : "≥"} −min effect ${-minEffect}` };
}

/**
 * Non-inferiority: the challenger is at worst `margin` ≥ 0 worse than the champion over the whole CI:
 * lower > −margin when higher is better, upper < margin when lower is better.
 */
export function nonInferiority(ci: Interval, direction: BetterDirection, margin: number): ComparisonDecision {
  if (!(margin >= 0)) throw new RangeError(`nonInferiority: margin must be ≥ 0, got ${margin}`);
  if (direction === "higher") {
    const passed = ci.lower > -margin;
    return { passed, bound: ci.lower, threshold: -margin, reason: `CI lower bound ${ci.lower} ${passed ? ">" : "≤"} −margin ${-margin}` };
  }
  const passed = ci.upper < margin;
  return { passed, bound: ci.upper, threshold: margin, reason: `CI upper bound ${ci.upper} ${passed ? "<" : "≥"} margin ${margin}` };
}
