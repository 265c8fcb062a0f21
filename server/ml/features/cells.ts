/**
 * The one set of rules for reading a raw cell: missing tokens, numbers, booleans, ISO dates and
 * category text. A cell is whatever a CSV/JSON reader delivers; text is trimmed before every rule.
 */
import { MISSING_STRINGS, NOT_A_NUMBER, ValueScanner } from "../parse-value";

/** A raw cell: CSV text, a JSON value or a value already encoded (numbers stay numbers). */
export type Cell = string | number | boolean | Date | null | undefined;

/** The default missing tokens: pandas' read_csv NA strings (server/ml/parse-value.ts). */
export const DEFAULT_MISSING_TOKENS: readonly string[] = [...MISSING_STRINGS].sort();

const MS_PER_DAY = 86_400_000;

/** What a cell holds, as fit and encode see it. */
export type CellClass = "missing" | "number" | "boolean" | "date" | "text";

/** Reads cells with one set of missing tokens; keeps one scanner so the hot path allocates nothing. */
export class CellReader {
  private readonly scanner = new ValueScanner();
  private readonly missing: ReadonlySet<string>;
  /** The float value of the last cell classified as number, boolean or date. */
  value = NaN;
  /** The trimmed text of the last text cell (or the canonical text of a non-text cell). */
  text = "";

  constructor(missingTokens: readonly string[]) {
    this.missing = new Set(missingTokens);
  }

  /** Classifies a cell and leaves its float value in `value` and its text in `text`. */
  classify(cell: Cell): CellClass {
    if (cell === null || cell === undefined) return "missing";
    if (typeof cell === "number") {
      if (Number.isNaN(cell)) return "missing";
      this.value = cell;
      this.text = String(cell);
      return "number";
    }
    if (typeof cell === "boolean") {
      this.value = cell ? 1 : 0;
      this.text = cell ? "true" : "false";
      return "boolean";
    }
    if (cell instanceof Date) {
      const ms = cell.getTime();
      if (Number.isNaN(ms)) return "missing";
      this.value = ms / MS_PER_DAY;
      this.text = cell.toISOString();
      return "date";
    }
    const s = cell.trim();
    this.text = s;
    if (s.length === 0 || this.missing.has(s)) return "missing";
    if (this.scanner.number(s) !== NOT_A_NUMBER) {
      this.value = this.scanner.value;
      return "number";
    }
    const b = this.scanner.boolean(s);
    if (b >= 0) {
      this.value = b;
      this.text = b === 1 ? "true" : "false";
      return "boolean";
    }
    if (this.scanner.date(s)) {
      this.value = this.scanner.value / MS_PER_DAY;
      return "date";
    }
    return "text";
  }

  /** A float feature's value: numbers, true/false → 1/0, dates → days since 1970; NaN when missing or unreadable. */
  float(cell: Cell): number {
    const c = this.classify(cell);
    return c === "missing" || c === "text" ? NaN : this.value;
  }

  /** A categorical feature's value: the trimmed text (booleans "true"/"false", numbers in JavaScript's shortest form), null when missing. */
  category(cell: Cell): string | null {
    if (typeof cell === "string") {
      const s = cell.trim();
      return s.length === 0 || this.missing.has(s) ? null : s;
    }
    return this.classify(cell) === "missing" ? null : this.text;
  }

  /** A label's key for binary targets: numbers and booleans as numbers in shortest form ("1.0", "true" → "1"), other text trimmed; null when missing. */
  labelKey(cell: Cell): string | null {
    const c = this.classify(cell);
    if (c === "missing") return null;
    if (c === "number" || c === "boolean") return String(this.value);
    return this.text;
  }
}
