/** Normal, Student t and binomial tail probabilities for the gate tests. Pure computation. */
import { logGamma, regularizedGammaQ, stirlingCorrection } from "../special-functions";

const EPSILON = 2.220446049250313e-16;
const TINY = 1e-300;
const MAX_ITERATIONS = 100_000;

/** Standard normal survival function P(Z > z); erfc through Q(1/2, z²/2) keeps the far tail accurate. */
export function normalSf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z === 0) return 0.5;
  const tail = 0.5 * regularizedGammaQ(0.5, (z * z) / 2);
  return z > 0 ? tail : 1 - tail;
}

/** Standard normal CDF P(Z ≤ z). */
export function normalCdf(z: number): number {
  return normalSf(-z);
}

// Continued fraction for the incomplete beta (modified Lentz); converges for x < (a + 1) / (a + b + 2).
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return h;
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * log B(a, b). With a large argument the three log Γ terms are ~1e6 and cancel, losing ~1e-10;
 * the Stirling forms below (as R's lbeta) keep full precision, which large-sample t-tests need.
 */
export function logBeta(a: number, b: number): number {
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  if (q < 10) return logGamma(p) + logGamma(q) - logGamma(p + q);
  const ratio = p / (p + q);
  if (p >= 10) {
    const corr = stirlingCorrection(p) + stirlingCorrection(q) - stirlingCorrection(p + q);
    return -0.5 * Math.log(q) + LOG_SQRT_2PI + corr + (p - 0.5) * Math.log(ratio) + q * Math.log1p(-ratio);
  }
  const corr = stirlingCorrection(q) - stirlingCorrection(p + q);
  return logGamma(p) + corr + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-ratio);
}

/** Regularized incomplete beta I_x(a, b) for a, b > 0 and x in [0, 1]. */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0) || !(x >= 0 && x <= 1)) return NaN;
  if (x === 0) return 0;
  if (x === 1) return 1;
  const logFront = a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b);
  const front = Math.exp(logFront);
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** Student t survival function P(T > t) with `dof` degrees of freedom. */
export function studentTSf(t: number, dof: number): number {
  if (Number.isNaN(t) || !(dof > 0)) return NaN;
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  // P(|T| > |t|) = I_x(dof/2, 1/2) with x = dof/(dof+t²). Where that continued fraction converges it is used
  // directly (tiny p-values keep their relative precision); elsewhere 1 − I_{1−x}(1/2, dof/2) with 1 − x = t²/(dof+t²)
  // formed without cancellation.
  const t2 = t * t;
  const x = dof / (dof + t2);
  const a = dof / 2;
  const twoSided = x < (a + 1) / (a + 2.5) ? regularizedBeta(x, a, 0.5) : 1 - regularizedBeta(t2 / (dof + t2), 0.5, a);
  return t > 0 ? twoSided / 2 : 1 - twoSided / 2;
}

/** P(X ≤ k) for X ~ Binomial(n, 1/2), summed exactly in log space (intended for small n). */
export function binomialHalfCdf(k: number, n: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  const logN = logGamma(n + 1);
  let total = 0;
  for (let i = 0; i <= k; i++) total += Math.exp(logN - logGamma(i + 1) - logGamma(n - i + 1) - n * Math.LN2);
  return Math.min(1, total);
}

/** Standard normal quantile (inverse CDF) for p in (0, 1), by bisection on normalCdf to double precision. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must lie in (0, 1), got ${p}`);
  let lo = -40;
  let hi = 40;
  for (let i = 0; i < 200 && hi - lo > 1e-15 * Math.max(1, Math.abs(lo)); i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
