import type { RunRow } from "./columns";
import { formatParam } from "./format";

export type TableItem = { kind: "group"; value: string; label: string; count: number } | { kind: "run"; run: RunRow };

const MISSING = "\u0000missing";

/**
 * The rows of the table: runs as the server ordered them or, grouped by a param, a header per
 * value (numbers in numeric order, runs without the param last) followed by its runs unless collapsed.
 */
export function groupRuns(runs: RunRow[], groupBy: string | null, collapsed: ReadonlySet<string>): TableItem[] {
  if (!groupBy) return runs.map((run) => ({ kind: "run", run }));
  const groups = new Map<string, { raw: unknown; runs: RunRow[] }>();
  for (const run of runs) {
    const raw = run.params[groupBy];
    const value = raw === undefined ? MISSING : JSON.stringify(raw);
    const group = groups.get(value) ?? { raw, runs: [] };
    group.runs.push(run);
    groups.set(value, group);
  }
  const ordered = [...groups.entries()].sort(([a, ga], [b, gb]) => {
    if (a === MISSING || b === MISSING) return a === MISSING ? (b === MISSING ? 0 : 1) : -1;
    if (typeof ga.raw === "number" && typeof gb.raw === "number") return ga.raw - gb.raw;
    return formatParam(ga.raw).localeCompare(formatParam(gb.raw), undefined, { numeric: true });
  });
  const items: TableItem[] = [];
  for (const [value, group] of ordered) {
    items.push({ kind: "group", value, label: value === MISSING ? "(not set)" : formatParam(group.raw), count: group.runs.length });
    if (!collapsed.has(value)) for (const run of group.runs) items.push({ kind: "run", run });
  }
  return items;
}
