import { db } from "../db";
import { readSeriesMany, seriesOf } from "./series";
import { runsByIds } from "./runs";
import { goalOf, type RunDto } from "./schemas";


/**
 * Everything the compare view draws: the runs, every (run, metric) series downsampled to about
 * `points` points, the params with differing values flagged, and the best run per metric.
 */
export async function compareRuns(args: { projectId: string; runIds: string[]; keys?: string[]; points: number; stepRange?: [number, number] }) {
  const runs = await runsByIds(args.projectId, [...new Set(args.runIds)]);
  const series = await seriesOf(runs.map((r) => r.id), args.keys);
  const loaded = await readSeriesMany(series, args.points, args.stepRange);
  const data = await runData(args.projectId, runs);
  return { runs, series: loaded, params: paramsDiff(runs), best: bestPerMetric(runs), data, warnings: comparabilityWarnings(runs, data) };
}

/** Each run's input dataset versions (its trained_on lineage edges) and its target param. */
async function runData(projectId: string, runs: RunDto[]) {
  const edges = await db().lineageEdge.findMany({ where: { projectId, fromKind: "run", fromId: { in: runs.map((r) => r.id) }, toKind: "dataset_version" } });
  const versions = await db().datasetVersion.findMany({
    where: { projectId, id: { in: [...new Set(edges.map((e) => e.toId))] } },
    select: { id: true, number: true, dataset: { select: { slug: true, name: true } } },
  });
  const byId = new Map(versions.map((v) => [v.id, { versionId: v.id, datasetSlug: v.dataset.slug, datasetName: v.dataset.name, number: v.number }]));
  return runs.map((r) => ({
    runId: r.id,
    inputs: edges
      .filter((e) => e.fromId === r.id)
      .flatMap((e) => byId.get(e.toId) ?? [])
      .sort((a, b) => a.datasetSlug.localeCompare(b.datasetSlug) || a.number - b.number),
    target: typeof r.params.target === "string" ? r.params.target : null,
  }));
}

/** Runs that learned from different data, or predict different targets, have metrics that do not rank against each other. */
export function comparabilityWarnings(runs: RunDto[], data: Awaited<ReturnType<typeof runData>>): string[] {
  const warnings: string[] = [];
  const label = (runId: string) => runs.find((r) => r.id === runId)?.name ?? runId;
  const withInputs = data.filter((d) => d.inputs.length > 0);
  const dataKeys = new Set(withInputs.map((d) => d.inputs.map((i) => i.versionId).join(",")));
  if (dataKeys.size > 1) {
    const groups = [...dataKeys].map((k) => {
      const members = withInputs.filter((d) => d.inputs.map((i) => i.versionId).join(",") === k);
      return `${members[0]!.inputs.map((i) => `${i.datasetSlug} v${i.number}`).join(" + ")} (${members.map((m) => label(m.runId)).join(", ")})`;
    });
    warnings.push(`These runs were trained on different data: ${groups.join("; ")}. Their metrics are not measured on the same rows, so "best" does not rank them.`);
  }
  const targets = new Set(data.map((d) => d.target).filter((t): t is string => t !== null));
  if (targets.size > 1) warnings.push(`These runs predict different targets (${[...targets].join(", ")}): their metrics measure different things.`);
  return warnings;
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
