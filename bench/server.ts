/** Boots what a benchmark needs in one process: a throw-away embedded PostgreSQL, migrated, and optionally the web process. */
import { spawn, type ChildProcess } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { applyMigrations } from "../scripts/db/engine";
import { ensureBuild } from "../scripts/lib/build";
import { ensureDatabase, freePort, makeTempDir, startEmbeddedPostgres } from "../scripts/lib/embedded-postgres";
import { ROOT } from "../scripts/lib/paths";
import { WEB_NODE_FLAGS } from "../scripts/lib/web-flags";

export async function benchDatabase(name: string) {
  const dir = await makeTempDir(`cairn-bench-${name}-`);
  const cluster = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), persistent: false });
  await ensureDatabase(cluster.adminUrl, "bench");
  const url = cluster.urlFor("bench");
  await applyMigrations(url);
  process.env.DATABASE_URL = url;
  process.env.CAIRN_DATA_DIR = path.join(dir, "data");
  let web: ChildProcess | null = null;
  return {
    dir,
    url,
    /** Starts the real web process (scripts/web-server.ts) on a free port. */
    async startWeb(): Promise<{ base: string; pid: number }> {
      await ensureBuild((l) => console.log(l));
      const port = await freePort();
      web = spawn(process.execPath, [...WEB_NODE_FLAGS, "--import", "tsx", path.join(ROOT, "scripts", "web-server.ts")], {
        cwd: ROOT,
        env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", NEXTAUTH_SECRET: "bench-secret-bench-secret-bench", NEXT_TELEMETRY_DISABLED: "1" },
        stdio: ["ignore", "pipe", "inherit"],
      });
      await new Promise<void>((resolve) => web!.stdout!.on("data", (d: Buffer) => d.toString().includes("listening") && resolve()));
      return { base: `http://127.0.0.1:${port}`, pid: web.pid! };
    },
    /** Peak resident memory of a process, from /proc (Linux). */
    async peakRss(pid: number): Promise<number> {
      const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
      return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
    },
    async close() {
      web?.kill("SIGTERM");
      const { closeDb } = await import("../server/db");
      await closeDb();
      await cluster.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
