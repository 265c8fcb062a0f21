import { rankingMetricOf } from "@/server/runs/schemas";
import type { RunRow } from "./types";

export type { RunRow };

/**
 * A user-chosen column. Its id doubles as the URL value and, for plain keys, as the server's sort
 * field: `metrics.rmse`, `min(metrics.loss)`, `max(metrics.acc)`, `params.depth`, `tags.team`.
 */
export interface DataColumn {
  id: string;
  kind: "metric" | "param" | "tag";
  key: string;
  agg: "last" | "min" | "max";
}

const SCOPE = { metric: "metrics", param: "params", tag: "tags" } as const;

export function columnId(kind: DataColumn["kind"], key: string, agg: DataColumn["agg"] = "last"): string {
  const field = `${SCOPE[kind]}.${key}`;
  return kind === "metric" && agg !== "last" ? `${agg}(${field})` : field;
}

export function parseColumnId(id: string): DataColumn | null {
  const agg = /^(min|max)\(metrics\.(.+)\)$/.exec(id);
  if (agg) return { id, kind: "metric", key: agg[2]!, agg: agg[1] as "min" | "max" };
  const plain = /^(metrics|params|tags)\.(.+)$/.exec(id);
  if (!plain) return null;
  const kind = plain[1] === "metrics" ? "metric" : plain[1] === "params" ? "param" : "tag";
  return { id, kind, key: plain[2]!, agg: "last" };
}

/** Keys the filter language reads bare; anything else goes in backticks (which themselves cannot be quoted). */
const BARE_KEY = /^[A-Za-z0-9_][A-Za-z0-9_.\-/:]*$/;

/** The field expression the server sorts by, or null for keys the filter language cannot spell. */
export function sortField(column: DataColumn): string | null {
  if (column.key.includes("`")) return null;
  const key = BARE_KEY.test(column.key) ? column.key : `\`${column.key}\``;
  const field = `${SCOPE[column.kind]}.${key}`;
  return column.agg === "last" ? field : `${column.agg}(${field})`;
}

/** Built-in columns the server can sort by, under the attribute names of the filter language. */
export const ATTRIBUTE_SORTS = ["status", "name", "experiment", "created"] as const;

export function columnLabel(column: DataColumn): string {
  if (column.kind !== "metric") return column.key;
  return column.agg === "last" ? column.key : `${column.key} (${column.agg})`;
}

export function cellValue(run: RunRow, column: DataColumn): unknown {
  if (column.kind === "param") return run.params[column.key];
  if (column.kind === "tag") return run.tags[column.key];
  const m = run.metrics.find((s) => s.key === column.key);
  return m ? m[column.agg] : undefined;
}

/** Every param, metric and tag key among the loaded runs, sorted, for the column picker. */
export function availableKeys(runs: RunRow[]) {
  const params = new Set<string>();
  const metrics = new Set<string>();
  const tags = new Set<string>();
  for (const r of runs) {
    for (const k of Object.keys(r.params)) params.add(k);
    for (const m of r.metrics) metrics.add(m.key);
    for (const k of Object.keys(r.tags)) tags.add(k);
  }
  const sorted = (s: Set<string>) => [...s].sort((a, b) => a.localeCompare(b));
  return { params: sorted(params), metrics: sorted(metrics), tags: sorted(tags) };
}

/** A fresh table fits a laptop screen beside the sidebar: the fixed columns and four data columns. */
const DEFAULT_DATA_COLUMNS = 4;

/** The project's primary metric, else the evaluation metric the runs have that usually ranks models. */
export function rankingMetric(runs: readonly RunRow[], primary: string | null): string | null {
  return rankingMetricOf(runs.flatMap((r) => r.metrics.map((m) => m.key)), primary);
}

/**
 * What a fresh view shows before the user picks, chosen from what the loaded runs actually have: the
 * ranking metric first, then the metrics most runs report (test/* before per-round ones), then the
 * params whose values differ between runs (a param every run shares says nothing), most common first.
 */
export function defaultColumns(runs: readonly RunRow[], primary: string | null): string[] {
  const metricCount = new Map<string, number>();
  const paramValues = new Map<string, Set<string>>();
  const paramCount = new Map<string, number>();
  for (const r of runs) {
    for (const m of r.metrics) metricCount.set(m.key, (metricCount.get(m.key) ?? 0) + 1);
    for (const [k, v] of Object.entries(r.params)) {
      paramCount.set(k, (paramCount.get(k) ?? 0) + 1);
      if (!paramValues.has(k)) paramValues.set(k, new Set());
      paramValues.get(k)!.add(JSON.stringify(v));
    }
  }
  const ranking = rankingMetric(runs, primary);
  const metrics = [...metricCount.keys()]
    .filter((k) => k !== ranking)
    .sort((a, b) => Number(b.startsWith("test/")) - Number(a.startsWith("test/")) || metricCount.get(b)! - metricCount.get(a)! || a.localeCompare(b));
  // A param counts as varying when runs disagree on it or only some runs have it.
  const varies = (k: string) => paramValues.get(k)!.size > 1 || paramCount.get(k)! < runs.length;
  const params = [...paramCount.keys()]
    .filter((k) => runs.length < 2 || varies(k))
    .sort((a, b) => paramCount.get(b)! - paramCount.get(a)! || a.localeCompare(b));
  const metricKeys = [...(ranking ? [ranking] : []), ...metrics];
  // Two metrics and two params when params vary; otherwise metrics fill the room.
  const paramRoom = Math.min(2, params.length);
  const metricIds = metricKeys.slice(0, DEFAULT_DATA_COLUMNS - paramRoom).map((k) => columnId("metric", k));
  const paramIds = params.slice(0, DEFAULT_DATA_COLUMNS - metricIds.length).map((k) => columnId("param", k));
  return [...metricIds, ...paramIds];
}
