/**
 * Always-valid (anytime) confidence intervals for the difference of two arms' means, candidate − stable,
 * for online A/B comparisons that people look at after every label.
 *
 * Construction: the two-sided normal-mixture boundary (Robbins 1970), in the form of
 *   - Waudby-Smith, Arbour, Sinha, Kennedy & Ramdas (2023), "Time-uniform central limit theory and
 *     asymptotic confidence sequences", Annals of Statistics (arXiv:2103.06476), Theorem 2.2: the
 *     asymptotic confidence sequence  μ̂_t ± σ̂_t · sqrt( 2(tρ² + 1) / (t²ρ²) · log( sqrt(tρ² + 1) / α ) );
 *   - equivalently Johari, Koomen, Pekelis & Walsh (2022), "Always valid inference: continuous monitoring
 *     of A/B tests", Operations Research 70(3) — the mSPRT with a N(0, τ²) mixture, whose interval is
 *     Δ̂ ± sqrt( v(v + τ²)/τ² · log((v + τ²) / (v α²)) ) for an estimate Δ̂ of variance v; and the
 *     normal-mixture boundary of Howard, Ramdas, McAuliffe & Sekhon (2021), Annals of Statistics 49(2).
 * With r = τ²/v (= tρ² in Waudby-Smith's notation) all three read  Δ̂ ± sqrt( v · (1 + r)/r · log((1 + r)/α²) ).
 *
 * Two arms: Δ̂ = mean_c − mean_s with plug-in variance v = s²_c/n_c + s²_s/n_s, as Johari et al. apply
 * the two-stream mSPRT. Validity is asymptotic (the plug-in variance and the CLT), and assumes the arms'
 * shares of labels stay roughly constant, which a fixed random split gives.
 *
 * Tuning parameter ρ: it sets where the sequence is tightest. We fix it from `tightestAt`, the labelled
 * rows per arm at which the interval should be narrowest, by Waudby-Smith et al.'s closed form
 * ρ² = (−2 log α + log(−2 log α + 1)) / t*, with t = the effective rows per arm (s²_c + s²_s)/v (equal
 * to n for balanced arms of equal variance), so ρ is scale-free: the same default suits any metric.
 */
import { RunningMoments } from "./stats";

/** Labelled rows per arm at which the interval is tightest unless a caller says otherwise. */
export const DEFAULT_TIGHTEST_AT = 500;

export interface ArmMoments {
  count: number;
  mean: number;
  /** Sample variance (ddof = 1). */
  variance: number;
}

export interface DifferenceInterval {
  /** Candidate mean − stable mean. */
  estimate: number;
  lower: number;
  upper: number;
  halfWidth: number;
  /** Plug-in variance of the estimate, s²_c/n_c + s²_s/n_s. */
  variance: number;
}

export interface SequenceOptions {
  /** Error allowed over the whole, unbounded sequence of looks. */
  alpha: number;
  /** Labelled rows per arm where the interval is narrowest (fixes ρ); DEFAULT_TIGHTEST_AT when absent. */
  tightestAt?: number;
}

function checkAlpha(alpha: number): void {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must lie in (0, 1), got ${alpha}`);
}

/** ρ² chosen so the boundary is (approximately) narrowest after `tightestAt` rows. */
export function mixtureRhoSquared(alpha: number, tightestAt: number): number {
  checkAlpha(alpha);
  if (!(tightestAt > 0 && Number.isFinite(tightestAt))) throw new RangeError(`tightestAt must be a positive number, got ${tightestAt}`);
  const l = -2 * Math.log(alpha);
  return (l + Math.log(l + 1)) / tightestAt;
}

/**
 * Half-width of the normal-mixture interval for an estimate of variance `variance`, with r = τ²/v = tρ²
 * (see the header). Wider than a fixed-n interval at every t: that is the price of looking at will.
 */
export function mixtureHalfWidth(variance: number, r: number, alpha: number): number {
  checkAlpha(alpha);
  if (!(variance >= 0) || !(r > 0)) throw new RangeError("mixtureHalfWidth: variance must be ≥ 0 and r > 0");
  // log1p keeps precision when r is small (early, few rows).
  return Math.sqrt((variance * (1 + r) * (Math.log1p(r) - 2 * Math.log(alpha))) / r);
}

/** The asymptotic confidence sequence for one mean at time t (Waudby-Smith et al. 2023, Theorem 2.2). */
export function meanSequence(arm: ArmMoments, opts: SequenceOptions): DifferenceInterval | null {
  if (arm.count < 2 || !(arm.variance > 0)) return null;
  const rho2 = mixtureRhoSquared(opts.alpha, opts.tightestAt ?? DEFAULT_TIGHTEST_AT);
  const variance = arm.variance / arm.count;
  const halfWidth = mixtureHalfWidth(variance, arm.count * rho2, opts.alpha);
  return { estimate: arm.mean, lower: arm.mean - halfWidth, upper: arm.mean + halfWidth, halfWidth, variance };
}

/**
 * The always-valid interval for candidate − stable after the rows seen so far; null until both arms
 * have two rows and the estimate has a positive variance (an interval of width zero would claim a
 * certainty no data gives).
 */
export function differenceSequence(stable: ArmMoments, candidate: ArmMoments, opts: SequenceOptions): DifferenceInterval | null {
  if (stable.count < 2 || candidate.count < 2) return null;
  const variance = stable.variance / stable.count + candidate.variance / candidate.count;
  if (!(variance > 0) || !Number.isFinite(variance)) return null;
  const rho2 = mixtureRhoSquared(opts.alpha, opts.tightestAt ?? DEFAULT_TIGHTEST_AT);
  const effectiveRows = (stable.variance + candidate.variance) / variance;
  const halfWidth = mixtureHalfWidth(variance, effectiveRows * rho2, opts.alpha);
  const estimate = candidate.mean - stable.mean;
  return { estimate, lower: estimate - halfWidth, upper: estimate + halfWidth, halfWidth, variance };
}

/** Streams per-row values of two arms into moments; `interval()` may be called after every row. */
export class SequentialDifference {
  readonly stable = new RunningMoments();
  readonly candidate = new RunningMoments();

  constructor(private readonly opts: SequenceOptions) {
    checkAlpha(opts.alpha);
  }

  push(arm: "stable" | "candidate", value: number): void {
    if (!Number.isFinite(value)) throw new RangeError(`SequentialDifference: a row's value must be finite, got ${value}`);
    (arm === "stable" ? this.stable : this.candidate).push(value);
  }

  interval(): DifferenceInterval | null {
    const m = (r: RunningMoments): ArmMoments => ({ count: r.count, mean: r.mean, variance: r.variance });
    return differenceSequence(m(this.stable), m(this.candidate), this.opts);
  }
}
