import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Pool, PoolClient } from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";

/**
 * Moving many rows fast: `COPY (query) TO STDOUT (FORMAT binary)` lets Postgres send each column
 * in its binary form (no text formatting or casts on its side, no per-row objects or text parsing
 * on ours), which is several times cheaper than a row query or a JSON aggregate for tens of
 * thousands of rows. Writing goes the same way with `COPY … FROM STDIN (FORMAT binary)`. COPY takes no bind parameters, so callers build the query from values they
 * have checked (see `sqlInt`).
 */

/** Column types decodeCopyBinary reads; `timestamp` is `timestamp without time zone` read as UTC. */
export type CopyColumnType = "int4" | "int8" | "float8" | "timestamp";

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
/** 2000-01-01T00:00:00Z, Postgres's timestamp epoch, in Unix milliseconds. */
const PG_EPOCH_MS = 946_684_800_000;
const TWO_32 = 2 ** 32;
const SIZE: Record<CopyColumnType, number> = { int4: 4, int8: 8, float8: 8, timestamp: 8 };

/** An integer to splice into SQL text: anything else (a string, NaN, a fraction) is refused. */
export function sqlInt(value: number): string {
  if (!Number.isSafeInteger(value)) throw new TypeError(`not a safe integer for SQL: ${String(value)}`);
  return String(value);
}

/** The whole binary COPY output of `query`, on a connection of its own from `pool`. */
export async function copyOutBinary(pool: Pool, query: string): Promise<Buffer> {
  const client = await pool.connect();
  try {
    return await copyOutBinaryOn(client, query);
  } finally {
    client.release();
  }
}

/** The whole binary COPY output of `query` on `client`, e.g. inside its transaction. */
export async function copyOutBinaryOn(client: PoolClient, query: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of client.query(copyTo(`COPY (${query}) TO STDOUT (FORMAT binary)`))) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Decodes binary COPY output whose columns have the given types, calling `onRow` once per row with
 * the values as numbers (int8 exactly up to 2^53; timestamps as Unix milliseconds) and which of them
 * are NULL. Both arrays are reused from row to row: copy what you keep.
 */
export function decodeCopyBinary(buf: Buffer, types: readonly CopyColumnType[], onRow: (values: Float64Array, isNull: Uint8Array) => void): number {
  if (buf.length < 19 || !buf.subarray(0, 11).equals(SIGNATURE)) throw new Error("not binary COPY output");
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let p = 15;
  p += 4 + view.getInt32(p); // header extension
  const values = new Float64Array(types.length);
  const isNull = new Uint8Array(types.length);
  let rows = 0;
  for (;;) {
    const fields = view.getInt16(p);
    p += 2;
    if (fields === -1) return rows;
    if (fields !== types.length) throw new Error(`binary COPY row has ${fields} columns, expected ${types.length}`);
    for (let k = 0; k < fields; k++) {
      const length = view.getInt32(p);
      p += 4;
      if (length === -1) {
        isNull[k] = 1;
        values[k] = NaN;
        continue;
      }
      isNull[k] = 0;
      if (length !== SIZE[types[k]!]) throw new Error(`binary COPY column ${k} has ${length} bytes, not a ${types[k]}`);
      switch (types[k]) {
        case "int4":
          values[k] = view.getInt32(p);
          break;
        case "float8":
          values[k] = view.getFloat64(p);
          break;
        case "int8":
          values[k] = view.getInt32(p) * TWO_32 + view.getUint32(p + 4);
          break;
        case "timestamp":
          values[k] = (view.getInt32(p) * TWO_32 + view.getUint32(p + 4)) / 1000 + PG_EPOCH_MS;
          break;
      }
      p += length;
    }
    onRow(values, isNull);
    rows++;
  }
}

/**
 * Column types encodeCopyBinary writes: the numeric ones plus `text` and `jsonb` (whose binary form
 * is a version byte, 1, then the JSON text; Postgres parses and checks that text itself).
 */
export type CopyInColumnType = CopyColumnType | "text" | "jsonb";

type CopyInValue = number | string | null | undefined;

/** Bytes one field takes in binary COPY input; checks a string field on the way. */
function fieldSize(type: CopyInColumnType, v: CopyInValue, k: number): number {
  if (v === null || v === undefined) return 4;
  if (type !== "text" && type !== "jsonb") return 4 + SIZE[type];
  if (typeof v !== "string") throw new TypeError(`column ${k} (${type}) holds a ${typeof v}, not a string`);
  if (v.includes("\0")) throw new TypeError(`column ${k} (${type}) holds a NUL character, which Postgres cannot store`);
  return 4 + (type === "jsonb" ? 1 : 0) + Buffer.byteLength(v, "utf8");
}

/** Writes one field at `p` (room checked by the caller) and returns the offset after it. */
function writeField(buf: Buffer, view: DataView, p: number, type: CopyInColumnType, v: CopyInValue, k: number): number {
  if (v === null || v === undefined) {
    view.setInt32(p, -1);
    return p + 4;
  }
  if (type === "text" || type === "jsonb") {
    if (typeof v !== "string") throw new TypeError(`column ${k} (${type}) holds a ${typeof v}, not a string`);
    const head = type === "jsonb" ? 1 : 0;
    if (head) buf[p + 4] = 1; // jsonb binary format version
    const written = buf.write(v, p + 4 + head, "utf8");
    view.setInt32(p, head + written);
    return p + 4 + head + written;
  }
  if (typeof v !== "number") throw new TypeError(`column ${k} (${type}) holds a ${typeof v}, not a number`);
  view.setInt32(p, SIZE[type]);
  p += 4;
  switch (type) {
    case "int4":
      view.setInt32(p, v);
      break;
    case "float8":
      view.setFloat64(p, v);
      break;
    case "int8":
      view.setBigInt64(p, BigInt(v));
      break;
    case "timestamp":
      view.setBigInt64(p, (BigInt(v) - BigInt(PG_EPOCH_MS)) * 1000n);
      break;
  }
  return p + SIZE[type];
}

/**
 * Binary COPY input for `n` rows given column by column (`null` or `undefined` is NULL). int8 and
 * timestamp values must be integers (timestamps in Unix milliseconds); text and jsonb values are
 * strings (jsonb: JSON text) without NUL characters, which Postgres cannot store.
 */
export function encodeCopyBinary(types: readonly CopyInColumnType[], columns: readonly ArrayLike<CopyInValue>[], n: number): Buffer {
  if (columns.length !== types.length) throw new Error(`${columns.length} columns given for ${types.length} types`);
  // The size up front, so the buffer is allocated once (and every string checked before a byte is written).
  let size = 19 + n * 2 + 2;
  for (let k = 0; k < types.length; k++) {
    const type = types[k]!;
    const column = columns[k]!;
    if (type !== "text" && type !== "jsonb") size += n * (4 + SIZE[type]); // NULLs take less: cut off at the end
    else for (let i = 0; i < n; i++) size += fieldSize(type, column[i], k);
  }
  const buf = Buffer.alloc(size);
  SIGNATURE.copy(buf, 0); // flags and header extension length stay 0
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let p = 19;
  for (let i = 0; i < n; i++) {
    view.setInt16(p, types.length);
    p += 2;
    for (let k = 0; k < types.length; k++) p = writeField(buf, view, p, types[k]!, columns[k]![i], k);
  }
  view.setInt16(p, -1);
  return buf.subarray(0, p + 2);
}

/**
 * Binary COPY input grown one row at a time: a row is bytes as soon as it is added, so a writer that
 * holds rows for a while (the prediction log) holds no objects for the garbage collector to trace, and
 * sending a batch is one buffer with no encoding pass on the way out.
 */
export class CopyInBuffer {
  private buf: Buffer;
  private view: DataView;
  private len = 19;
  /** Rows added so far. */
  rows = 0;

  constructor(private readonly types: readonly CopyInColumnType[], initialBytes = 16 * 1024) {
    this.buf = Buffer.alloc(Math.max(64, initialBytes));
    SIGNATURE.copy(this.buf, 0); // flags and header extension length stay 0
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** Adds one row (values in column order). A value it cannot write throws and adds nothing: the length moves only once the whole row is written. */
  add(values: readonly CopyInValue[]): void {
    if (values.length !== this.types.length) throw new Error(`${values.length} values given for ${this.types.length} columns`);
    let size = 2;
    for (let k = 0; k < values.length; k++) size += fieldSize(this.types[k]!, values[k], k);
    this.reserve(size + 2); // and the trailer's two bytes, so finish() never grows the buffer
    this.view.setInt16(this.len, values.length);
    let p = this.len + 2;
    for (let k = 0; k < values.length; k++) p = writeField(this.buf, this.view, p, this.types[k]!, values[k], k);
    this.len = p;
    this.rows++;
  }

  /** The COPY input (header, rows, trailer). Adding after it is an error of the caller. */
  finish(): Buffer {
    this.reserve(2);
    this.view.setInt16(this.len, -1);
    return this.buf.subarray(0, this.len + 2);
  }

  private reserve(bytes: number) {
    if (this.len + bytes <= this.buf.length) return;
    const grown = Buffer.alloc(Math.max(this.buf.length * 2, this.len + bytes));
    this.buf.copy(grown, 0, 0, this.len);
    this.buf = grown;
    this.view = new DataView(grown.buffer, grown.byteOffset, grown.byteLength);
  }
}

/** Loads binary COPY input (see encodeCopyBinary) into `table (columns)` on `client`, e.g. inside its transaction. */
export async function copyInBinary(client: PoolClient, table: string, columns: readonly string[], data: Buffer): Promise<void> {
  await pipeline(Readable.from([data]), client.query(copyFrom(`COPY ${table} (${columns.join(", ")}) FROM STDIN (FORMAT binary)`)));
}
