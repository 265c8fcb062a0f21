/**
 * Kolmogorov–Smirnov distributions, ported from SciPy 1.10 (scipy/special/cephes/kolmogorov.c and
 * scipy/stats/_ksstats.py, BSD-3-Clause) so that two-sample p-values agree with scipy.stats.ks_2samp.
 * SciPy's double-double arithmetic is replaced by log-space sums; the difference is far below 1e-9.
 */
import { clip01, durbinCdf, logFactorialOverPower, pelzGood, pick, pomeranzCdf } from "./kolmogorov-algorithms";

const MIN_EXPABLE = -708 - 38;
const KOLMOG_CUTOVER = 0.82;
const CEPHES_MINLOG = -7.08396418532264106224e2;
// SciPy switches to an approximation beyond this n rather than summing a million terms.
const SMIRNOV_MAX_COMPUTE_N = 1_000_000;
const EPSILON = 2.220446049250313e-16;
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const PI2 = Math.PI ** 2;

/** Survival function of Kolmogorov's limiting distribution, P(K > x) (scipy.special.kolmogorov). */
export function kolmogorovSf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x <= 0 || x <= Math.PI / Math.sqrt(-MIN_EXPABLE * 8)) return 1;
  let p = 1;
  if (x <= KOLMOG_CUTOVER) {
    const w = SQRT_2PI / x;
    const logu8 = -PI2 / (x * x);
    const u = Math.exp(logu8 / 8);
    if (u === 0) {
      p = Math.exp(logu8 / 8 + Math.log(w));
    } else {
      const u8 = Math.exp(logu8);
      p = 1 + u8 ** 3 * p;
      p = 1 + u8 * u8 * p;
      p = 1 + u8 * p;
      p = w * u * p;
    }
    return clip01(1 - p);
  }
  const v = Math.exp(-2 * x * x);
  const v3 = v ** 3;
  p = 1 - v3 * v3 * v * p;
  p = 1 - v3 * v * v * p;
  p = 1 - v3 * p;
  return clip01(2 * v * p);
}

// Dekker's exact product, so floor(n·x) is right even when n·x rounds onto an integer.
function floorProduct(n: number, x: number): { floor: number; fraction: number } {
  const p = n * x;
  const split = (a: number): [number, number] => {
    const c = 134217729 * a;
    const hi = c - (c - a);
    return [hi, a - hi];
  };
  const [nh, nl] = split(n);
  const [xh, xl] = split(x);
  const e = nh * xh - p + nh * xl + nl * xh + nl * xl;
  let floor = Math.floor(p);
  let fraction: number;
  if (floor === p) {
    if (e < 0) {
      floor -= 1;
      fraction = 1 + e;
    } else fraction = e;
  } else fraction = p - floor + e;
  if (fraction >= 1) {
    floor += 1;
    fraction = 0;
  }
  return { floor, fraction };
}

/** Exact one-sided Smirnov survival function P(D_n+ ≥ x) (scipy.special.smirnov). */
export function smirnovSf(n: number, x: number): number {
  if (!(n > 0 && Number.isInteger(n) && x >= 0 && x <= 1)) return NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const { floor: nxFloor, fraction: alpha } = floorProduct(n, x);
  let lastLower = n - nxFloor - (alpha === 0 ? 0 : 1);
  if (alpha === 0) lastLower -= 1;
  if (nxFloor === 0 || (nxFloor === 1 && alpha === 0)) return clip01(1 - x * (1 + x) ** (n - 1));
  if (-2 * n * x * x < CEPHES_MINLOG) return 0;
  if (nxFloor >= n - 1) return clip01((1 - x) ** n);
  if (n > SMIRNOV_MAX_COMPUTE_N) {
    const logp = -((6 * n * x + 1) ** 2) / 18 / n;
    return clip01(logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp));
  }
  // Birnbaum–Tingey lower sum: x Σ_j C(n,j) (x + j/n)^(j−1) (1 − x − j/n)^(n−j); all terms positive.
  const terms = lastLower + 1;
  let binomial = 1;
  let binomialExponent = 0;
  let total = 0;
  for (let j = 0; j < terms; j++) {
    const head = j / n + x;
    const tail = (n - j) / n - x;
    const logTerm = Math.log(binomial) + binomialExponent * Math.LN2 + (j - 1) * Math.log(head) + (n - j) * Math.log(tail);
    const term = Math.exp(logTerm);
    total += term;
    if (term !== 0) {
      if (4 * (terms - j) * term < EPSILON * total && j !== terms - 1) break;
    } else if (j > n / 2) break;
    binomial *= (n - j) / (j + 1);
    // C(n, j) spans thousands of binary orders; keep it as mantissa · 2^exponent both ways.
    if (binomial > 2 ** 500) {
      binomial *= 2 ** -500;
      binomialExponent += 500;
    } else if (binomial < 2 ** -500) {
      binomial *= 2 ** 500;
      binomialExponent -= 500;
    }
  }
  return clip01(x * total);
}

// Simard and L'Ecuyer's choice among the exact and asymptotic methods, by n and n·x².
function kolmogn(n: number, x: number, wantCdf: boolean): number {
  if (x >= 1) return pick(1, 0, wantCdf);
  if (x <= 0) return pick(0, 1, wantCdf);
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return pick(0, 1, wantCdf);
    let prob: number;
    if (n <= 140) {
      prob = 1;
      for (let i = 1; i <= n; i++) prob *= i * (1 / n) * (2 * t - 1);
    } else prob = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    return pick(prob, 1 - prob, wantCdf);
  }
  if (t >= n - 1) {
    const prob = 2 * (1 - x) ** n;
    return pick(1 - prob, prob, wantCdf);
  }
  if (x >= 0.5) {
    const prob = 2 * smirnovSf(n, x);
    return pick(1 - prob, prob, wantCdf);
  }
  const nxSquared = t * x;
  if (n <= 140) {
    if (nxSquared <= 0.754693) {
      const prob = durbinCdf(n, x);
      return pick(prob, 1 - prob, wantCdf);
    }
    if (nxSquared <= 4) {
      const prob = pomeranzCdf(n, x);
      return pick(prob, 1 - prob, wantCdf);
    }
    const prob = 2 * smirnovSf(n, x);
    return pick(1 - prob, prob, wantCdf);
  }
  if (!wantCdf) {
    if (nxSquared >= 370) return 0;
    if (nxSquared >= 2.2) return clip01(2 * smirnovSf(n, x));
  }
  let cdf: number;
  if (nxSquared >= 18) cdf = 1;
  else if (n <= 100_000 && n * x ** 1.5 <= 1.4) cdf = durbinCdf(n, x);
  else cdf = pelzGood(n, x, true);
  return pick(cdf, 1 - cdf, wantCdf);
}

/** Survival function P(D_n ≥ x) of the two-sided one-sample KS statistic (scipy.stats.kstwo.sf). */
export function kolmogorovTwoSidedSf(n: number, x: number): number {
  if (!(n >= 1 && Number.isInteger(n)) || Number.isNaN(x)) return NaN;
  if (x <= 0.5 / n) return 1;
  if (x >= 1) return 0;
  return clip01(kolmogn(n, x, false));
}
