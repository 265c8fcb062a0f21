import { readSeriesMany, seriesOf } from "./series";
import { runsByIds } from "./runs";
import type { RunDto } from "./schemas";

/** Whether larger is better for a metric, guessed from its name (losses and errors go down). */
export function goalOf(key: string): "min" | "max" {
  return /loss|err|rmse|mse|mae|mape|perplexity|latency|time|cost/i.test(key) ? "min" : "max";
}

/**
 * Everything the compare view draws: the runs, every (run, metric) series downsampled to about
 * `points` points, the params with differing values flagged, and the best run per metric.
 */
export async function compareRuns(args: { projectId: string; runIds: string[]; keys?: string[]; points: number; stepRange?: [number, number] }) {
  const runs = await runsByIds(args.projectId, [...new Set(args.runIds)]);
  const series = await seriesOf(runs.map((r) => r.id), args.keys);
  const loaded = await readSeriesMany(series, args.points, args.stepRange);
  return { runs, series: loaded, params: paramsDiff(runs), best: bestPerMetric(runs) };
}

export function paramsDiff(runs: RunDto[]) {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
  return keys.map((key) => {
    const values = runs.map((r) => (key in r.params ? r.params[key] : undefined));
    const distinct = new Set(values.map((v) => JSON.stringify(v ?? null)));
    return { key, values: Object.fromEntries(runs.map((r, i) => [r.id, values[i] ?? null])), differs: distinct.size > 1 };
  });
}

export function bestPerMetric(runs: RunDto[]) {
  const keys = [...new Set(runs.flatMap((r) => r.metrics.map((m) => m.key)))].sort();
  return keys.map((key) => {
    const goal = goalOf(key);
    let best: { runId: string; value: number } | null = null;
    for (const r of runs) {
      const v = r.metrics.find((m) => m.key === key)?.last;
      if (v === null || v === undefined || Number.isNaN(v)) continue;
      if (!best || (goal === "min" ? v < best.value : v > best.value)) best = { runId: r.id, value: v };
    }
    return { key, goal, best };
  });
}
