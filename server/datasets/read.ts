import { artifactStore } from "../storage/artifact-store";
import { readParquet, TextTableDecoder, type RowSink } from "./decode";
import type { Encoding } from "./formats";

export interface StoredTable {
  sha256: string;
  format: "CSV" | "JSONL" | "PARQUET";
  delimiter: string | null;
  encoding: string | null;
  columns: string[];
}

/** Streams a stored version's rows (header excluded) to `sink` in batches, in file order. */
export async function readStoredTable(table: StoredTable, sink: RowSink, signal?: AbortSignal): Promise<void> {
  const store = artifactStore();
  if (table.format === "PARQUET") {
    const range = await store.range(table.sha256);
    try {
      await readParquet(range, sink);
    } finally {
      await range.close();
    }
    return;
  }
  const decoder = new TextTableDecoder(
    table.format,
    { delimiter: table.delimiter, encoding: table.encoding as Encoding | null, columns: table.format === "JSONL" ? table.columns : null },
    sink,
  );
  const stream = store.read(table.sha256);
  try {
    for await (const chunk of stream) {
      signal?.throwIfAborted();
      await decoder.push(chunk as Buffer);
    }
  } finally {
    stream.destroy();
  }
  await decoder.end();
}
