import type { Pool } from "pg";
import { env } from "../env";
import { copyInBinary, CopyInBuffer, type CopyInColumnType } from "../lib/pg-copy-binary";
import { jsonbText } from "./jsonb";

/** One scored request as the serving process saw it. */
export interface PredictionEntry {
  projectId: string;
  deploymentId: string;
  versionId: string;
  requestId: string;
  /** "primary" answered the caller; "shadow" scored a mirrored request. */
  role: "primary" | "shadow";
  /** Serialised by log() itself: the caller may reuse or change it afterwards. */
  inputs: unknown;
  outputs: unknown;
  latencyMs: number;
  /** Share (0-1) of this deployment's requests to keep (Deployment.logSampleRate); default 1. */
  sampleRate?: number;
}

export interface PredictionLoggerOptions {
  pool: Pool;
  /** Entries held (waiting and being written) before new ones are dropped; CAIRN_PREDICTION_LOG_BUFFER. */
  capacity?: number;
  /** A flush starts this often, or as soon as `batchSize` entries wait. */
  flushIntervalMs?: number;
  batchSize?: number;
  /** Rows per COPY statement (one transaction each). */
  maxCopyRows?: number;
  /** Tries per batch before its entries are counted as dropped. */
  maxAttempts?: number;
  retryDelayMs?: number;
  onError?: (err: unknown) => void;
}

export interface PredictionLoggerStats {
  logged: number;
  written: number;
  sampledOut: number;
  /** Refused because the buffer was full. */
  droppedOverflow: number;
  /** Not serialisable as JSON (refused by log()), or given up after `maxAttempts` failed writes. */
  droppedFailed: number;
  pending: number;
}

/** What identifies one row of a batch: a retry looks it up to learn whether the batch landed. */
interface Probe {
  requestId: string;
  deploymentId: string;
  versionId: string;
  role: string;
  at: number;
}

/** Rows already encoded as binary COPY input, written by one COPY statement. */
interface Batch {
  rows: CopyInBuffer;
  probe: Probe;
}

const TABLE = `"PredictionLog"`;
const COLUMNS = [`"projectId"`, `"deploymentId"`, `"versionId"`, `"requestId"`, "role", "inputs", "outputs", `"latencyMs"`, `"createdAt"`];
const TYPES: CopyInColumnType[] = ["text", "text", "text", "text", "text", "jsonb", "jsonb", "float8", "timestamp"];

/**
 * Whether a request is kept at `rate`: a hash of its request id, not a coin toss, so the primary
 * and the shadow entry of one request are kept or skipped together (shadow comparisons and the
 * feedback join need both) and every serving process decides the same way.
 */
export function sampled(requestId: string, rate: number): boolean {
  if (!(rate < 1)) return true;
  if (!(rate > 0)) return false;
  // FNV-1a (32 bits) over a salt and the id: the salt keeps this choice independent of any other
  // hash of the same id (e.g. sticky A/B assignment), or a 10 % log could hold only one arm.
  let h = 0x811c9dc5;
  const key = `prediction-log:${requestId}`;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 2 ** 32 < rate;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * The serving process's prediction log: `log()` encodes the entry onto a bounded in-memory buffer (never
 * awaits, never throws), and a background flusher writes batches to "PredictionLog" with binary
 * COPY. Under overload new entries are dropped and counted rather than slowing responses down or
 * growing memory without bound.
 */
export class PredictionLogger {
  private readonly pool: Pool;
  private readonly capacity: number;
  private readonly batchSize: number;
  private readonly maxCopyRows: number;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private readonly onError: (err: unknown) => void;
  /** Full batches waiting for the writer, oldest first, then the one log() is adding to. */
  private sealed: Batch[] = [];
  private open: Batch | null = null;
  /** Rows in `sealed` and `open`. */
  private waiting = 0;
  private inFlight = 0;
  private flushing: Promise<void> | null = null;
  private scheduled = false;
  private closed = false;
  private readonly timer: NodeJS.Timeout;
  private readonly counts = { logged: 0, written: 0, sampledOut: 0, droppedOverflow: 0, droppedFailed: 0 };

  constructor(opts: PredictionLoggerOptions) {
    this.pool = opts.pool;
    this.capacity = opts.capacity ?? env().CAIRN_PREDICTION_LOG_BUFFER;
    this.batchSize = opts.batchSize ?? 1000;
    this.maxCopyRows = opts.maxCopyRows ?? 5000;
    this.maxAttempts = opts.maxAttempts ?? 3;
    this.retryDelayMs = opts.retryDelayMs ?? 200;
    this.onError = opts.onError ?? ((err) => console.error("[prediction-log] write failed:", err instanceof Error ? err.message : err));
    this.timer = setInterval(() => this.kick(), opts.flushIntervalMs ?? 250);
    this.timer.unref(); // the log never keeps a process alive; close() is the orderly way out
  }

  /**
   * Records one entry for a later flush and returns at once, whatever the database is doing. The
   * entry is encoded here as a binary COPY row (a few microseconds, after the caller has answered),
   * so the log holds bytes rather than objects and a flush has nothing left to encode.
   */
  log(entry: PredictionEntry): void {
    try {
      if (this.closed) {
        this.counts.droppedOverflow++;
        return;
      }
      if (!sampled(entry.requestId, entry.sampleRate ?? 1)) {
        this.counts.sampledOut++;
        return;
      }
      // In-flight entries count too: a slow database must not let memory grow past the capacity.
      if (this.waiting + this.inFlight >= this.capacity) {
        this.counts.droppedOverflow++;
        return;
      }
      const inputs = jsonbText(entry.inputs);
      const outputs = jsonbText(entry.outputs);
      if (inputs === null || outputs === null) {
        this.counts.droppedFailed++;
        return;
      }
      const at = Date.now();
      const requestId = clean(entry.requestId);
      const deploymentId = clean(entry.deploymentId);
      const versionId = clean(entry.versionId);
      const role = entry.role === "shadow" ? "shadow" : "primary";
      // A batch's first row is its probe (what a retry looks up).
      this.open ??= { rows: new CopyInBuffer(TYPES), probe: { requestId, deploymentId, versionId, role, at } };
      this.open.rows.add([clean(entry.projectId), deploymentId, versionId, requestId, role, inputs, outputs, entry.latencyMs, at]);
      this.waiting++;
      this.counts.logged++;
      if (this.open.rows.rows >= this.maxCopyRows) {
        this.sealed.push(this.open);
        this.open = null;
      }
      if (this.waiting >= this.batchSize) this.kick();
    } catch {
      this.counts.droppedFailed++; // e.g. a hostile getter on `entry`: the request path must not see it
    }
  }

  /** Entries refused for lack of room plus those given up after failed writes (for /metrics). */
  get dropped(): number {
    return this.counts.droppedOverflow + this.counts.droppedFailed;
  }

  stats(): PredictionLoggerStats {
    return { ...this.counts, pending: this.waiting + this.inFlight };
  }

  /** Writes until the buffer is empty (each batch written or given up); close() first to stop new entries. */
  async flush(): Promise<void> {
    while (this.flushing || this.waiting > 0) {
      if (!this.flushing) this.flushing = this.drain().finally(() => (this.flushing = null));
      await this.flushing;
    }
  }

  /** Stops the timer, refuses new entries and flushes what remains. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.flush();
  }

  /** Starts a flush on a later tick, never inside the caller's log(). */
  private kick(): void {
    if (this.scheduled || this.flushing || this.waiting === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.flushing && this.waiting > 0) this.flushing = this.drain().finally(() => (this.flushing = null));
    });
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.sealed.length === 0 && this.open) {
        this.sealed.push(this.open);
        this.open = null;
      }
      const batch = this.sealed.shift();
      if (!batch) return;
      const n = batch.rows.rows;
      this.waiting -= n;
      this.inFlight += n;
      try {
        await this.writeWithRetries(batch.rows.finish(), n, batch.probe);
      } finally {
        this.inFlight -= n;
      }
    }
  }

  private async writeWithRetries(data: Buffer, n: number, probe: Probe): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        // A retry first asks whether the previous try committed after all (its answer lost with the
        // connection): the COPY is one statement, all or nothing, so one of its rows proves the rest.
        if (attempt === 1 || !(await this.landed(probe))) await this.copy(data);
        this.counts.written += n;
        return;
      } catch (err) {
        this.onError(err);
        if (attempt >= this.maxAttempts) {
          this.counts.droppedFailed += n;
          return;
        }
        await sleep(this.retryDelayMs * attempt);
      }
    }
  }

  private async copy(data: Buffer): Promise<void> {
    const client = await this.pool.connect();
    // A checked-out pg client whose connection dies emits "error"; with no listener that is an
    // uncaught exception, i.e. a serving process killed by its log. The COPY's rejection reports it.
    const ignore = () => {};
    client.on("error", ignore);
    try {
      await copyInBinary(client, TABLE, COLUMNS, data);
    } catch (err) {
      // A connection broken mid-COPY must not go back to the pool for the next caller.
      client.release(err instanceof Error ? err : true);
      throw err;
    } finally {
      client.off("error", ignore);
    }
    client.release();
  }

  private async landed(row: Probe): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `SELECT 1 FROM ${TABLE} WHERE "requestId" = $1 AND "deploymentId" = $2 AND "versionId" = $3 AND role = $4 AND "createdAt" = timestamp '1970-01-01' + $5::int8 * interval '1 millisecond' LIMIT 1`,
      [row.requestId, row.deploymentId, row.versionId, row.role, row.at],
    );
    return (rowCount ?? 0) > 0;
  }
}

/** Text columns without NUL (Postgres refuses it, and one bad id must not sink a whole batch). */
const clean = (s: string) => (s.includes("\0") ? s.replaceAll("\0", "\uFFFD") : s);
