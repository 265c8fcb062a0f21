/** The URLs of the Monitors pages and of the pages a monitor's chain links to, built in one place so links agree. */
export function monitorPaths(projectBase: string) {
  const base = `${projectBase}/monitors`;
  return {
    base,
    monitor: (name: string) => `${base}/${encodeURIComponent(name)}`,
    deployments: `${projectBase}/deployments`,
    deployment: (name: string) => `${projectBase}/deployments/${encodeURIComponent(name)}`,
    pipeline: (name: string) => `${projectBase}/pipelines/${encodeURIComponent(name)}`,
    /** The pipelines pages address a run by its id under its pipeline's name. */
    pipelineRun: (pipeline: string, runId: string) => `${projectBase}/pipelines/${encodeURIComponent(pipeline)}/runs/${encodeURIComponent(runId)}`,
    modelVersion: (model: string, number: number) => `${projectBase}/models/${encodeURIComponent(model)}/versions/${number}`,
  };
}

export type MonitorPaths = ReturnType<typeof monitorPaths>;
