/**
 * Cairn serving process: `npm run start:serve`. Plain node:http on CAIRN_SERVE_PORT (default 3001),
 * reading deployments from the Postgres in DATABASE_URL and artifacts from the configured store.
 * Stateless: run as many as needed behind a load balancer.
 */
import { closeDb } from "../server/db";
import { exitWithSupervisor } from "../server/lib/supervisor";
import { startServingServer } from "../server/serving/server";

const log = (line: string) => console.log(`[serve ${new Date().toISOString()}] ${line}`);

async function main() {
  const port = Number(process.env.CAIRN_SERVE_PORT ?? 3001);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`CAIRN_SERVE_PORT must be a port number, got "${process.env.CAIRN_SERVE_PORT}"`);
  const serving = await startServingServer({ port, host: process.env.CAIRN_SERVE_HOST ?? "0.0.0.0", log });
  log(`serving on ${serving.url} (${serving.routes.all().length} deployment(s))`);
  let stopping = false;
  const shutdown = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    log(`${reason}: stopping`);
    await serving.close().catch((err: Error) => log(`close failed: ${err.message}`));
    await closeDb();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  exitWithSupervisor(() => void shutdown("supervisor gone"));
}

main().catch((err: Error) => {
  console.error(`[serve] failed to start: ${err.message}`);
  process.exit(1);
});
