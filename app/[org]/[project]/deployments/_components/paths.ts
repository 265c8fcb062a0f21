/** The URLs of the Deployments pages, built in one place so links and navigation agree. */
export function deploymentPaths(projectBase: string) {
  const base = `${projectBase}/deployments`;
  return { base, deployment: (name: string) => `${base}/${encodeURIComponent(name)}` };
}

/** The Open Inference Protocol path a deployment answers on (names are URL-safe by ZDeploymentName; "{name}" shows the pattern). */
export const inferUrl = (serveUrl: string, name: string) => `${serveUrl}/v2/models/${name}/infer`;
