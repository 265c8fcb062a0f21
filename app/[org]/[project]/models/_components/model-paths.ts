/** The URLs of a model's pages, built in one place so links and navigation agree. */
export function modelPaths(projectBase: string, name: string) {
  const base = `${projectBase}/models/${encodeURIComponent(name)}`;
  return {
    base,
    policy: `${base}/policy`,
    settings: `${base}/settings`,
    version: (number: number) => `${base}/versions/${number}`,
    compare: (a: number, b: number) => `${base}/compare?a=${a}&b=${b}`,
  };
}

export type ModelPaths = ReturnType<typeof modelPaths>;
