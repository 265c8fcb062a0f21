import { once } from "node:events";
import { parse, type Parser } from "csv-parse";
import { parquetMetadataAsync, parquetRead, parquetSchema } from "hyparquet";
import { AppError } from "../errors";
import type { ArtifactRange } from "../storage/artifact-store";
import type { RawValue } from "../ml/profile";
import { checkHeader, columnNameTooLong, detectEncoding, LIMITS, sniffDelimiter, type DatasetFormat, type Encoding } from "./formats";
import { CsvShapeChecker } from "./csv-shape";
import { JsonKeyScanner } from "./jsonl-keys";

export interface TableMeta {
  columns: string[];
  rowCount: number;
  delimiter: string | null;
  encoding: Encoding | null;
}

export type RowSink = (rows: RawValue[][], columns: string[]) => void | Promise<void>;

const bad = (message: string) => new AppError("BAD_REQUEST", message);
const SAMPLE_BYTES = 64 * 1024;
const BATCH = 2000;
/** Lines longer than this have their keys counted before JSON.parse sees them; shorter ones cost little to parse. */
const SCAN_FROM = 64 * 1024;

/**
 * Push-based reader of CSV and JSON Lines: bytes in (any chunking), validated rows out in batches.
 * Used both while an upload streams in (to refuse malformed files before they become versions) and
 * by jobs that read stored versions. Errors are AppError BAD_REQUEST with a position.
 */
export class TextTableDecoder {
  private sample: Uint8Array[] = [];
  private sampleSize = 0;
  private decoder: TextDecoder | null = null;
  private encoding: Encoding | null;
  private delimiter: string | null;
  private bytes = 0;
  private columns: string[] | null;
  private rowCount = 0;
  private batch: RawValue[][] = [];
  private csv: Parser | null = null;
  /** Without a sink (an upload being checked) the shape checker replaces the full parser. */
  private shape: CsvShapeChecker | null = null;
  private csvError: Error | null = null;
  private pendingSink: Promise<void> = Promise.resolve();
  /** The unfinished line, in pieces: joined once when its end arrives, not copied per chunk. */
  private jsonRest: string[] = [];
  private jsonRestLength = 0;
  /** Scans an unfinished line that has grown past SCAN_FROM, so its keys are limited before it is whole. */
  private jsonScanner: JsonKeyScanner | null = null;
  private jsonLine = 0;
  private jsonKeys = new Map<string, number>();

  constructor(
    private readonly format: Exclude<DatasetFormat, "PARQUET">,
    opts: { delimiter?: string | null; encoding?: Encoding | null; columns?: string[] | null },
    private readonly sink?: RowSink,
  ) {
    this.encoding = opts.encoding ?? null;
    this.delimiter = opts.delimiter ?? null;
    this.columns = opts.columns ?? null;
  }

  /** A CSV upload's header as soon as it has streamed in (before the rows); null until then. */
  get headerColumns(): string[] | null {
    return this.shape?.columns ?? null;
  }

  async push(chunk: Uint8Array): Promise<void> {
    this.bytes += chunk.byteLength;
    if (!this.decoder) {
      this.sample.push(chunk);
      this.sampleSize += chunk.byteLength;
      if (this.sampleSize < SAMPLE_BYTES) return;
      await this.start(false);
      return;
    }
    await this.text(this.decode(chunk, true));
  }

  async end(): Promise<TableMeta> {
    if (!this.decoder) {
      if (this.sampleSize === 0) throw bad("The file is empty");
      await this.start(true);
    }
    await this.text(this.decode(new Uint8Array(0), false));
    if (this.shape) {
      const { columns, rowCount } = this.shape.end();
      this.columns = columns;
      this.rowCount = rowCount;
    } else if (this.format === "CSV") {
      const csv = this.csv!;
      if (this.csvError) throw this.csvError;
      csv.end();
      // A parser destroyed after a bad header emits only "close".
      await Promise.race([once(csv, "end"), once(csv, "error"), once(csv, "close")]).catch(() => undefined);
      if (this.csvError) throw this.csvError;
    } else {
      this.jsonLineEnd("");
    }
    await this.flush();
    if (this.format === "JSONL" && !this.columns) this.columns = checkHeader([...this.jsonKeys.keys()]);
    if (!this.columns) throw bad("The file has no header row");
    if (this.rowCount === 0) throw bad("The file has a header but no data rows");
    return { columns: this.columns, rowCount: this.rowCount, delimiter: this.format === "CSV" ? this.delimiter : null, encoding: this.encoding };
  }

  private async start(final: boolean) {
    const sample = Buffer.concat(this.sample);
    this.sample = [];
    this.encoding ??= detectEncoding(sample, final);
    // Only the Unicode encodings can be wrong; every byte is a valid Windows-1252/Latin-1 character.
    this.decoder = new TextDecoder(this.encoding, { fatal: this.encoding === "utf-8" || this.encoding === "utf-16le" });
    this.bytes -= sample.byteLength;
    const text = this.decode(sample, !final);
    if (this.format === "CSV") {
      this.delimiter ??= sniffDelimiter(text.slice(0, SAMPLE_BYTES));
      if (!this.sink) {
        this.shape = new CsvShapeChecker(this.delimiter);
        await this.text(text);
        return;
      }
      this.csv = parse({
        delimiter: this.delimiter,
        relax_column_count: false,
        skip_empty_lines: true,
        max_record_size: LIMITS.maxRecordBytes,
      });
      this.csv.on("data", (record: string[]) => this.csvRecord(record));
      this.csv.on("error", (err: Error & { code?: string }) => {
        this.csvError = bad(`Malformed CSV: ${err.message}`);
      });
    }
    await this.text(text);
  }

  private decode(bytes: Uint8Array, stream: boolean): string {
    try {
      const text = this.decoder!.decode(bytes, { stream });
      this.bytes += bytes.byteLength;
      return text;
    } catch {
      throw bad(
        `The file is not valid ${this.encoding} (first bad byte within bytes ${this.bytes}–${this.bytes + bytes.byteLength}); ` +
          `upload it as UTF-8 or give its encoding (e.g. encoding=windows-1252)`,
      );
    }
  }

  private async text(text: string) {
    if (!text) return;
    if (this.shape) {
      this.shape.push(text);
      return;
    }
    if (this.format === "CSV") {
      if (this.csvError) throw this.csvError;
      if (!this.csv!.write(text)) await Promise.race([once(this.csv!, "drain"), once(this.csv!, "error"), once(this.csv!, "close")]).catch(() => undefined);
      if (this.csvError) throw this.csvError;
    } else {
      this.jsonText(text);
    }
    await this.flush(BATCH);
  }

  private jsonText(text: string) {
    let start = 0;
    for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
      this.jsonLineEnd(text.slice(start, nl));
      start = nl + 1;
    }
    const rest = text.slice(start);
    if (!rest) return;
    this.jsonRest.push(rest);
    this.jsonRestLength += rest.length;
    if (this.jsonRestLength > LIMITS.maxRecordBytes) throw bad(`Line ${this.jsonLine + 1} is longer than ${LIMITS.maxRecordBytes} bytes`);
    if (this.jsonScanner) this.jsonScanner.push(rest);
    else if (this.jsonRestLength > SCAN_FROM) {
      this.jsonScanner = new JsonKeyScanner(this.jsonLine + 1);
      for (const piece of this.jsonRest) this.jsonScanner.push(piece);
    }
  }

  private jsonLineEnd(last: string) {
    const line = this.jsonRest.length ? this.jsonRest.join("") + last : last;
    if (this.jsonScanner) this.jsonScanner.push(last);
    else if (line.length > SCAN_FROM) new JsonKeyScanner(this.jsonLine + 1).push(line);
    this.jsonRest = [];
    this.jsonRestLength = 0;
    this.jsonScanner = null;
    this.jsonRecord(line);
  }

  private csvRecord(record: string[]) {
    if (!this.columns) {
      try {
        this.columns = checkHeader(record);
      } catch (err) {
        this.csvError = err as Error;
        this.csv!.destroy();
      }
      return;
    }
    this.rowCount++;
    if (this.sink) this.batch.push(record);
  }

  private jsonRecord(line: string) {
    this.jsonLine++;
    const trimmed = line.trim();
    if (!trimmed) return;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (err) {
      throw bad(`Line ${this.jsonLine} is not valid JSON: ${(err as Error).message}`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw bad(`Line ${this.jsonLine} is not a JSON object`);
    const obj = value as Record<string, unknown>;
    this.rowCount++;
    if (!this.columns) {
      for (const key of Object.keys(obj)) {
        if (!this.jsonKeys.has(key)) {
          if (key.length > LIMITS.maxColumnNameLength) throw columnNameTooLong(this.jsonKeys.size + 1);
          this.jsonKeys.set(key, this.jsonKeys.size);
          if (this.jsonKeys.size > LIMITS.maxColumns) throw bad(`The file has more than ${LIMITS.maxColumns} distinct keys`);
        }
      }
    } else if (this.sink) {
      try {
        this.batch.push(this.columns.map((c) => jsonCell(obj[c])));
      } catch (err) {
        // JSON.parse reads any depth, JSON.stringify of the nested value overflows the stack.
        if (err instanceof RangeError) throw bad(`Line ${this.jsonLine} has a value nested too deeply to be read`);
        throw err;
      }
    }
  }

  private async flush(min = 1) {
    if (this.batch.length < min || !this.sink || !this.columns) return;
    const rows = this.batch;
    this.batch = [];
    await this.pendingSink;
    this.pendingSink = Promise.resolve(this.sink(rows, this.columns));
    await this.pendingSink;
  }
}

function jsonCell(v: unknown): RawValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  return JSON.stringify(v);
}

/** Columns and row count of a Parquet file, or BAD_REQUEST when it is not one. */
export async function parquetMeta(file: ArtifactRange): Promise<TableMeta> {
  if (file.byteLength < 12) throw bad("The file is not a Parquet file (too short)");
  const head = new Uint8Array(await file.slice(0, 4));
  const tail = new Uint8Array(await file.slice(file.byteLength - 4));
  const magic = (b: Uint8Array) => String.fromCharCode(...b) === "PAR1";
  if (!magic(head) || !magic(tail)) throw bad("The file is not a Parquet file (no PAR1 magic bytes)");
  try {
    const metadata = await parquetMetadataAsync(file);
    const columns = checkHeader(parquetSchema(metadata).children.map((c) => c.element.name));
    const rowCount = Number(metadata.num_rows);
    if (rowCount === 0) throw bad("The Parquet file has no rows");
    return { columns, rowCount, delimiter: null, encoding: null };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw bad(`The Parquet file could not be read: ${(err as Error).message}`);
  }
}

/** Reads a Parquet file row group by row group, handing rows to `sink`. */
export async function readParquet(file: ArtifactRange, sink: RowSink): Promise<TableMeta> {
  const meta = await parquetMeta(file);
  const metadata = await parquetMetadataAsync(file);
  let start = 0;
  for (const group of metadata.row_groups) {
    const end = start + Number(group.num_rows);
    let rows: unknown[][] = [];
    try {
      await parquetRead({ file, metadata, rowStart: start, rowEnd: end, rowFormat: "array", onComplete: (r: unknown[][]) => (rows = r) });
    } catch (err) {
      // Upload checks the footer only; a corrupt page shows here, and reading it again cannot help.
      throw bad(`The Parquet file could not be read (rows ${start + 1}–${end}): ${(err as Error).message}`);
    }
    for (let i = 0; i < rows.length; i += BATCH) {
      await sink(rows.slice(i, i + BATCH).map((r) => r.map(parquetCell)), meta.columns);
    }
    start = end;
  }
  return meta;
}

function parquetCell(v: unknown): RawValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean" || v instanceof Date) return v;
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? Number(x) : x));
}
