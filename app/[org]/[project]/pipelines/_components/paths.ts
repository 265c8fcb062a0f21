/** The URLs of the Pipelines pages, built in one place so links and navigation agree. */
export function pipelinePaths(projectBase: string) {
  const base = `${projectBase}/pipelines`;
  const pipeline = (name: string) => `${base}/${encodeURIComponent(name)}`;
  return {
    base,
    create: `${base}/new`,
    pipeline,
    edit: (name: string) => `${pipeline(name)}/edit`,
    run: (name: string, runId: string) => `${pipeline(name)}/runs/${runId}`,
  };
}

export type PipelinePaths = ReturnType<typeof pipelinePaths>;
