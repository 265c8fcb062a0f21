import { AppError } from "../errors";

export type DatasetFormat = "CSV" | "JSONL" | "PARQUET";

/** Limits that keep a hostile or broken file from exhausting a process. */
export const LIMITS = {
  maxColumns: 2000,
  maxColumnNameLength: 256,
  maxRecordBytes: 16 * 1024 * 1024,
  maxFileNameLength: 255,
};

export const SUPPORTED_ENCODINGS = ["utf-8", "utf-16le", "windows-1252", "latin1"] as const;
export type Encoding = (typeof SUPPORTED_ENCODINGS)[number];

const bad = (message: string) => new AppError("BAD_REQUEST", message);

/**
 * A file name as uploaded: kept for display only (storage is by content hash), but refused when it
 * tries to name a path, so that nothing downstream can be tricked into path traversal.
 */
export function checkFileName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw bad("The file name is empty");
  if (trimmed.length > LIMITS.maxFileNameLength) throw bad(`The file name is longer than ${LIMITS.maxFileNameLength} characters`);
  if (/[/\\]/.test(trimmed) || trimmed === "." || trimmed === ".." || trimmed.includes("..")) {
    throw bad(`The file name "${trimmed}" looks like a path; send a plain file name`);
  }
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) throw bad("The file name contains control characters");
  return trimmed;
}

export function formatFromName(fileName: string): DatasetFormat | null {
  const ext = fileName.toLowerCase().split(".").at(-1) ?? "";
  if (["csv", "tsv", "txt", "psv"].includes(ext)) return "CSV";
  if (["jsonl", "ndjson"].includes(ext)) return "JSONL";
  if (ext === "parquet" || ext === "pq") return "PARQUET";
  return null;
}

export function parseEncoding(value: string | undefined | null): Encoding | undefined {
  if (!value) return undefined;
  const v = value.toLowerCase().replace(/_/g, "-");
  const alias: Record<string, Encoding> = { utf8: "utf-8", "utf-8": "utf-8", "utf-16le": "utf-16le", utf16le: "utf-16le", "windows-1252": "windows-1252", cp1252: "windows-1252", latin1: "latin1", "iso-8859-1": "latin1" };
  const found = alias[v];
  if (!found) throw bad(`Unsupported encoding "${value}"; use one of ${SUPPORTED_ENCODINGS.join(", ")}`);
  return found;
}

export function parseDelimiter(value: string | undefined | null): string | undefined {
  if (!value) return undefined;
  const named: Record<string, string> = { comma: ",", tab: "\t", "\\t": "\t", semicolon: ";", pipe: "|" };
  const d = named[value.toLowerCase()] ?? value;
  if (d.length !== 1 || d === '"' || d === "\n" || d === "\r") throw bad(`Unsupported delimiter "${value}"; use a single character such as , ; | or tab`);
  return d;
}

/** Detects a byte-order mark or falls back to UTF-8 when the sample decodes, else Windows-1252. */
export function detectEncoding(sample: Uint8Array, final: boolean): Encoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return "utf-8";
  if (sample[0] === 0xff && sample[1] === 0xfe) return "utf-16le";
  try {
    // A multi-byte character may be cut at the sample's end; only a complete file must decode fully.
    new TextDecoder("utf-8", { fatal: true }).decode(sample, { stream: !final });
    return "utf-8";
  } catch {
    return "windows-1252";
  }
}

/** Picks the delimiter that splits the first lines into the same number (> 1) of fields most often. */
export function sniffDelimiter(text: string): string {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0).slice(0, 20);
  if (lines.length > 1 && !text.endsWith("\n")) lines.pop(); // the last line may be cut off
  let best = ",";
  let bestScore = 0;
  for (const d of [",", "\t", ";", "|"]) {
    const counts = lines.map((l) => countOutsideQuotes(l, d));
    const first = counts[0] ?? 0;
    if (first === 0) continue;
    const consistent = counts.filter((c) => c === first).length;
    const score = consistent * 1000 + first;
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

function countOutsideQuotes(line: string, d: string): number {
  let n = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === d && !quoted) n++;
  }
  return n;
}

/** Refusals of headers, shared by the streaming checkers (which stop at the first excess) and checkHeader. */
export const tooManyColumns = () => bad(`The file has more than ${LIMITS.maxColumns} columns; Cairn accepts at most ${LIMITS.maxColumns}`);
export const columnNameTooLong = (column: number) => bad(`Column ${column}'s name is longer than ${LIMITS.maxColumnNameLength} characters`);

/** Checks a header row: names present, unique, short enough, not too many. */
export function checkHeader(names: string[]): string[] {
  if (names.length > LIMITS.maxColumns) throw tooManyColumns();
  const seen = new Map<string, number>();
  names.forEach((raw, i) => {
    const name = raw.trim();
    if (!name) throw bad(`Column ${i + 1} has an empty name in the header`);
    if (name.length > LIMITS.maxColumnNameLength) throw columnNameTooLong(i + 1);
    const prev = seen.get(name);
    if (prev !== undefined) throw bad(`Duplicate column name "${name}" (columns ${prev + 1} and ${i + 1})`);
    seen.set(name, i);
  });
  return names.map((n) => n.trim());
}
