/**
 * Cairn's TypeScript client for CI scripts and training code in Node (≥ 20): the tRPC procedures
 * and the /api/v1 endpoints over plain `fetch`, with no dependencies (install `@cairn-ml/cli`).
 *
 *   import { createCairnClient } from "@cairn-ml/cli";
 *   const cairn = createCairnClient({ url: process.env.CAIRN_URL!, token: process.env.CAIRN_TOKEN! });
 *   const run = await cairn.startRun({ projectId: await cairn.projectId("acme/eta"), experiment: "gbdt", params: { depth: 6 } });
 *   for (let step = 0; step < 100; step++) run.log({ loss: 1 / (step + 1) }, step);
 *   await run.finish();
 *
 * A project is named by its id or as "org-slug/project-slug" wherever a method takes `project`.
 */
import type { AliasMove, CreateRunInput, Deployment, GateReport, MetricPoint, Pipeline, PipelineDetail, PipelineRun, Run, UploadResult, WhoAmI } from "./types.js";
import { CairnApiError, fromSuperjson, readJson, restError, toSuperjson, trpcError } from "./wire.js";

export * from "./types.js";
export { CairnApiError, type YamlProblem } from "./wire.js";

const MAX_BATCH = 10_000;

export interface CairnClientOptions {
  url: string;
  token: string;
  fetch?: typeof fetch;
}

export interface UploadOptions {
  fileName?: string;
  format?: "csv" | "jsonl" | "parquet";
  /** Accept a version whose columns differ from the latest version's (otherwise 409). */
  allowSchemaChange?: boolean;
  /** Parent version ids of a derived version. */
  parents?: string[];
  /** Any other query parameter of the upload endpoint (delimiter, encoding, transform). */
  query?: Record<string, string>;
}

type Query = Record<string, string | undefined>;

/** What uploads accept: text, bytes, a Blob, or a web stream (Node: `Readable.toWeb(createReadStream(file))`). */
export type UploadBody = string | Uint8Array | ArrayBuffer | Blob | ReadableStream<Uint8Array>;

/** "org/project" → the path segment and `?org=`; an id (or a slug in a token's organisation) as is. */
export function projectLocation(project: string): { segment: string; org?: string } {
  const slash = project.indexOf("/");
  if (slash < 0) return { segment: encodeURIComponent(project) };
  return { segment: encodeURIComponent(project.slice(slash + 1)), org: project.slice(0, slash) };
}

export type CairnClient = ReturnType<typeof createCairnClient>;

export function createCairnClient(opts: CairnClientOptions) {
  const base = opts.url.replace(/\/+$/, "");
  const auth = { authorization: `Bearer ${opts.token}` };
  const doFetch = opts.fetch ?? fetch;

  async function call<T>(kind: "query" | "mutation", procedure: string, input: unknown): Promise<T> {
    const wrapped = JSON.stringify(toSuperjson(input));
    const res =
      kind === "query"
        ? await doFetch(`${base}/api/trpc/${procedure}?input=${encodeURIComponent(wrapped)}`, { headers: auth })
        : await doFetch(`${base}/api/trpc/${procedure}`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: wrapped });
    const body = (await readJson(res)) as { result?: { data: { json: unknown; meta?: { values?: Record<string, unknown> } } } } | null;
    if (!res.ok || !body?.result) throw trpcError(res.status, body);
    return fromSuperjson<T>(body.result.data);
  }

  async function rest<T>(method: string, path: string, args: { query?: Query; body?: UploadBody; contentType?: string } = {}): Promise<{ status: number; body: T }> {
    const query = new URLSearchParams(Object.entries(args.query ?? {}).filter((e): e is [string, string] => e[1] !== undefined));
    const url = `${base}${path}${query.size ? `?${query}` : ""}`;
    const headers: Record<string, string> = { ...auth };
    if (args.contentType) headers["content-type"] = args.contentType;
    const init = { method, headers, body: args.body, ...(args.body instanceof ReadableStream ? { duplex: "half" } : {}) };
    const res = await doFetch(url, init as RequestInit);
    const body = await readJson(res);
    if (!res.ok) throw restError(res.status, body);
    return { status: res.status, body: body as T };
  }

  /** A call under /api/v1/projects/{project}/…; `?org=` is added for "org/project". */
  const inProject = <T>(method: string, project: string, path: string, args: { query?: Query; body?: UploadBody; contentType?: string } = {}) => {
    const { segment, org } = projectLocation(project);
    return rest<T>(method, `/api/v1/projects/${segment}${path}`, { ...args, query: { org, ...args.query } });
  };
  const json = (value: unknown) => ({ body: JSON.stringify(value), contentType: "application/json" });
  const seg = encodeURIComponent;

  const whoami = async () => (await rest<WhoAmI>("GET", "/api/v1/whoami")).body;
  const projectIds = new Map<string, Promise<string>>();

  /** The project's id: "org/project" is looked up; no project means the token's own project. */
  async function projectId(project?: string): Promise<string> {
    if (project && !project.includes("/")) return project;
    const key = project ?? "";
    if (!projectIds.has(key)) {
      projectIds.set(
        key,
        (async () => {
          if (project) {
            const [orgSlug, projectSlug] = [project.slice(0, project.indexOf("/")), project.slice(project.indexOf("/") + 1)];
            return (await call<{ id: string }>("query", "project.get", { orgSlug, projectSlug })).id;
          }
          const me = await whoami();
          if (me.kind === "token" && me.projectId) return me.projectId;
          throw new CairnApiError(400, "NO_PROJECT", 'Name the project ("org/project" or its id): this token is not scoped to one project');
        })(),
      );
    }
    return projectIds.get(key)!;
  }

  const runs = {
    create: (input: CreateRunInput) => call<Run>("mutation", "run.create", input),
    get: (projectId: string, runId: string) => call<Run>("query", "run.get", { projectId, runId }),
    logParams: (projectId: string, runId: string, params: Record<string, unknown>) => call<Run>("mutation", "run.logParams", { projectId, runId, params }),
    setTags: (projectId: string, runId: string, tags: Record<string, string>, removeTags?: string[], note?: string) =>
      call<Run>("mutation", "run.setTags", { projectId, runId, tags, removeTags, note }),
    /** Up to 10,000 points; a batch retried with the same batchId is stored once. */
    logMetrics: (projectId: string, runId: string, points: MetricPoint[], batchId?: string) =>
      call<{ stored: number; duplicate: boolean }>("mutation", "run.logMetrics", { projectId, runId, batchId, points }),
    finish: (projectId: string, runId: string, status: "FINISHED" | "FAILED" | "KILLED" = "FINISHED") => call<Run>("mutation", "run.finish", { projectId, runId, status }),
  };

  const datasets = {
    /** Streams a dataset version's bytes; identical bytes answer the existing version (created: false). */
    upload: async (project: string, dataset: string, body: UploadBody, o: UploadOptions = {}) =>
      (
        await inProject<UploadResult>("PUT", project, `/datasets/${seg(dataset)}/versions`, {
          body,
          contentType: "application/octet-stream",
          query: { fileName: o.fileName, format: o.format, allowSchemaChange: o.allowSchemaChange ? "1" : undefined, parents: o.parents?.join(","), ...o.query },
        })
      ).body,
  };

  const pipelines = {
    list: async (project: string) => (await inProject<Pipeline[]>("GET", project, "/pipelines")).body,
    get: async (project: string, name: string) => (await inProject<PipelineDetail>("GET", project, `/pipelines/${seg(name)}`)).body,
    /** Saves cairn.yaml as the pipeline's next revision; a YAML mistake is a CairnApiError whose details.problems locate it. */
    push: async (project: string, yaml: string, o: { source?: "cli" | "api" } = {}) =>
      (await inProject<PipelineDetail>("PUT", project, "/pipelines", { body: yaml, contentType: "application/yaml", query: { source: o.source } })).body,
    /** Starts a run; with the same idempotencyKey the first run is answered (created: false). */
    start: async (project: string, name: string, o: { params?: Record<string, string | number | boolean>; idempotencyKey?: string } = {}) => {
      const res = await inProject<PipelineRun>("POST", project, `/pipelines/${seg(name)}/runs`, json({ params: o.params ?? {}, idempotencyKey: o.idempotencyKey }));
      return { run: res.body, created: res.status === 201 };
    },
    /** The pipeline's runs, newest first (at most `limit`, ≤ 200; 50 by default). */
    runs: async (project: string, name: string, o: { limit?: number } = {}) =>
      (await inProject<PipelineRun[]>("GET", project, `/pipelines/${seg(name)}/runs`, { query: { limit: o.limit === undefined ? undefined : String(o.limit) } })).body,
    /** A run by number; with `wait` (seconds, ≤ 60) the server holds the answer until the run finishes. */
    run: async (project: string, name: string, number: number, o: { wait?: number } = {}) =>
      (await inProject<PipelineRun>("GET", project, `/pipelines/${seg(name)}/runs/${number}`, { query: { wait: o.wait === undefined ? undefined : String(o.wait) } })).body,
    cancel: async (project: string, name: string, number: number) => (await inProject<PipelineRun>("POST", project, `/pipelines/${seg(name)}/runs/${number}/cancel`)).body,
    retryStep: async (project: string, name: string, number: number, step: string) =>
      (await inProject<PipelineRun>("POST", project, `/pipelines/${seg(name)}/runs/${number}/steps/${seg(step)}/retry`)).body,
  };

  const models = {
    /** The version's newest gate report; with `wait` (seconds, ≤ 120) the answer waits for it to finish. */
    gate: async (project: string, model: string, version: number, o: { wait?: number } = {}) =>
      (await inProject<GateReport>("GET", project, `/models/${seg(model)}/versions/${version}/gate`, { query: { wait: o.wait === undefined ? undefined : String(o.wait) } })).body,
    promote: async (project: string, model: string, version: number) => (await inProject<AliasMove>("POST", project, `/models/${seg(model)}/promote`, json({ version }))).body,
    rollback: async (project: string, model: string, reason?: string) => (await inProject<AliasMove>("POST", project, `/models/${seg(model)}/rollback`, json(reason ? { reason } : {}))).body,
  };

  const deployments = {
    list: async (project: string) => (await inProject<{ deployments: Deployment[] }>("GET", project, "/deployments")).body.deployments,
    get: async (project: string, name: string) => (await inProject<Deployment>("GET", project, `/deployments/${seg(name)}`)).body,
  };

  const putArtifact = async (projectId: string, runId: string, path: string, body: UploadBody, contentType = "application/octet-stream") =>
    (await rest<unknown>("PUT", `/api/v1/projects/${seg(projectId)}/runs/${seg(runId)}/artifacts/${path.split("/").map(seg).join("/")}`, { body, contentType })).body;

  function runHandle(projectId: string, runId: string) {
    let buffer: MetricPoint[] = [];
    let pending: Promise<void> = Promise.resolve();

    async function send(points: MetricPoint[]) {
      const batchId = crypto.randomUUID();
      // Retries reuse the batch id, so a batch that did arrive before a timeout is not stored twice.
      for (let attempt = 0; ; attempt++) {
        try {
          await runs.logMetrics(projectId, runId, points, batchId);
          return;
        } catch (err) {
          if (attempt >= 4 || (err instanceof CairnApiError && err.status < 500 && err.status !== 429)) throw err;
          await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
        }
      }
    }

    const handle = {
      id: runId,
      /** Buffers points; a full batch is sent in the background (await flush() to know it arrived). */
      log(metrics: Record<string, number>, step: number, timestamp = Date.now()) {
        for (const [key, value] of Object.entries(metrics)) buffer.push({ key, step, value, timestamp });
        if (buffer.length >= MAX_BATCH) void handle.flush();
      },
      async flush() {
        while (buffer.length > 0) {
          const batch = buffer.slice(0, MAX_BATCH);
          buffer = buffer.slice(MAX_BATCH);
          pending = pending.then(() => send(batch));
        }
        await pending;
      },
      logParams: (params: Record<string, unknown>) => runs.logParams(projectId, runId, params),
      setTags: (tags: Record<string, string>, note?: string, removeTags?: string[]) => runs.setTags(projectId, runId, tags, removeTags, note),
      uploadArtifact: (path: string, body: UploadBody, contentType?: string) => putArtifact(projectId, runId, path, body, contentType),
      async finish(status: "FINISHED" | "FAILED" | "KILLED" = "FINISHED") {
        await handle.flush();
        return runs.finish(projectId, runId, status);
      },
    };
    return handle;
  }

  return {
    url: base,
    /** Any tRPC query or mutation by name, e.g. query("run.list", { projectId, filter }). */
    query: <T = unknown>(procedure: string, input: unknown) => call<T>("query", procedure, input),
    mutation: <T = unknown>(procedure: string, input: unknown) => call<T>("mutation", procedure, input),
    whoami,
    projectId,
    runs,
    datasets,
    pipelines,
    models,
    deployments,
    /** Starts a run and returns a handle that buffers metrics and sends them in idempotent batches. */
    async startRun(input: CreateRunInput) {
      const run = await runs.create({ experiment: "Default", status: "RUNNING", ...input });
      return runHandle(input.projectId, run.id);
    },
    attachRun: (projectId: string, runId: string) => runHandle(projectId, runId),
    /** Uploads a dataset version (a file's bytes or a stream); identical bytes return the existing version. */
    uploadDatasetVersion: (project: string, dataset: string, body: UploadBody, query: Record<string, string> = {}) => datasets.upload(project, dataset, body, { query }),
  };
}
