/**
 * TensorBoard's smoothing: an exponential moving average divided by the weight the missing history
 * would have carried, so the first points are not pulled towards zero. Non-finite values pass through.
 */
export function smoothSeries(values: number[], weight: number): number[] {
  if (weight <= 0) return values.slice();
  let last = 0;
  let n = 0;
  return values.map((v) => {
    if (!Number.isFinite(v)) return v;
    last = last * weight + (1 - weight) * v;
    n++;
    return last / (1 - weight ** n);
  });
}
