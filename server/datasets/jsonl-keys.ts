import { LIMITS } from "./formats";
import { AppError } from "../errors";

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const OPEN_OBJECT = 123;
const OPEN_ARRAY = 91;
const CLOSE_OBJECT = 125;
const CLOSE_ARRAY = 93;

/**
 * Counts the top-level keys of one JSON Lines record as its text streams in, and refuses a record
 * with too many keys or too long a key before the record is complete: JSON.parse of a 16 MB line
 * with a million keys costs hundreds of MB. It reads structure only; JSON.parse still judges validity.
 */
export class JsonKeyScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** At depth 1, after "{" or ",": the next string is a key. */
  private expectKey = false;
  /** Length of the key being read; -1 inside other strings. */
  private keyLength = -1;
  private keys = 0;

  constructor(private readonly line: number) {}

  push(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) {
          this.inString = false;
          continue;
        }
        if (this.keyLength >= 0 && ++this.keyLength > LIMITS.maxColumnNameLength) {
          throw new AppError("BAD_REQUEST", `Line ${this.line} has a key longer than ${LIMITS.maxColumnNameLength} characters`);
        }
        continue;
      }
      if (c === QUOTE) {
        this.inString = true;
        this.keyLength = -1;
        if (this.depth === 1 && this.expectKey) {
          this.expectKey = false;
          this.keyLength = 0;
          if (++this.keys > LIMITS.maxColumns) {
            throw new AppError("BAD_REQUEST", `Line ${this.line} has more than ${LIMITS.maxColumns} keys; Cairn accepts at most ${LIMITS.maxColumns} columns`);
          }
        }
      } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        this.depth++;
        this.expectKey = this.depth === 1 && c === OPEN_OBJECT;
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) this.depth--;
      else if (c === COMMA && this.depth === 1) this.expectKey = true;
    }
  }
}
