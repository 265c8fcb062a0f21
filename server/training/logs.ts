import { db, pool } from "../db";

export interface LogLine {
  stream: "stdout" | "stderr" | "system";
  line: string;
}

const MAX_LINE = 4000;

/**
 * Buffers a run's log lines and writes them in small batches (every 300 ms or 200 lines), so a
 * chatty training script costs a few inserts a second, not one per line.
 */
export class RunLogWriter {
  private buffer: LogLine[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private readonly tail: string[] = [];
  /** The unfinished last line of each stream: output arrives in arbitrary chunks. */
  private readonly partial: Record<string, string> = {};

  constructor(
    private readonly runId: string,
    private readonly attempt: number,
    /** Receives `::progress <0..1>` lines, a protocol for trainers and commands to report progress. */
    private readonly onProgress?: (value: number) => void,
  ) {}

  write(stream: LogLine["stream"], text: string) {
    // Cairn's own messages are whole lines; process output may stop mid-line.
    if (stream === "system") text += "\n";
    const lines = ((this.partial[stream] ?? "") + text).split(/\r?\n/);
    this.partial[stream] = lines.pop() ?? "";
    this.append(stream, lines);
  }

  private append(stream: LogLine["stream"], lines: string[]) {
    for (const raw of lines) {
      if (raw === "") continue;
      const progress = /^::progress\s+(\d*\.?\d+)\s*$/.exec(raw);
      if (progress) {
        this.onProgress?.(Math.min(1, Math.max(0, Number(progress[1]))));
        continue;
      }
      const line = raw.length > MAX_LINE ? `${raw.slice(0, MAX_LINE)}…` : raw;
      this.buffer.push({ stream, line });
      this.tail.push(line);
      if (this.tail.length > 40) this.tail.shift();
    }
    if (this.buffer.length >= 200) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), 300);
  }

  /** The last lines written: shown with a failure. */
  lastLines(n = 20): string {
    return this.tail.slice(-n).join("\n");
  }

  /** Writes what is buffered, including unfinished lines (call when the process has ended). */
  end(): Promise<void> {
    for (const [stream, rest] of Object.entries(this.partial)) {
      if (rest) this.append(stream as LogLine["stream"], [rest]);
      this.partial[stream] = "";
    }
    return this.flush();
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const lines = this.buffer;
    this.buffer = [];
    if (lines.length === 0) return this.writing;
    this.writing = this.writing.then(() =>
      pool()
        .query(`INSERT INTO "RunLogLine" ("runId", attempt, stream, line) SELECT $1, $2, unnest($3::text[]), unnest($4::text[])`, [
          this.runId,
          this.attempt,
          lines.map((l) => l.stream),
          lines.map((l) => l.line.replace(/\u0000/g, "")),
        ])
        .then(() => undefined, (err: unknown) => console.error(`[logs] ${this.runId}:`, err)),
    );
    return this.writing;
  }
}

/** Log lines after `afterId`, oldest first (the UI polls with the last id it has). */
export async function readLogs(projectId: string, runId: string, afterId: string | undefined, limit: number) {
  const rows = await db().runLogLine.findMany({
    where: { runId, run: { projectId }, ...(afterId ? { id: { gt: BigInt(afterId) } } : {}) },
    orderBy: { id: "asc" },
    take: limit,
  });
  return rows.map((r) => ({ id: r.id.toString(), attempt: r.attempt, stream: r.stream, line: r.line, ts: r.ts }));
}
