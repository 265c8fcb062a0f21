/**
 * Upload throughput of PUT /api/v1/projects/{project}/datasets/{dataset}/versions against writing
 * the same bytes to disk directly, in the same run. Boots a throw-away embedded PostgreSQL and
 * the real web process; also reports the web process's peak resident memory.
 * Usage: npm run bench:upload [-- --rows 1000000]   (--rows 15000000 makes a ~2 GB file)
 */
import { spawn } from "node:child_process";
import { createReadStream, createWriteStream } from "node:fs";
import { readFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { parseArgs } from "node:util";
import { applyMigrations } from "../scripts/db/engine";
import { ensureBuild } from "../scripts/lib/build";
import { ensureDatabase, freePort, makeTempDir, startEmbeddedPostgres } from "../scripts/lib/embedded-postgres";
import { ROOT } from "../scripts/lib/paths";
import { mib, timed, writeCsv } from "./lib";

const { values } = parseArgs({ options: { rows: { type: "string", default: "1000000" } } });
const dir = await makeTempDir("cairn-bench-upload-");
const file = path.join(dir, "upload.csv");
console.log("generating data…");
const bytes = await writeCsv(file, Number(values.rows));
console.log(`file: ${mib(bytes)}`);

const cluster = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), persistent: false, fast: true });
await ensureDatabase(cluster.adminUrl, "bench");
const url = cluster.urlFor("bench");
await applyMigrations(url);
process.env.DATABASE_URL = url;
process.env.CAIRN_DATA_DIR = path.join(dir, "data");
const { createUser, createTestProject, mintToken } = await import("../server/testing/factories");
const owner = await createUser("bench");
const project = await createTestProject(owner.orgId, owner, "bench");
const { secret } = await mintToken(owner, { role: "ADMIN" });
await ensureBuild((l) => console.log(l));

const port = await freePort();
const web = spawn(path.join(ROOT, "node_modules", ".bin", "node"), ["--import", "tsx", path.join(ROOT, "scripts", "web-server.ts")], {
  cwd: ROOT,
  env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", NEXTAUTH_SECRET: "bench-secret-bench-secret-bench", NEXT_TELEMETRY_DISABLED: "1" },
  stdio: ["ignore", "pipe", "inherit"],
});
await new Promise<void>((resolve) => web.stdout!.on("data", (d: Buffer) => d.toString().includes("listening") && resolve()));
const vm = async (field: string) => {
  const status = await readFile(`/proc/${web.pid}/status`, "utf8").catch(() => "");
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
};
const rssIdle = await vm("VmRSS");

// Baseline: the same bytes streamed from the same file to a file on the same disk.
const disk = await timed(() => pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), createWriteStream(path.join(dir, "copy.csv"))));
const upload = await timed(async () => {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/projects/${project.id}/datasets/bench/versions?fileName=bench.csv`, {
    method: "PUT",
    headers: { authorization: `Bearer ${secret}`, "content-type": "text/csv" },
    body: Readable.toWeb(createReadStream(file, { highWaterMark: 1 << 20 })) as ReadableStream,
    duplex: "half",
  } as RequestInit & { duplex: "half" });
  const body = (await res.json()) as { version?: { rowCount: number } };
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(body)}`);
  return body.version!.rowCount;
});
const peak = await vm("VmHWM");
const mbps = (ms: number) => `${(bytes / 1024 / 1024 / (ms / 1000)).toFixed(1)} MiB/s`;
console.log(`disk write : ${(disk.ms / 1000).toFixed(2)} s, ${mbps(disk.ms)} (baseline)`);
console.log(`upload     : ${(upload.ms / 1000).toFixed(2)} s, ${mbps(upload.ms)}, ${upload.value.toLocaleString("en")} rows checked while streaming`);
console.log(`ratio      : upload / disk = ${(upload.ms / disk.ms).toFixed(2)}× the time`);
console.log(`web memory : RSS ${mib(rssIdle)} idle, peak ${mib(peak)} (file ${mib((await stat(file)).size)})`);

web.kill("SIGTERM");
const { closeDb } = await import("../server/db");
await closeDb();
await cluster.stop();
await rm(dir, { recursive: true, force: true });
process.exit(0);
