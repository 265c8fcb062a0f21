/**
 * Classifying raw cell text without allocating: missing markers, numbers, booleans and ISO-8601
 * dates. Results of the last scan are left on the scanner (`value`) so the hot path creates no objects.
 */

/** pandas 1.5 read_csv's default NA strings, plus "None" (which pandas adds in 2.0). */
export const MISSING_STRINGS: ReadonlySet<string> = new Set([
  "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>",
  "N/A", "NA", "NULL", "NaN", "n/a", "nan", "null", "None",
]);
const LONGEST_MISSING = 8;

/** Whether a cell's text means "no value". */
export function isMissingString(s: string): boolean {
  return s.length === 0 || (s.length <= LONGEST_MISSING && MISSING_STRINGS.has(s));
}

/** Results of ValueScanner.number(). */
export const NOT_A_NUMBER = 0;
export const INTEGER_TEXT = 1;
export const REAL_TEXT = 2;

// Exact powers of ten: with a mantissa below 2^53, one multiply or divide is correctly rounded (Clinger).
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
const INFINITY_TEXT = /^[+-]?inf(inity)?$/i;
const MS_PER_DAY = 86_400_000;

function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function digit(s: string, i: number): number {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

function twoDigits(s: string, i: number): number {
  const a = digit(s, i);
  const b = digit(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

/** Reads cell text as numbers, booleans or ISO dates; the last value read is left in `value`. */
export class ValueScanner {
  /** The number (or epoch milliseconds) read by the last successful scan. */
  value = 0;

  /**
   * Reads decimal text ("12", "-0.5", "1e3", "inf"; surrounding blanks allowed). Returns INTEGER_TEXT
   * for digits-only text that fits a safe integer, REAL_TEXT for other numbers, NOT_A_NUMBER otherwise.
   * Hexadecimal, binary and octal literals are not numbers here, unlike JavaScript's Number().
   */
  number(s: string): number {
    // Every charCodeAt stays in bounds: reading past the end returns NaN but costs a slow path in V8.
    const length = s.length;
    if (length === 0) return NOT_A_NUMBER;
    let i = 0;
    let c = s.charCodeAt(0);
    let negative = false;
    if (c === 45 || c === 43) {
      negative = c === 45;
      if (++i === length) return NOT_A_NUMBER;
      c = s.charCodeAt(i);
    }
    let mantissa = 0;
    let digits = 0;
    let fraction = 0;
    let integral = true;
    while (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (++i === length) break;
      c = s.charCodeAt(i);
    }
    if (i < length && c === 46) {
      integral = false;
      while (++i < length) {
        c = s.charCodeAt(i);
        if (c < 48 || c > 57) break;
        mantissa = mantissa * 10 + (c - 48);
        digits++;
        fraction++;
      }
    }
    if (digits === 0) return this.unusualNumber(s);
    let exponent = 0;
    if (i < length && (c === 101 || c === 69)) {
      integral = false;
      if (++i === length) return this.unusualNumber(s);
      c = s.charCodeAt(i);
      let exponentNegative = false;
      if (c === 45 || c === 43) {
        exponentNegative = c === 45;
        if (++i === length) return this.unusualNumber(s);
        c = s.charCodeAt(i);
      }
      let exponentDigits = 0;
      while (c >= 48 && c <= 57) {
        exponent = exponent * 10 + (c - 48);
        exponentDigits++;
        if (++i === length) break;
        c = s.charCodeAt(i);
      }
      if (exponentDigits === 0) return this.unusualNumber(s);
      if (exponentNegative) exponent = -exponent;
    }
    if (i !== length) return this.unusualNumber(s);
    const power = exponent - fraction;
    let v: number;
    if (digits <= 15 && power >= -22 && power <= 22) v = power < 0 ? mantissa / POW10[-power]! : mantissa * POW10[power]!;
    else v = Math.abs(Number(s));
    if (integral && v <= Number.MAX_SAFE_INTEGER) {
      // pandas reads "-0" as the integer 0.
      this.value = negative ? 0 - v : v;
      return INTEGER_TEXT;
    }
    this.value = negative ? -v : v;
    return REAL_TEXT;
  }

  private unusualNumber(s: string): number {
    const trimmed = s.trim();
    if (trimmed.length > 0 && trimmed.length !== s.length) return this.number(trimmed);
    if (INFINITY_TEXT.test(s)) {
      this.value = s.charCodeAt(0) === 45 ? -Infinity : Infinity;
      return REAL_TEXT;
    }
    return NOT_A_NUMBER;
  }

  /** "true"/"false" in any letter case: 1, 0, or −1 when the text is not a boolean. */
  boolean(s: string): number {
    if (s.length === 4) {
      return (s.charCodeAt(0) | 32) === 116 &&
        (s.charCodeAt(1) | 32) === 114 &&
        (s.charCodeAt(2) | 32) === 117 &&
        (s.charCodeAt(3) | 32) === 101
        ? 1
        : -1;
    }
    if (s.length === 5) {
      return (s.charCodeAt(0) | 32) === 102 &&
        (s.charCodeAt(1) | 32) === 97 &&
        (s.charCodeAt(2) | 32) === 108 &&
        (s.charCodeAt(3) | 32) === 115 &&
        (s.charCodeAt(4) | 32) === 101
        ? 0
        : -1;
    }
    return -1;
  }

  /**
   * ISO-8601 date or date-time: YYYY-MM-DD, optionally followed by T or a space, HH:MM[:SS[.fff…]] and
   * Z or ±HH[:MM]. Sets `value` to epoch milliseconds (text without an offset is read as UTC, like
   * pandas' naive timestamps); digits beyond milliseconds are truncated.
   */
  date(s: string): boolean {
    const length = s.length;
    if (length < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
    const y1 = twoDigits(s, 0);
    const y2 = twoDigits(s, 2);
    const month = twoDigits(s, 5);
    const day = twoDigits(s, 8);
    if (y1 < 0 || y2 < 0 || month < 1 || month > 12 || day < 1) return false;
    const year = y1 * 100 + y2;
    if (day > daysInMonth(year, month)) return false;
    let ms = daysFromCivil(year, month, day) * MS_PER_DAY;
    if (length === 10) {
      this.value = ms;
      return true;
    }
    const separator = s.charCodeAt(10);
    if ((separator !== 84 && separator !== 32) || length < 16 || s.charCodeAt(13) !== 58) return false;
    const hour = twoDigits(s, 11);
    const minute = twoDigits(s, 14);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return false;
    ms += hour * 3_600_000 + minute * 60_000;
    let i = 16;
    if (s.charCodeAt(i) === 58) {
      const second = twoDigits(s, i + 1);
      if (second < 0 || second > 59) return false;
      ms += second * 1000;
      i += 3;
      const mark = s.charCodeAt(i);
      if (mark === 46 || mark === 44) {
        i++;
        let scale = 100;
        let fractionDigits = 0;
        for (let d = digit(s, i); d >= 0; d = digit(s, ++i)) {
          ms += d * scale;
          scale /= 10;
          fractionDigits++;
        }
        if (fractionDigits === 0) return false;
        ms = Math.floor(ms);
      }
    }
    if (i < length) {
      const zone = s.charCodeAt(i);
      if (zone === 90 && i === length - 1) i++;
      else if (zone === 43 || zone === 45) {
        const offsetHours = twoDigits(s, i + 1);
        if (offsetHours < 0 || offsetHours > 23) return false;
        let offsetMinutes = 0;
        i += 3;
        if (i < length) {
          if (s.charCodeAt(i) === 58) i++;
          offsetMinutes = twoDigits(s, i);
          if (offsetMinutes < 0 || offsetMinutes > 59) return false;
          i += 2;
        }
        const offset = (offsetHours * 60 + offsetMinutes) * 60_000;
        ms += zone === 43 ? -offset : offset;
      }
      if (i !== length) return false;
    }
    this.value = ms;
    return true;
  }
}
