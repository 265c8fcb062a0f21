/**
 * Chart-ready rows for the monitor pages. The reports arrive already computed (statistic, threshold,
 * verdict per feature and window); these only arrange them for Tremor, which wants one object per
 * x-axis point with a key per series.
 */

/** The part of a feature result the charts read. */
export interface FeaturePoint {
  feature: string;
  value: number | null;
  threshold: number | null;
  drifted: boolean;
}

/** The part of a report the charts read. */
export interface ReportPoint {
  windowEnd: Date;
  features: readonly FeaturePoint[];
}

export type ChartRow = Record<string, string | number | null>;

const timeLabel = new Intl.DateTimeFormat("en-GB", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC" });

/** "29 Nov, 12:00" in UTC: windows are cut on UTC hours and days. */
export const windowLabel = (d: Date) => timeLabel.format(d);

/**
 * The statistic divided by its threshold: 1 is the alarm line whatever the statistic or window size,
 * so features tested with PSI, KS or chi-square share one axis. Null where either is missing or the
 * threshold is not positive (nothing to be relative to).
 */
export function relativeToThreshold(p: Pick<FeaturePoint, "value" | "threshold">): number | null {
  if (p.value === null || p.threshold === null || !(p.threshold > 0) || !Number.isFinite(p.value)) return null;
  return p.value / p.threshold;
}

/** Features in the order first seen, across all reports (a feature added later still gets its series). */
export function featureNames(reports: readonly ReportPoint[]): string[] {
  const seen = new Set<string>();
  for (const r of reports) for (const f of r.features) seen.add(f.feature);
  return [...seen];
}

/** Oldest first, one row per report: `time` and, per feature, its statistic relative to its threshold. */
export function driftRows(reports: readonly ReportPoint[]): { rows: ChartRow[]; features: string[] } {
  const features = featureNames(reports);
  const sorted = [...reports].sort((a, b) => a.windowEnd.getTime() - b.windowEnd.getTime());
  const rows = sorted.map((r) => {
    const row: ChartRow = { time: windowLabel(r.windowEnd) };
    for (const name of features) {
      const f = r.features.find((x) => x.feature === name);
      row[name] = f ? relativeToThreshold(f) : null;
    }
    return row;
  });
  return { rows, features };
}

/** One heat-map cell: the relative statistic and the verdict, or null where the feature was not tested. */
export interface HeatCell {
  ratio: number | null;
  drifted: boolean;
}

/** Rows = features, columns = reports oldest first. */
export function heatGrid(reports: readonly ReportPoint[]): { columns: string[]; rows: { feature: string; cells: (HeatCell | null)[] }[] } {
  const sorted = [...reports].sort((a, b) => a.windowEnd.getTime() - b.windowEnd.getTime());
  return {
    columns: sorted.map((r) => windowLabel(r.windowEnd)),
    rows: featureNames(sorted).map((feature) => ({
      feature,
      cells: sorted.map((r) => {
        const f = r.features.find((x) => x.feature === feature);
        return f ? { ratio: relativeToThreshold(f), drifted: f.drifted } : null;
      }),
    })),
  };
}

/** Cell colour: below half the threshold quiet, up to it amber, beyond it rose; a drifted verdict is always rose. */
export function heatClass(cell: HeatCell | null): string {
  if (cell === null || cell.ratio === null) return "bg-gray-100";
  if (cell.drifted) return cell.ratio >= 2 ? "bg-rose-600" : "bg-rose-400";
  if (cell.ratio >= 1) return "bg-amber-400"; // over the threshold but under the effect-size floor
  if (cell.ratio >= 0.5) return "bg-amber-200";
  return "bg-emerald-200";
}

/** Drift share of the last reports, oldest first, for a sparkline (share 0-1 → percent). */
export function shareSeries(points: readonly { windowEnd: Date; share: number | null }[]): { time: string; share: number }[] {
  return [...points]
    .filter((p): p is { windowEnd: Date; share: number } => p.share !== null)
    .sort((a, b) => a.windowEnd.getTime() - b.windowEnd.getTime())
    .map((p) => ({ time: windowLabel(p.windowEnd), share: Math.round(p.share * 1000) / 10 }));
}

/**
 * A bin's label with its numeric edges to four significant digits ("28.25–30.79", not
 * "28.251–30.791999999999"). Only labels made of numbers and range signs are touched: a category
 * such as "v1.25" keeps its name.
 */
export function binLabel(label: string): string {
  if (!/^[-+\d.e\s–<>≤≥,()[\]]+$/i.test(label) || !/\d/.test(label)) return label;
  return label.replace(/\d+\.\d+(?:e[-+]?\d+)?/gi, (x) => String(Number(Number(x).toPrecision(4))));
}

/** Reference vs current histogram bars: shares in percent so windows of any size compare with the reference. */
export function histogramRows(bins: readonly { label: string; reference: number; current: number }[]): ChartRow[] {
  const refTotal = bins.reduce((s, b) => s + b.reference, 0);
  const curTotal = bins.reduce((s, b) => s + b.current, 0);
  const pct = (n: number, total: number) => (total > 0 ? Math.round((n / total) * 10000) / 100 : 0);
  return bins.map((b) => ({ bin: binLabel(b.label), Reference: pct(b.reference, refTotal), Current: pct(b.current, curTotal) }));
}

/** What a concept report's figures hold: metric values per version id, and the labels that arrived. */
interface ConceptFigures {
  metrics: Record<string, Record<string, number | null>>;
  labels: number;
  stableVersionId: string | null;
}

/** Reads the figures of a concept report; anything else in them (or a malformed entry) is left out. */
export function conceptFigures(figures: Record<string, unknown>): ConceptFigures {
  const metrics: ConceptFigures["metrics"] = {};
  const raw = figures.metrics;
  if (typeof raw === "object" && raw !== null) {
    for (const [version, values] of Object.entries(raw)) {
      if (typeof values !== "object" || values === null) continue;
      metrics[version] = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === "number" && Number.isFinite(v) ? v : null]));
    }
  }
  return {
    metrics,
    labels: typeof figures.labels === "number" ? figures.labels : 0,
    stableVersionId: typeof figures.stableVersionId === "string" ? figures.stableVersionId : null,
  };
}

/**
 * Performance over time from concept reports: one row per window with each metric of the stable
 * version (and of a candidate, while one serves), and beside it the labels that arrived per window
 * against the number needed. A window still waiting for labels is a gap, not a zero.
 */
export function performanceRows(reports: readonly { windowEnd: Date; verdict: string; figures: Record<string, unknown> }[]): {
  rows: ChartRow[];
  series: string[];
  labels: ChartRow[];
} {
  const sorted = [...reports].sort((a, b) => a.windowEnd.getTime() - b.windowEnd.getTime());
  const series = new Set<string>();
  const rows = sorted.map((r) => {
    const f = conceptFigures(r.figures);
    const row: ChartRow = { time: windowLabel(r.windowEnd) };
    for (const [version, values] of Object.entries(f.metrics)) {
      const role = version === f.stableVersionId ? "stable" : "candidate";
      for (const [metric, value] of Object.entries(values)) {
        const name = `${metric} (${role})`;
        series.add(name);
        row[name] = r.verdict === "insufficient" ? null : value;
      }
    }
    return row;
  });
  for (const row of rows) for (const name of series) if (!(name in row)) row[name] = null;
  const labels = sorted.map((r) => ({ time: windowLabel(r.windowEnd), labels: conceptFigures(r.figures).labels }));
  return { rows, series: [...series], labels };
}
