/**
 * Exact two-sided p-value of the two-sample Kolmogorov–Smirnov statistic, ported from SciPy 1.10
 * (scipy/stats/_stats_py.py `_attempt_exact_2kssamp`, `_compute_prob_outside_square` and the Pythran
 * `_compute_outer_prob_inside_method`, BSD-3-Clause). ks_2samp(method="auto") uses it when neither
 * sample has more than 10,000 values.
 */

/** SciPy's "auto" method is exact up to this many values in the larger sample. */
export const KS_EXACT_MAX_N = 10_000;

const INT32_MAX = 2 ** 31 - 1;

export function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

// numpy.round rounds halves to even.
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

// Pr(D_{n,n} ≥ h/n) = 2·(A0 − A0A1 + …) evaluated Horner-like to avoid cancellation.
function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1 - p);
  }
  return 2 * p;
}

// Share of lattice paths from (0,0) to (m,n) that leave the band |x/m − y/n| < h/lcm(m,n), with
// Viehmann's recursion for 1 − p, which stays accurate for tiny p-values.
function outerProbInside(m0: number, n0: number, g: number, h: number): number {
  const [m, n] = m0 >= n0 ? [m0, n0] : [n0, m0];
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const a = new Float64Array(Math.min(2 * maxj + 2, n + 1)).fill(1);
  a.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (a[jj + minj - lastminj]! * i + val * j) / (i + j);
      a[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) a.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return a[maxj - minj - 1]!;
}

/**
 * SciPy's exact attempt: the statistic is snapped to the lattice (h/lcm) as SciPy returns it (and then
 * keeps, even when it falls back); pValue null where SciPy falls back to the asymptotic method (a
 * result outside [0, 1]); null altogether when lcm(n1, n2) is too large to try.
 */
export function ksExactTwoSided(n1: number, n2: number, d: number): { statistic: number; pValue: number | null } | null {
  const g = gcd(n1, n2);
  if (n1 / g >= INT32_MAX / (n2 / g)) return null;
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  const statistic = h / lcm;
  if (h === 0) return { statistic, pValue: 1 };
  const p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
  return { statistic, pValue: p >= 0 && p <= 1 ? p : null };
}
