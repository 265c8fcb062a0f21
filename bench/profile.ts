/**
 * Profiling throughput: a generated 1,000,000-row × 20-column CSV is parsed by the same reader
 * twice in this process, once bare (baseline) and once feeding the profiler and split assigner
 * (what the dataset.profile job does). Prints rows/s, the ratio, and peak memory.
 * Usage: npm run bench:profile [-- --rows 1000000]
 */
import { createReadStream } from "node:fs";
import { rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { TextTableDecoder } from "../server/datasets/decode";
import { SplitAssigner } from "../server/datasets/split";
import { DEFAULT_SPLIT } from "../server/datasets/schemas";
import { DatasetProfiler } from "../server/ml/profile";
import { best, mib, writeCsv } from "./lib";

const { values } = parseArgs({ options: { rows: { type: "string", default: "1000000" }, runs: { type: "string", default: "2" } } });
const rows = Number(values.rows);
const file = path.join(os.tmpdir(), `cairn-bench-${rows}-${process.pid}.csv`);

console.log(`generating ${rows.toLocaleString("en")} rows × 20 columns…`);
const bytes = await writeCsv(file, rows);
console.log(`file: ${mib(bytes)}`);

async function read(onRows?: (rows: unknown[][], columns: string[]) => void) {
  let count = 0;
  const decoder = new TextTableDecoder("CSV", {}, (batch, columns) => {
    count += batch.length;
    onRows?.(batch, columns);
  });
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) await decoder.push(chunk as Buffer);
  await decoder.end();
  return count;
}

const runs = Number(values.runs);
const parse = await best(runs, () => read());
const rssBefore = process.memoryUsage().rss;
const profile = await best(runs, async () => {
  let profiler: DatasetProfiler | null = null;
  let assigner: SplitAssigner | null = null;
  const n = await read((batch, columns) => {
    profiler ??= new DatasetProfiler(columns);
    assigner ??= new SplitAssigner(DEFAULT_SPLIT, columns);
    for (const row of batch) {
      profiler.pushRow(row as string[]);
      assigner.next(row);
    }
  });
  const result = profiler!.finish();
  return { n, columns: result.columns.length };
});
const peak = process.resourceUsage().maxRSS * 1024;

const rate = (ms: number) => Math.round(rows / (ms / 1000)).toLocaleString("en");
console.log(`parse only : ${(parse.ms / 1000).toFixed(2)} s, ${rate(parse.ms)} rows/s (baseline)`);
console.log(`profile    : ${(profile.ms / 1000).toFixed(2)} s, ${rate(profile.ms)} rows/s, ${profile.value.columns} columns profiled`);
console.log(`ratio      : profile / parse = ${(profile.ms / parse.ms).toFixed(2)}× (target ≤ 2×)`);
console.log(`memory     : peak RSS ${mib(peak)} (RSS before profiling ${mib(rssBefore)}), CPU ${os.cpus()[0]?.model ?? "?"} × ${os.cpus().length}`);
await rm(file, { force: true });
