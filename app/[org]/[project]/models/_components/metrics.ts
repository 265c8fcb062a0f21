/** The metric a model's row shows: the project's primary metric where the snapshot has it, else the task's headline metric. */
export function headlineMetric(task: string, metrics: Record<string, number | null> | null | undefined, projectPrimary?: string | null): { key: string; value: number | null } | null {
  if (!metrics) return null;
  const key = projectPrimary && projectPrimary in metrics ? projectPrimary : task === "binary" ? "rocAuc" : "rmse";
  return key in metrics ? { key, value: metrics[key] ?? null } : null;
}

/** Whether a larger value of an evaluation metric is better (the gate policy's own table decides gates; this only orders display). */
export const LOWER_IS_BETTER = new Set(["rmse", "mae", "mape", "logLoss"]);
