/**
 * Boots Cairn the way `npm start` does (scripts/start.ts: embedded PostgreSQL, migrations, seed,
 * build, web + worker + serving) on a throw-away data folder and free ports; stops it after the run.
 */
import { spawn } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { freePort, makeTempDir } from "../scripts/lib/embedded-postgres";

const ROOT = path.resolve(import.meta.dirname, "..");

export default async function globalSetup() {
  if (process.env.CAIRN_E2E_URL) return undefined; // an already running instance was given
  const dataDir = await makeTempDir("cairn-e2e-");
  // A port the OS picks: several suites (or sessions) on one host must not race for a fixed one.
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const servePort = await freePort();
  const serveUrl = `http://localhost:${servePort}`;
  const demoPassword = "e2e-demo-password";
  const child = spawn(path.join(ROOT, "node_modules", ".bin", "tsx"), [path.join(ROOT, "scripts", "start.ts")], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: "",
      CAIRN_DATA_DIR: dataDir,
      PORT: String(port),
      CAIRN_SERVE_PORT: String(servePort),
      CAIRN_SERVE_PUBLIC_URL: serveUrl,
      CAIRN_DEMO_PASSWORD: demoPassword,
      CAIRN_QUEUE_SUPERVISE_SECONDS: "2",
      // Every e2e test signs up its own accounts, all from this machine's address.
      CAIRN_SIGNUP_LIMIT: "100000",
      // Several specs provoke failed sign-ins on purpose, all from this address too.
      CAIRN_SIGNIN_ADDRESS_LIMIT: "100000",
      // Each test signs up its own organisation; as on a single-team install, the shared worker runs their commands.
      CAIRN_SHARED_COMMANDS: process.env.CAIRN_SHARED_COMMANDS ?? "all",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (process.env.CAIRN_E2E_VERBOSE) process.stdout.write(chunk);
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Cairn did not start within 8 minutes:\n${output.slice(-4000)}`)), 8 * 60_000);
    child.on("exit", (code) => reject(new Error(`Cairn exited during start (code ${code}):\n${output.slice(-4000)}`)));
    const check = setInterval(() => {
      if (output.includes("Cairn is running at")) {
        clearInterval(check);
        clearTimeout(timer);
        resolve();
      }
    }, 200);
  });
  process.env.CAIRN_E2E_URL = url;
  process.env.CAIRN_E2E_SERVE_URL = serveUrl;
  process.env.CAIRN_E2E_DEMO_PASSWORD = demoPassword;
  process.env.CAIRN_E2E_DATA_DIR = dataDir;
  await writeFile(path.join(dataDir, "e2e-url"), url);

  return async () => {
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 60_000).unref();
    });
    // What the web process, the worker and the serving process printed, for a failed run to be read
    // afterwards; the jobs that failed are also shown here, as a CI log keeps only what is printed.
    await mkdir(path.join(ROOT, "test-results"), { recursive: true });
    await writeFile(path.join(ROOT, "test-results", "cairn-app.log"), output);
    const failures = output.split("\n").filter((l) => /\.v\d+ [0-9a-f-]{36} failed: /.test(l));
    if (failures.length) console.log(`[e2e] ${failures.length} failed job lines in test-results/cairn-app.log; the last ones:\n${failures.slice(-25).join("\n")}`);
    // PostgreSQL may still be removing its last files for a moment after the stop.
    await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 300 });
  };
}
