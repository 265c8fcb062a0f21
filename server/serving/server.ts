/**
 * The serving process's HTTP server: plain node:http, Open Inference Protocol v2 REST
 * (/v2/health/live|ready, /v2/models/{name}[/ready|/infer]) plus {"instances": [...]} on the same
 * infer URL, and Prometheus /metrics.
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import { TokenCache, mayCall } from "./auth";
import { InputError, rowsFromInstances, rowsFromV2 } from "./inputs";
import { HealthRecorder } from "./health";
import { servingMetrics } from "./metrics";
import { pool } from "../db";
import { env } from "../env";
import { PredictionLogger } from "../predictions/log";
import { ModelCache, type ServedModel } from "./models";
import { RouteTable, type Route } from "./routes";
import { MAX_BODY_BYTES } from "./schemas";
import { chooseArm } from "./split";

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * The JSON body, which must arrive within `timeoutMs` of the headers: a client that trickles it
 * (slowloris) would otherwise hold a socket and its buffers for as long as it likes.
 */
function readBody(req: http.IncomingMessage, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > MAX_BODY_BYTES) return reject(new HttpError(413, `The request body is over ${MAX_BODY_BYTES} bytes`));
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      chunks.length = 0;
      reject(new HttpError(408, `The request body did not arrive within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        clearTimeout(timer);
        reject(new HttpError(413, `The request body is over ${MAX_BODY_BYTES} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.on("end", () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch {
        reject(new HttpError(400, "The request body must be JSON"));
      }
    });
  });
}

function metadata(route: Route, model: ServedModel) {
  return {
    name: route.name,
    versions: [String(model.number)],
    platform: "onnxruntime_onnx",
    inputs: model.spec.features.map((f) => ({ name: f.name, datatype: f.kind === "categorical" ? "BYTES" : f.kind === "date" ? "BYTES" : "FP64", shape: [-1], parameters: { kind: f.kind } })),
    outputs: [{ name: "predictions", datatype: "FP64", shape: [-1], parameters: { task: model.scorer.task } }],
  };
}

export interface ServingServer {
  server: http.Server;
  routes: RouteTable;
  url: string;
  close(): Promise<void>;
}

/** Starts the serving process's server; `port` 0 picks a free one (tests). */
export async function startServingServer(opts: {
  port: number;
  host?: string;
  pollMs?: number;
  tokenCacheMs?: number;
  log?: (line: string) => void;
  predictionLog?: boolean;
  /** CAIRN_SERVE_BODY_TIMEOUT_MS unless given. */
  bodyTimeoutMs?: number;
  /** CAIRN_SERVE_SHADOW_MAX_INFLIGHT unless given. */
  shadowMaxInFlight?: number;
  /** CAIRN_SERVE_HEALTH_FLUSH_MS unless given. */
  healthFlushMs?: number;
  /** CAIRN_SERVE_MAX_BATCH_ROWS unless given. */
  maxBatchRows?: number;
}): Promise<ServingServer> {
  const log = opts.log ?? ((line: string) => console.log(`[serve] ${line}`));
  const bodyTimeoutMs = opts.bodyTimeoutMs ?? env().CAIRN_SERVE_BODY_TIMEOUT_MS;
  const shadowMaxInFlight = opts.shadowMaxInFlight ?? env().CAIRN_SERVE_SHADOW_MAX_INFLIGHT;
  let shadowsInFlight = 0;
  // One logger per process: entries leave the request path at once and are written in batches by COPY.
  const predictionLog = opts.predictionLog === false ? null : new PredictionLogger({ pool: pool(), onError: (err) => log(`prediction log: ${(err as Error).message}`) });
  const metrics = servingMetrics(predictionLog ?? undefined);
  const models = new ModelCache({
    maxBatchRows: opts.maxBatchRows,
    onRun: (requests, rows) => {
      metrics.batchRequests.observe(requests);
      metrics.batchRows.observe(rows);
    },
  });
  const routes = new RouteTable(models, { pollMs: opts.pollMs ?? 5000, log });
  const tokens = new TokenCache(opts.tokenCacheMs);
  // Health counts shared with every other serving process through Postgres (rollout checks, charts).
  const health = new HealthRecorder({ pool: pool(), flushMs: opts.healthFlushMs, registry: metrics.registry, onError: (err) => log(`serving health: ${(err as Error).message}`) });

  // Label children resolved once per deployment and version: prom-client's label lookup is costly per request.
  const children = new Map<string, { ok: ReturnType<typeof metrics.requests.labels>; latency: ReturnType<typeof metrics.latency.labels> }>();
  function answered(deployment: string, version: string) {
    const key = `${deployment}\0${version}`;
    let c = children.get(key);
    if (!c) children.set(key, (c = { ok: metrics.requests.labels({ deployment, version, status: "200" }), latency: metrics.latency.labels({ deployment, version }) }));
    return c;
  }

  async function resolveRoute(req: http.IncomingMessage, name: string): Promise<Route> {
    const caller = await tokens.caller(req.headers.authorization);
    if (caller.status === 401) throw new HttpError(401, caller.error);
    const visible = routes.byName(name).filter((r) => mayCall(caller.identity, r));
    // Another tenant's deployment is answered like a missing one: no existence leak.
    if (visible.length === 0) {
      const broken = routes.unservableByName(name).find((d) => mayCall(caller.identity, d));
      if (broken) throw new HttpError(503, `Deployment "${name}" cannot be served yet: ${broken.reason}`);
      throw new HttpError(404, `No deployment named "${name}"`);
    }
    if (visible.length > 1) throw new HttpError(400, `"${name}" names deployments in several projects of the organisation; call it with a project token`);
    return visible[0]!;
  }

  /** `served.model` is set once the arm is chosen, so a failure after it is charged to the version that took it. */
  async function infer(req: http.IncomingMessage, res: http.ServerResponse, route: Route, requestId: string, started: bigint, served: { model: ServedModel | null }) {
    const body = await readBody(req, bodyTimeoutMs);
    const key = req.headers["x-cairn-key"];
    const arm = chooseArm({ deploymentId: route.deploymentId, strategy: route.strategy, candidatePercent: route.candidatePercent, hasCandidate: route.candidate !== null }, typeof key === "string" ? key : undefined);
    const model = arm === "candidate" ? route.candidate! : route.stable;
    served.model = model;
    res.setHeader("x-cairn-model-version", model.label);
    const instances = typeof body === "object" && body !== null && "instances" in body;
    let rows, v2Id: string | undefined;
    try {
      if (instances) rows = rowsFromInstances(model.spec, body);
      else ({ rows, id: v2Id } = rowsFromV2(model.spec, body));
    } catch (err) {
      if (err instanceof InputError) throw new HttpError(400, err.message);
      throw err;
    }
    const predictions = Array.from(await model.scorer.score(rows));
    if (route.strategy === "shadow" && route.candidate && shadowsInFlight >= shadowMaxInFlight) {
      // Under overload the mirror gives way: queued shadow work would take CPU from the callers.
      metrics.shadowDropped.inc({ deployment: route.name });
    } else if (route.strategy === "shadow" && route.candidate) {
      const shadow = route.candidate;
      // Off the response path: the caller's answer never waits for, or depends on, the shadow.
      const labels = { deployment: route.name, version: shadow.label };
      shadowsInFlight++;
      setImmediate(() => {
        const shadowStarted = process.hrtime.bigint();
        void shadow.scorer
          .score(rows)
          .then(
            (scored) => {
              metrics.shadowScored.inc(labels);
              predictionLog?.log({ projectId: route.projectId, deploymentId: route.deploymentId, versionId: shadow.versionId, requestId, role: "shadow", inputs: rows, outputs: Array.from(scored), latencyMs: Number(process.hrtime.bigint() - shadowStarted) / 1e6, sampleRate: route.logSampleRate });
            },
            () => metrics.shadowErrors.inc(labels),
          )
          .finally(() => shadowsInFlight--);
      });
    }
    const payload = instances
      ? { predictions, model_name: route.name, model_version: String(model.number), id: requestId }
      : { model_name: route.name, model_version: String(model.number), id: v2Id ?? requestId, outputs: [{ name: "predictions", datatype: "FP64", shape: [predictions.length], data: predictions }] };
    send(res, 200, payload);
    const m = answered(route.name, model.label);
    m.ok.inc();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    m.latency.observe(seconds);
    health.answered({ projectId: route.projectId, deploymentId: route.deploymentId, versionId: model.versionId }, seconds * 1000);
    predictionLog?.log({ projectId: route.projectId, deploymentId: route.deploymentId, versionId: model.versionId, requestId, role: "primary", inputs: rows, outputs: predictions, latencyMs: seconds * 1000, sampleRate: route.logSampleRate });
  }

  function send(res: http.ServerResponse, status: number, body: unknown) {
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
  }

  /**
   * Answers 408 and ends the connection: the rest of a trickled body is read and thrown away until the
   * client closes or a second goes by, so the answer is not lost to a reset from unread bytes.
   */
  function closeAfter(req: http.IncomingMessage, res: http.ServerResponse, body: unknown) {
    res.setHeader("connection", "close");
    req.removeAllListeners("data");
    req.resume();
    if (!res.headersSent) send(res, 408, body);
    res.on("finish", () => {
      req.socket.end();
      setTimeout(() => req.socket.destroy(), 1000).unref();
    });
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const started = process.hrtime.bigint();
    const echoed = req.headers["x-request-id"];
    const requestId = typeof echoed === "string" && /^[\w.:-]{1,128}$/.test(echoed) ? echoed : randomUUID();
    res.setHeader("x-request-id", requestId);
    const rawUrl = req.url ?? "/";
    const query = rawUrl.indexOf("?");
    const url = { pathname: query < 0 ? rawUrl : rawUrl.slice(0, query) };
    const parts = url.pathname.split("/").filter(Boolean);
    let route: Route | null = null;
    const served: { model: ServedModel | null } = { model: null };
    try {
      if (req.method === "GET" && url.pathname === "/v2/health/live") return send(res, 200, { live: true });
      if (req.method === "GET" && url.pathname === "/v2/health/ready") return send(res, routes.ready ? 200 : 503, { ready: routes.ready });
      if (req.method === "GET" && url.pathname === "/metrics") {
        const text = await metrics.registry.metrics();
        res.writeHead(200, { "content-type": metrics.registry.contentType });
        return res.end(text);
      }
      if (parts[0] === "v2" && parts[1] === "models" && parts[2] && parts.length <= 4) {
        let name: string;
        try {
          name = decodeURIComponent(parts[2]);
        } catch {
          throw new HttpError(400, "The model name in the path is not valid percent-encoding");
        }
        const action = parts[3];
        if (action === "infer" && req.method !== "POST") throw new HttpError(405, "Use POST for infer");
        if (action !== undefined && action !== "infer" && action !== "ready") throw new HttpError(404, `Unknown path ${url.pathname}`);
        if (action !== "infer" && req.method !== "GET") throw new HttpError(405, `Use GET for ${url.pathname}`);
        route = await resolveRoute(req, name);
        if (action === undefined) return send(res, 200, metadata(route, route.stable));
        if (action === "ready") return send(res, 200, { name: route.name, ready: true });
        return await infer(req, res, route, requestId, started, served);
      }
      throw new HttpError(404, `Unknown path ${url.pathname}`);
    } catch (err) {
      const status = err instanceof HttpError ? err.status : 500;
      if (status === 500) log(`request ${requestId} failed: ${(err as Error).stack ?? String(err)}`);
      if (route) {
        const failed = served.model ?? route.stable;
        metrics.errors.inc({ deployment: route.name, version: failed.label, status: String(status) });
        health.failed({ projectId: route.projectId, deploymentId: route.deploymentId, versionId: failed.versionId }, status);
      }
      if (status === 408) return closeAfter(req, res, { error: (err as Error).message });
      if (!res.headersSent) send(res, status, { error: status === 500 ? "Internal error" : (err as Error).message });
      else res.destroy();
    }
  }

  await routes.start();
  // Node checks these deadlines every connectionsCheckingInterval; the default 30 s would let a slow client linger.
  const server = http.createServer({ connectionsCheckingInterval: Math.min(1000, bodyTimeoutMs) }, (req, res) => void handle(req, res));
  server.keepAliveTimeout = 65_000;
  // Headers are small: they get the body's deadline; the whole request (headers and body) twice that.
  server.headersTimeout = bodyTimeoutMs;
  server.requestTimeout = 2 * bodyTimeoutMs;
  await new Promise<void>((resolve) => server.listen(opts.port, opts.host ?? "0.0.0.0", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  return {
    server,
    routes,
    url: `http://localhost:${port}`,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await routes.close();
      await predictionLog?.close();
      await health.close();
      await models.close();
    },
  };
}
