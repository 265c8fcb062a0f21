import { AppError } from "../errors";
import { checkHeader, columnNameTooLong, LIMITS, tooManyColumns } from "./formats";

const QUOTE = 34; // "
const LF = 10;
const CR = 13;

const bad = (message: string) => new AppError("BAD_REQUEST", `Malformed CSV: ${message}`);

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: either the first half of "" or the closing quote. */
  QuoteInQuoted,
}

type RecordDelimiter = "lf" | "crlf" | "cr";

/**
 * Checks the shape of CSV text as it streams (RFC 4180, read as csv-parse reads it with Cairn's
 * options: double-quote quoting, "" escapes, the record delimiter found first, empty lines skipped,
 * every record as wide as the header) without building records. Uploads use it: it is several
 * times faster than a full parse and keeps the web process's memory flat. Jobs that need the values
 * use csv-parse; a property test holds the two to the same verdicts.
 */
export class CsvShapeChecker {
  private state = State.FieldStart;
  private fields = 0;
  private expected = -1;
  private line = 1;
  private recordLine = 1;
  private quoteLine = 1;
  private recordChars = 0;
  private records = 0;
  private recordDelimiter: RecordDelimiter | null = null;
  /** A CR whose meaning depends on the next character (which may be in the next chunk). */
  private pendingCr = false;
  private header: string[] | null = null;
  private headerField = "";
  private readonly headerFields: string[] = [];
  private readonly delimiter: number;

  constructor(delimiter: string) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** The header's column names once its record has ended; null before. */
  get columns(): string[] | null {
    return this.header;
  }

  push(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.pendingCr) {
        this.pendingCr = false;
        if (c === LF && (this.recordDelimiter === null || this.recordDelimiter === "crlf")) {
          this.recordDelimiter = "crlf";
          this.endRecord();
          continue;
        }
        if (this.recordDelimiter === null) {
          this.recordDelimiter = "cr";
          this.endRecord();
        } else this.data(CR, "\r");
      }
      if (this.state !== State.Quoted && (c === CR || c === LF)) {
        if (c === CR && (this.recordDelimiter === null || this.recordDelimiter === "crlf")) {
          this.pendingCr = true;
          continue;
        }
        if (c === LF && (this.recordDelimiter === null || this.recordDelimiter === "lf")) {
          this.recordDelimiter = "lf";
          this.endRecord();
          continue;
        }
        if (c === CR && this.recordDelimiter === "cr") {
          this.endRecord();
          continue;
        }
      }
      this.data(c, text[i]!);
    }
  }

  /** Ends the text; returns the header and the number of data rows. */
  end(): { columns: string[]; rowCount: number } {
    if (this.pendingCr) {
      this.pendingCr = false;
      if (this.recordDelimiter === null || this.recordDelimiter === "cr") this.endRecord();
      else this.data(CR, "\r");
    }
    if (this.state === State.Quoted) throw bad(`Quote Not Closed: the quoted field starting on line ${this.quoteLine} is never closed`);
    if (this.fields > 0 || this.recordChars > 0) this.endRecord();
    if (this.header === null) throw new AppError("BAD_REQUEST", "The file is empty");
    if (this.records <= 1) throw new AppError("BAD_REQUEST", "The file has a header but no data rows");
    return { columns: this.header, rowCount: this.records - 1 };
  }

  /** One character that is not a record delimiter. */
  private data(c: number, ch: string) {
    const inHeader = this.header === null;
    switch (this.state) {
      case State.FieldStart:
        this.recordChars++;
        if (c === QUOTE) {
          this.state = State.Quoted;
          this.quoteLine = this.line;
        } else if (c === this.delimiter) {
          this.endField();
        } else {
          this.state = State.Unquoted;
          if (inHeader) this.collect(ch);
        }
        break;
      case State.Unquoted:
        if (c === this.delimiter) this.endField();
        else if (c === QUOTE) throw bad(`Invalid Opening Quote: a quote is found inside field ${this.fields + 1} on line ${this.line}; quote the whole field and double its quotes`);
        else if (inHeader) this.collect(ch);
        break;
      case State.Quoted:
        if (c === QUOTE) this.state = State.QuoteInQuoted;
        else {
          if (c === LF) this.line++;
          if (inHeader) this.collect(ch);
        }
        break;
      case State.QuoteInQuoted:
        if (c === QUOTE) {
          this.state = State.Quoted;
          if (inHeader) this.collect('"');
        } else if (c === this.delimiter) this.endField();
        else throw bad(`Invalid Closing Quote: got ${JSON.stringify(ch)} after a quoted field on line ${this.line} instead of a delimiter or the end of the line`);
        break;
    }
  }

  /**
   * One character of a header name. The limits apply as the header streams in: a header of
   * megabytes would otherwise be held (as a string built character by character) before any check.
   */
  private collect(ch: string) {
    if (this.headerField.length >= LIMITS.maxColumnNameLength) throw columnNameTooLong(this.fields + 1);
    this.headerField += ch;
  }

  private endField() {
    this.fields++;
    this.state = State.FieldStart;
    if (this.header === null) {
      if (this.headerFields.length + 1 >= LIMITS.maxColumns) throw tooManyColumns();
      this.headerFields.push(this.headerField);
      this.headerField = "";
    }
  }

  private endRecord() {
    if (this.state === State.Quoted) {
      // Only reached for a delimiter that arrived while quoted via pendingCr: it is data there.
      this.data(CR, "\r");
      return;
    }
    const empty = this.fields === 0 && this.recordChars === 0;
    if (!empty) {
      const count = this.fields + 1;
      if (this.header === null) {
        this.headerFields.push(this.headerField);
        this.header = checkHeader(this.headerFields);
        this.expected = count;
      } else if (count !== this.expected) {
        throw bad(`Invalid Record Length: expect ${this.expected}, got ${count} on line ${this.recordLine}`);
      }
      this.records++;
    }
    this.line++;
    this.fields = 0;
    this.recordChars = 0;
    this.state = State.FieldStart;
    this.recordLine = this.line;
  }
}
