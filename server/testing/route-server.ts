/**
 * A real HTTP server around Next route handlers, for clients that must talk HTTP (third-party SDKs):
 * each incoming request becomes a fetch Request for the handler whose path prefix matches, and its
 * Response is streamed back. Unmatched paths get the app's own catch-all answer.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import * as catchAll from "@/app/api/[...rest]/route";

type Handler = (req: Request) => Promise<Response>;

export interface RouteServer {
  url: string;
  close(): Promise<void>;
}

export async function serveRoutes(routes: Record<string, Handler>): Promise<RouteServer> {
  const prefixes = Object.keys(routes).sort((a, b) => b.length - a.length);
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = `http://${req.headers.host}${req.url}`;
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const request = new Request(url, { method: req.method, headers, body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined, duplex: "half" } as RequestInit);
      const prefix = prefixes.find((p) => new URL(url).pathname.startsWith(p));
      const response = prefix ? await routes[prefix]!(request) : await catchAll.GET(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (response.body) for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
      res.end();
    })().catch((err: unknown) => {
      res.writeHead(599);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** One MLflow API call as the Python client makes it (JSON body, Bearer token); answers the status and the parsed JSON body. */
export async function mlflow(base: string, method: string, path: string, opts: { token?: string | null; body?: unknown; query?: Record<string, string>; headers?: Record<string, string> } = {}) {
  const url = new URL(`${base}/api/2.0/mlflow/${path}`);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { "User-Agent": "mlflow-python-client/2.17.0", ...opts.headers };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(url, { method, headers, body: opts.body === undefined ? undefined : typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

