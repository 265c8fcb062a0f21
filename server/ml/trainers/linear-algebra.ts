/** Dense symmetric positive-definite solves for the linear trainers (row-major d × d matrices). */

/** Lower-triangular Cholesky factor of a symmetric positive-definite matrix; null when it is not one. */
export function cholesky(a: Float64Array, d: number): Float64Array | null {
  const l = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    let diagonal = a[j * d + j]!;
    for (let k = 0; k < j; k++) diagonal -= l[j * d + k]! * l[j * d + k]!;
    // Relative to the original diagonal, so that a column that is a combination of others is caught
    // even though rounding leaves a tiny positive pivot.
    if (!(diagonal > 1e-13 * Math.abs(a[j * d + j]!))) return null;
    const pivot = Math.sqrt(diagonal);
    l[j * d + j] = pivot;
    for (let i = j + 1; i < d; i++) {
      let s = a[i * d + j]!;
      for (let k = 0; k < j; k++) s -= l[i * d + k]! * l[j * d + k]!;
      l[i * d + j] = s / pivot;
    }
  }
  return l;
}

/** Solves L Lᵀ x = b given the Cholesky factor L. */
export function choleskySolve(l: Float64Array, d: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(b);
  for (let i = 0; i < d; i++) {
    let s = x[i]!;
    for (let k = 0; k < i; k++) s -= l[i * d + k]! * x[k]!;
    x[i] = s / l[i * d + i]!;
  }
  for (let i = d - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let k = i + 1; k < d; k++) s -= l[k * d + i]! * x[k]!;
    x[i] = s / l[i * d + i]!;
  }
  return x;
}

/** Solves A x = b for symmetric positive-definite A; throws with `hint` when A is singular. */
export function solveSpd(a: Float64Array, d: number, b: ArrayLike<number>, hint: string): Float64Array {
  const l = cholesky(a, d);
  if (!l) throw new Error(`the normal equations are singular: ${hint}`);
  return choleskySolve(l, d, b);
}
