import { RUN_COLORS } from "../_components/chart-data";
import type { CompareData } from "../_components/types";

export interface LabelledRun {
  run: CompareData["runs"][number];
  label: string;
  color: string;
}

/**
 * The runs in the order the URL lists them, each with a legend label (its name, plus its number
 * where names repeat, since charts key lines by label) and a colour kept the same in every chart.
 */
export function labelRuns(runs: CompareData["runs"], order: string[]): LabelledRun[] {
  const position = new Map(order.map((id, i) => [id, i]));
  const sorted = [...runs].sort((a, b) => (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0));
  const counts = new Map<string, number>();
  for (const r of sorted) counts.set(r.name, (counts.get(r.name) ?? 0) + 1);
  return sorted.map((run, i) => ({
    run,
    label: counts.get(run.name)! > 1 ? `${run.name} #${run.number}` : run.name,
    color: RUN_COLORS[i % RUN_COLORS.length]!,
  }));
}
