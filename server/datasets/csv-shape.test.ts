import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { Rng } from "../ml/random";
import { CsvShapeChecker } from "./csv-shape";

function check(text: string, chunk = 3) {
  const c = new CsvShapeChecker(",");
  for (let i = 0; i < text.length; i += chunk) c.push(text.slice(i, i + chunk));
  return c.end();
}

/** What csv-parse (the reader jobs use) makes of the same text with the same options. */
function reference(text: string): { ok: true; columns: string[]; rowCount: number } | { ok: false } {
  try {
    const records = parse(text, { delimiter: ",", relax_column_count: false, skip_empty_lines: true }) as string[][];
    if (records.length < 2) return { ok: false };
    return { ok: true, columns: records[0]!.map((s) => s.trim()), rowCount: records.length - 1 };
  } catch {
    return { ok: false };
  }
}

describe("CSV shape checker", () => {
  it("reads headers, counts rows, and handles quotes, escaped quotes, CRLF and empty lines", () => {
    expect(check('a,"b ""x""",c\r\n1,"two\nlines",3\r\n\r\n4,5,6\n')).toEqual({ columns: ["a", 'b "x"', "c"], rowCount: 2 });
    expect(check("a\n1\n2")).toEqual({ columns: ["a"], rowCount: 2 });
  });

  it("refuses ragged rows, stray and unclosed quotes with the line", () => {
    expect(() => check("a,b,c\n1,2,3\n4,5\n")).toThrow(/Invalid Record Length: expect 3, got 2 on line 3/);
    expect(() => check('a,b\n1,"open\n2,3\n')).toThrow(/Quote Not Closed.*line 2/);
    expect(() => check('a,b\n1,x"y\n')).toThrow(/Invalid Opening Quote.*line 2/);
    expect(() => check('a,b\n1,"x"y\n')).toThrow(/Invalid Closing Quote.*line 2/);
    expect(() => check("")).toThrow(/empty/);
    expect(() => check("a,b\n")).toThrow(/no data rows/);
    expect(() => check("a,a\n1,2\n")).toThrow(/Duplicate column name "a"/);
  });

  it("agrees with csv-parse on thousands of random inputs", () => {
    const rng = new Rng(5);
    const parts = ["a", "b", ",", '"', '""', "\n", "\r\n", "\r", " ", "x,y", "\n\n", '"q,"'];
    let agreed = 0;
    for (let trial = 0; trial < 10_000; trial++) {
      let text = "h1,h2\n";
      const n = 1 + rng.nextInt(25);
      for (let i = 0; i < n; i++) text += parts[rng.nextInt(parts.length)];
      const ref = reference(text);
      let mine: { ok: true; columns: string[]; rowCount: number } | { ok: false };
      try {
        mine = { ok: true, ...check(text, 1 + rng.nextInt(7)) };
      } catch {
        mine = { ok: false };
      }
      expect(mine, JSON.stringify(text)).toEqual(ref);
      agreed++;
    }
    expect(agreed).toBe(10_000);
  });
});
