import type { HealthSeriesDto } from "@/server/deployments/schemas";

export type ChartRow = Record<string, string | number | null>;

/** A version's name in charts: "v2 candidate". */
export const seriesName = (v: { number: number; role: string }) => `v${v.number} ${v.role}`;

const clock = (iso: string) => {
  const d = new Date(iso);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}${d.getSeconds() ? `:${String(d.getSeconds()).padStart(2, "0")}` : ""}`;
};

/** Quiet buckets kept before the first one with requests, so a line starts from zero. */
const LEAD_BUCKETS = 2;

/**
 * The series pivoted to one row per time bucket for Tremor: request rate (per second of the bucket),
 * error rate (% of the bucket's requests, null without requests) and p50/p95 per version. The quiet
 * start of the window is cut (the series is zero-filled), so a burst a minute ago is not a spike at
 * the edge of an hour of nothing.
 */
export function healthRows(series: HealthSeriesDto): { rate: ChartRow[]; errors: ChartRow[]; latency: ChartRow[]; names: string[]; latencyNames: string[]; total: number } {
  const nameOf = new Map(series.versions.map((v) => [v.versionId, seriesName(v)]));
  const names = series.versions.map(seriesName);
  const latencyNames = names.flatMap((n) => [`${n} p50`, `${n} p95`]);
  const all = [...new Set(series.points.map((p) => p.t))].sort();
  const busy = new Set(series.points.filter((p) => p.requests > 0).map((p) => p.t));
  const first = all.findIndex((t) => busy.has(t));
  const times = first < 0 ? [] : all.slice(Math.max(0, first - LEAD_BUCKETS));
  const total = series.points.reduce((n, p) => n + p.requests, 0);
  const rate: ChartRow[] = [];
  const errors: ChartRow[] = [];
  const latency: ChartRow[] = [];
  for (const t of times) {
    const r: ChartRow = { time: clock(t) };
    const e: ChartRow = { time: clock(t) };
    const l: ChartRow = { time: clock(t) };
    for (const p of series.points.filter((q) => q.t === t)) {
      const name = nameOf.get(p.versionId);
      if (!name) continue;
      r[name] = p.requests / series.bucketSeconds;
      e[name] = p.requests > 0 ? (100 * p.errors) / p.requests : null;
      l[`${name} p50`] = p.p50Ms;
      l[`${name} p95`] = p.p95Ms;
    }
    rate.push(r);
    errors.push(e);
    latency.push(l);
  }
  return { rate, errors, latency, names, latencyNames, total };
}
