/**
 * Downsampling of metric series for charts: a chart a few hundred pixels wide needs a few hundred
 * points, and min/max buckets keep what the eye must see (spikes, the first and last point).
 */

export interface SeriesPoint {
  step: number;
  value: number;
  /** Epoch milliseconds. */
  ts: number;
}

/** A pre-aggregated bucket of a series: the points that matter for drawing it. */
export interface BucketSummary {
  count: number;
  first: SeriesPoint;
  last: SeriesPoint;
  min: SeriesPoint | null;
  max: SeriesPoint | null;
}

const isNum = (v: number) => !Number.isNaN(v);

/** Summarises sorted points into one bucket (min and max ignore NaN). */
export function summarise(points: SeriesPoint[]): BucketSummary | null {
  if (points.length === 0) return null;
  let min: SeriesPoint | null = null;
  let max: SeriesPoint | null = null;
  for (const p of points) {
    if (!isNum(p.value)) continue;
    if (!min || p.value < min.value) min = p;
    if (!max || p.value > max.value) max = p;
  }
  return { count: points.length, first: points[0]!, last: points.at(-1)!, min, max };
}

/** Merges adjacent bucket summaries (in step order) into one. */
export function mergeSummaries(parts: BucketSummary[]): BucketSummary | null {
  if (parts.length === 0) return null;
  let min: SeriesPoint | null = null;
  let max: SeriesPoint | null = null;
  let count = 0;
  for (const p of parts) {
    count += p.count;
    if (p.min && (!min || p.min.value < min.value)) min = p.min;
    if (p.max && (!max || p.max.value > max.value)) max = p.max;
  }
  return { count, first: parts[0]!.first, last: parts.at(-1)!.last, min, max };
}

/** The distinct points of a bucket in step order: first, min and max where they fall, last. */
function bucketPoints(b: BucketSummary): SeriesPoint[] {
  const pts = [b.first, b.min, b.max, b.last].filter((p): p is SeriesPoint => p !== null);
  pts.sort((x, y) => x.step - y.step || x.ts - y.ts);
  return pts.filter((p, i) => i === 0 || p !== pts[i - 1]);
}

/**
 * Groups step-sorted bucket summaries (or raw points as one-point buckets) into about `target`
 * output points. Every output keeps the series' first and last point and its global min and max.
 */
export function downsampleSummaries(buckets: BucketSummary[], target: number): SeriesPoint[] {
  if (buckets.length === 0) return [];
  const perBucket = 4;
  const groups = Math.max(1, Math.floor(target / perBucket));
  const lo = buckets[0]!.first.step;
  const hi = buckets.at(-1)!.last.step;
  const width = (hi - lo) / groups || 1;
  const grouped: BucketSummary[][] = [];
  let current: BucketSummary[] = [];
  let index = 0;
  for (const b of buckets) {
    const g = Math.min(groups - 1, Math.floor((b.first.step - lo) / width));
    if (g !== index && current.length) {
      grouped.push(current);
      current = [];
    }
    index = g;
    current.push(b);
  }
  if (current.length) grouped.push(current);
  const out: SeriesPoint[] = [];
  for (const g of grouped) {
    const merged = mergeSummaries(g);
    if (merged) out.push(...bucketPoints(merged));
  }
  return out;
}

/** Min/max-bucket downsampling of raw step-sorted points to about `target` points. */
export function downsample(points: SeriesPoint[], target: number): SeriesPoint[] {
  if (points.length <= target) return points;
  return downsampleSummaries(
    points.map((p) => ({ count: 1, first: p, last: p, min: isNum(p.value) ? p : null, max: isNum(p.value) ? p : null })),
    target,
  );
}

/**
 * Largest-triangle-three-buckets (Steinarsson 2013): keeps the visual shape with exactly
 * `target` points, always including the first and last point. NaN points are kept out of the
 * triangles and cannot be selected.
 */
export function lttb(points: SeriesPoint[], target: number): SeriesPoint[] {
  const data = points.filter((p) => Number.isFinite(p.value));
  if (target >= data.length || target < 3) return data;
  const out: SeriesPoint[] = [data[0]!];
  const every = (data.length - 2) / (target - 2);
  let a = 0;
  for (let i = 0; i < target - 2; i++) {
    const avgStart = Math.floor((i + 1) * every) + 1;
    const avgEnd = Math.min(Math.floor((i + 2) * every) + 1, data.length);
    let avgX = 0;
    let avgY = 0;
    for (let j = avgStart; j < avgEnd; j++) {
      avgX += data[j]!.step;
      avgY += data[j]!.value;
    }
    const n = Math.max(1, avgEnd - avgStart);
    avgX /= n;
    avgY /= n;
    const rangeStart = Math.floor(i * every) + 1;
    const rangeEnd = Math.floor((i + 1) * every) + 1;
    const pa = data[a]!;
    let best = rangeStart;
    let bestArea = -1;
    for (let j = rangeStart; j < rangeEnd; j++) {
      const p = data[j]!;
      const area = Math.abs((pa.step - avgX) * (p.value - pa.value) - (pa.step - p.step) * (avgY - pa.value));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out.push(data[best]!);
    a = best;
  }
  out.push(data.at(-1)!);
  return out;
}
