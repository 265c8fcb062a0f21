/**
 * The web process: Next.js behind a small Node HTTP server. It exists to know the client's address:
 * Next passes a client-sent X-Forwarded-For through untouched, so sign-in throttling could be
 * dodged by rotating that header. Here the socket address wins unless CAIRN_TRUST_PROXY=1 says a
 * reverse proxy in front sets X-Forwarded-For.
 */
import http from "node:http";
import next from "next";
import { CLIENT_IP_HEADER } from "../server/lib/http";
import { securityHeaders, servedOverHttps } from "../server/lib/security-headers";
import { exitWithSupervisor } from "../server/lib/supervisor";
import { ROOT } from "./lib/paths";

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? "0.0.0.0";
const trustProxy = process.env.CAIRN_TRUST_PROXY === "1";
const httpsEnv = { CAIRN_PUBLIC_URL: process.env.CAIRN_PUBLIC_URL, CAIRN_TRUST_PROXY: process.env.CAIRN_TRUST_PROXY };

const app = next({ dev: false, dir: ROOT, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = http.createServer((req, res) => {
  const forwarded = trustProxy ? String(req.headers["x-forwarded-for"] ?? "").split(",")[0]?.trim() : "";
  req.headers[CLIENT_IP_HEADER] = forwarded || req.socket.remoteAddress || "unknown";
  for (const [name, value] of Object.entries(securityHeaders({ https: servedOverHttps(req.headers["x-forwarded-proto"], httpsEnv) }))) {
    res.setHeader(name, value);
  }
  void handle(req, res);
});
server.listen(port, hostname, () => console.log(`[web] listening on http://${hostname}:${port}`));

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 10_000).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
exitWithSupervisor(stop);
