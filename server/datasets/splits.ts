import type { RawValue } from "../ml/profile";
import { readStoredTable } from "./read";
import { SplitAssigner } from "./split";
import { assertUsableVersion, getVersionRow, storedSplit } from "./versions";
import type { SplitName } from "./schemas";

export type SplitFormat = "csv" | "jsonl";

/** Reads one split of a version, in file order; every read yields the same rows. */
export async function readSplit(
  version: Parameters<typeof readStoredTable>[0] & { id: string; split: unknown },
  split: SplitName,
  sink: (rows: RawValue[][], columns: string[]) => void | Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const assigner = new SplitAssigner(storedSplit(version), version.columns);
  await readStoredTable(
    version,
    async (rows, columns) => {
      const picked = rows.filter((r) => assigner.next(r) === split);
      if (picked.length) await sink(picked, columns);
    },
    signal,
  );
}

/** One CSV cell as Cairn writes it (dates as ISO text, quoted when needed). */
export const csvField = (v: RawValue): string => {
  if (v === null || v === undefined) return "";
  const s = v instanceof Date ? v.toISOString() : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * A split as a byte stream (CSV with header, or JSON Lines) for the HTTP API, with backpressure:
 * reading the stored file pauses while the client is slow.
 */
export async function splitStream(args: { projectId: string; versionId: string; split: SplitName; format: SplitFormat; allowUnvalidated: boolean }) {
  const version = args.allowUnvalidated ? await getVersionRow(args.projectId, args.versionId) : await assertUsableVersion(args.projectId, args.versionId);
  const encoder = new TextEncoder();
  const abort = new AbortController();
  let wake: (() => void) | null = null;
  return {
    version,
    stream: new ReadableStream<Uint8Array>(
      {
        start(controller) {
          let headerSent = false;
          const emit = async (text: string) => {
            controller.enqueue(encoder.encode(text));
            while ((controller.desiredSize ?? 1) <= 0 && !abort.signal.aborted) await new Promise<void>((r) => (wake = r));
          };
          readSplit(
            version,
            args.split,
            async (rows, columns) => {
              if (args.format === "csv") {
                const lines = rows.map((r) => r.map(csvField).join(",")).join("\n") + "\n";
                await emit((headerSent ? "" : `${columns.map(csvField).join(",")}\n`) + lines);
                headerSent = true;
              } else {
                await emit(rows.map((r) => JSON.stringify(Object.fromEntries(columns.map((c, i) => [c, r[i] ?? null])))).join("\n") + "\n");
              }
            },
            abort.signal,
          ).then(
            () => {
              if (!headerSent && args.format === "csv") controller.enqueue(encoder.encode(`${version.columns.map(csvField).join(",")}\n`));
              controller.close();
            },
            (err: unknown) => controller.error(err),
          );
        },
        pull() {
          wake?.();
          wake = null;
        },
        cancel() {
          abort.abort();
          wake?.();
        },
      },
      { highWaterMark: 4 },
    ),
  };
}
