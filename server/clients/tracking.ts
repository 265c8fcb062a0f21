/**
 * Typed TypeScript client for CI scripts and training code in Node: the tRPC API with an API
 * token, plus the /api/v1 byte uploads. Depends only on @trpc/client and superjson.
 *
 *   const cairn = createCairnClient({ url: process.env.CAIRN_API_URL!, token: process.env.CAIRN_TOKEN! });
 *   const run = await cairn.startRun({ projectId, experiment: "gbdt", params: { depth: 6 } });
 *   for (let step = 0; step < 100; step++) run.log({ loss: 1 / (step + 1) }, step);
 *   await run.finish();
 */
import { randomUUID } from "node:crypto";
import { createTRPCClient, httpLink } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "../api/root";
import type { CreateRunInput } from "../runs/schemas";

const MAX_BATCH = 10_000;

export interface CairnClientOptions {
  url: string;
  token: string;
  fetch?: typeof fetch;
}

export type CairnApi = ReturnType<typeof createTRPCClient<AppRouter>>;

export function createCairnClient(opts: CairnClientOptions) {
  const base = opts.url.replace(/\/+$/, "");
  const headers = { authorization: `Bearer ${opts.token}` };
  const api: CairnApi = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${base}/api/trpc`, transformer: superjson, headers, fetch: opts.fetch })],
  });
  const doFetch = opts.fetch ?? fetch;

  async function put(path: string, body: BodyInit, contentType = "application/octet-stream") {
    const res = await doFetch(`${base}${path}`, {
      method: "PUT",
      headers: { ...headers, "content-type": contentType },
      body,
      ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
    } as RequestInit);
    const json = (await res.json()) as { error?: { code: string; message: string } };
    if (!res.ok) throw new Error(`${res.status} ${json.error?.code ?? ""}: ${json.error?.message ?? ""}`);
    return json;
  }

  return {
    api,
    /** Starts a run and returns a handle that buffers metrics and sends them in idempotent batches. */
    async startRun(input: Omit<CreateRunInput, "experiment" | "status"> & { experiment?: string; status?: "QUEUED" | "RUNNING" }) {
      const run = await api.run.create.mutate({ experiment: "Default", status: "RUNNING", ...input });
      return runHandle(api, input.projectId, run.id, put);
    },
    attachRun: (projectId: string, runId: string) => runHandle(api, projectId, runId, put),
    /** Uploads a dataset version (a file's bytes or a stream); identical bytes return the existing version. */
    uploadDatasetVersion: (projectId: string, dataset: string, body: BodyInit, query: Record<string, string> = {}) =>
      put(`/api/v1/projects/${projectId}/datasets/${encodeURIComponent(dataset)}/versions?${new URLSearchParams(query)}`, body),
  };
}

function runHandle(api: CairnApi, projectId: string, runId: string, put: (path: string, body: BodyInit, contentType?: string) => Promise<unknown>) {
  let buffer: { key: string; step: number; value: number; timestamp: number }[] = [];
  let pending: Promise<void> = Promise.resolve();

  async function send(points: typeof buffer) {
    const batchId = randomUUID();
    // Retries reuse the batch id, so a batch that did arrive before a timeout is not stored twice.
    for (let attempt = 0; ; attempt++) {
      try {
        await api.run.logMetrics.mutate({ projectId, runId, batchId, points });
        return;
      } catch (err) {
        if (attempt >= 4) throw err;
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
    logParams: (params: Record<string, unknown>) => api.run.logParams.mutate({ projectId, runId, params }),
    setTags: (tags: Record<string, string>, note?: string, removeTags?: string[]) => api.run.setTags.mutate({ projectId, runId, tags, note, removeTags }),
    uploadArtifact: (path: string, body: BodyInit, contentType?: string) =>
      put(`/api/v1/projects/${projectId}/runs/${runId}/artifacts/${path.split("/").map(encodeURIComponent).join("/")}`, body, contentType),
    async finish(status: "FINISHED" | "FAILED" | "KILLED" = "FINISHED") {
      await handle.flush();
      return api.run.finish.mutate({ projectId, runId, status });
    },
  };
  return handle;
}
