/**
 * Quantiles from a bucketed histogram, the way Prometheus' histogram_quantile reads one: find the
 * bucket where the cumulative count reaches q·total and interpolate linearly between its lower and
 * upper bound (the first bucket starts at 0). A quantile that falls in the open last bucket (+Inf)
 * is reported as the highest finite bound, i.e. "at least this slow".
 */

/** `bounds` are the finite upper bounds in increasing order; `counts` has one more entry (the +Inf bucket). Null when empty. */
export function histogramQuantile(bounds: readonly number[], counts: readonly number[], q: number): number | null {
  if (counts.length !== bounds.length + 1) throw new RangeError(`histogramQuantile: ${counts.length} counts for ${bounds.length} bounds (expected bounds + 1)`);
  if (!(q >= 0 && q <= 1)) throw new RangeError(`histogramQuantile: q must be in [0, 1], got ${q}`);
  let total = 0;
  for (const c of counts) total += c;
  if (total <= 0) return null;
  const rank = q * total;
  let cumulative = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (c > 0 && cumulative + c >= rank) {
      if (i === bounds.length) return bounds[bounds.length - 1] ?? null;
      const lower = i === 0 ? 0 : bounds[i - 1]!;
      const upper = bounds[i]!;
      return lower + ((upper - lower) * (rank - cumulative)) / c;
    }
    cumulative += c;
  }
  return bounds[bounds.length - 1] ?? null;
}
