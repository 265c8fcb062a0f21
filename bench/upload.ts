/**
 * Upload throughput of PUT /api/v1/projects/{project}/datasets/{dataset}/versions against writing
 * the same bytes to disk directly, in the same run, through the real web process; also reports the
 * web process's peak resident memory. Usage: npm run bench:upload [-- --rows 1000000]
 * (--rows 15000000 makes a file of about 2 GB)
 */
import { createReadStream, createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { benchDatabase } from "./server";
import { mib, timed, writeCsv } from "./lib";

const { values } = parseArgs({ options: { rows: { type: "string", default: "1000000" } } });
const env = await benchDatabase("upload");
const file = path.join(env.dir, "upload.csv");
console.log("generating data…");
const bytes = await writeCsv(file, Number(values.rows));
console.log(`file: ${mib(bytes)}`);

const { createUser, createTestProject, mintToken } = await import("../server/testing/factories");
const owner = await createUser("bench");
const project = await createTestProject(owner.orgId, owner, "bench");
const { secret } = await mintToken(owner, { role: "ADMIN" });
const web = await env.startWeb();
const idle = await env.peakRss(web.pid);

// Baseline: the same bytes streamed from the same file to a file on the same disk.
const disk = await timed(() => pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), createWriteStream(path.join(env.dir, "copy.csv"))));
const upload = await timed(async () => {
  const res = await fetch(`${web.base}/api/v1/projects/${project.id}/datasets/bench/versions?fileName=bench.csv`, {
    method: "PUT",
    headers: { authorization: `Bearer ${secret}`, "content-type": "text/csv" },
    body: Readable.toWeb(createReadStream(file, { highWaterMark: 1 << 20 })) as ReadableStream,
    duplex: "half",
  } as RequestInit & { duplex: "half" });
  const body = (await res.json()) as { version?: { rowCount: number } };
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(body)}`);
  return body.version!.rowCount;
});
const peak = await env.peakRss(web.pid);
const rate = (ms: number) => `${(bytes / 1024 / 1024 / (ms / 1000)).toFixed(1)} MiB/s`;
console.log(`disk write : ${(disk.ms / 1000).toFixed(2)} s, ${rate(disk.ms)} (baseline)`);
console.log(`upload     : ${(upload.ms / 1000).toFixed(2)} s, ${rate(upload.ms)}, ${upload.value.toLocaleString("en")} rows checked while streaming`);
console.log(`ratio      : upload takes ${(upload.ms / disk.ms).toFixed(2)}× the time of the disk write`);
console.log(`web memory : peak RSS ${mib(peak)} (after start-up ${mib(idle)}; file ${mib((await stat(file)).size)})`);
await env.close();
process.exit(0);
