/** Shared pieces of the benchmarks: deterministic data generation and measurement helpers. */
import { createWriteStream } from "node:fs";
import { once } from "node:events";

/** mulberry32: tiny seeded PRNG so that every run benchmarks the same bytes. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REGIONS = ["north", "south", "east", "west", "central"];
const VEHICLES = ["bike", "van", "truck", "car"];

/** Writes a CSV of `rows` × 20 columns: 12 floats, 4 integers, 2 categoricals, a boolean, a date. */
export async function writeCsv(file: string, rows: number, seed = 7): Promise<number> {
  const r = rng(seed);
  const out = createWriteStream(file);
  const header = [...Array.from({ length: 12 }, (_, i) => `f${i}`), "i0", "i1", "i2", "i3", "region", "vehicle", "flag", "day"];
  out.write(header.join(",") + "\n");
  let bytes = 0;
  let buf = "";
  for (let i = 0; i < rows; i++) {
    const cells: string[] = [];
    for (let j = 0; j < 12; j++) cells.push(r() < 0.01 ? "" : (r() * 100 - 20 + j).toFixed(4));
    cells.push(String(Math.floor(r() * 1000)), String(Math.floor(r() * 50)), String(i), String(Math.floor(r() * 7)));
    cells.push(REGIONS[Math.floor(r() * REGIONS.length)]!, VEHICLES[Math.floor(r() * VEHICLES.length)]!, r() < 0.5 ? "true" : "false");
    cells.push(`2026-${String(1 + Math.floor(r() * 12)).padStart(2, "0")}-${String(1 + Math.floor(r() * 28)).padStart(2, "0")}`);
    buf += cells.join(",") + "\n";
    if (buf.length > 1 << 20) {
      bytes += buf.length;
      if (!out.write(buf)) await once(out, "drain");
      buf = "";
    }
  }
  bytes += buf.length;
  out.end(buf);
  await once(out, "finish");
  return bytes;
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/** Best of `n` runs: the least disturbed measurement of the same work. */
export async function best<T>(n: number, fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  let winner: { ms: number; value: T } | null = null;
  for (let i = 0; i < n; i++) {
    const run = await timed(fn);
    if (!winner || run.ms < winner.ms) winner = run;
  }
  return winner!;
}

export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
