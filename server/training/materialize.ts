import { createWriteStream } from "node:fs";
import { once } from "node:events";
import path from "node:path";
import { readSplit } from "../datasets/splits";
import type { SplitName } from "../datasets/schemas";
import type { RawValue } from "../ml/profile";

const field = (v: RawValue): string => {
  if (v === null || v === undefined) return "";
  const s = v instanceof Date ? v.toISOString() : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Writes the three splits of a version as CSV files (with header) into `dir`; returns their paths and row counts. */
export async function writeSplits(version: Parameters<typeof readSplit>[0], dir: string, signal?: AbortSignal) {
  const out: Record<SplitName, { path: string; rows: number }> = {} as Record<SplitName, { path: string; rows: number }>;
  for (const split of ["train", "validation", "test"] as const) {
    const file = path.join(dir, `${split}.csv`);
    const stream = createWriteStream(file);
    stream.write(version.columns.map(field).join(",") + "\n");
    let rows = 0;
    await readSplit(
      version,
      split,
      async (batch) => {
        rows += batch.length;
        if (!stream.write(batch.map((r) => r.map(field).join(",")).join("\n") + "\n")) await once(stream, "drain");
      },
      signal,
    );
    stream.end();
    await once(stream, "finish");
    out[split] = { path: file, rows };
  }
  return out;
}
