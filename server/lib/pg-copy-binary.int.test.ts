import { describe, expect, it } from "vitest";
import { pool } from "../db";
import { CopyInBuffer, copyInBinary, copyOutBinary, copyOutBinaryOn, decodeCopyBinary, encodeCopyBinary, sqlInt, type CopyColumnType } from "./pg-copy-binary";

async function rowsOf(query: string, types: CopyColumnType[]) {
  const rows: (number | null)[][] = [];
  decodeCopyBinary(await copyOutBinary(pool(), query), types, (values, isNull) => rows.push(Array.from(values, (v, k) => (isNull[k] ? null : v))));
  return rows;
}

describe("binary COPY reader", () => {
  it("decodes int4, int8, float8 and timestamp columns, NULLs, NaN and infinities", async () => {
    const rows = await rowsOf(
      `SELECT * FROM (VALUES
         (1, 0::int8, 0.5::float8, timestamp '2026-11-28 00:00:00.123'),
         (-7, 1099511627779::int8, 'NaN'::float8, timestamp '1999-12-31 23:59:59.999'),
         (2147483647, -1099511627776::int8, 'Infinity'::float8, timestamp '2000-01-01 00:00:00'),
         (NULL, 9007199254740991::int8, '-Infinity'::float8, NULL),
         (-2147483648, -5::int8, NULL, timestamp '1970-01-01 00:00:00.001')
       ) AS t(a, b, c, d) ORDER BY b`,
      ["int4", "int8", "float8", "timestamp"],
    );
    expect(rows).toEqual([
      [2147483647, -1099511627776, Infinity, Date.UTC(2000, 0, 1)],
      [-2147483648, -5, null, 1],
      [1, 0, 0.5, Date.UTC(2026, 10, 28, 0, 0, 0, 123)],
      [-7, 1099511627779, NaN, Date.UTC(1999, 11, 31, 23, 59, 59, 999)],
      [null, Number.MAX_SAFE_INTEGER, -Infinity, null],
    ]);
  });

  it("reads a query with no rows, and many rows in order", async () => {
    expect(await rowsOf(`SELECT 1 WHERE false`, ["int4"])).toEqual([]);
    const many = await rowsOf(`SELECT g, g::float8 / 3 FROM generate_series(1, 50000) g ORDER BY g`, ["int4", "float8"]);
    expect(many).toHaveLength(50_000);
    expect(many[49_999]).toEqual([50_000, 50_000 / 3]);
  });

  it("refuses output that does not match the declared columns", async () => {
    const buf = await copyOutBinary(pool(), `SELECT 1::int4, 2::int8`);
    expect(() => decodeCopyBinary(buf, ["int4"], () => {})).toThrow("has 2 columns, expected 1");
    expect(() => decodeCopyBinary(buf, ["int8", "int8"], () => {})).toThrow("has 4 bytes, not a int8");
    expect(() => decodeCopyBinary(Buffer.from("1\t2\n"), ["int4", "int4"], () => {})).toThrow("not binary COPY output");
  });

  it("writes rows with COPY FROM and reads the same values back, in SQL's own terms too", async () => {
    const client = await pool().connect();
    try {
      await client.query("BEGIN");
      await client.query(`CREATE TEMP TABLE copy_in (a int4, b int8, c float8, d timestamp(3)) ON COMMIT DROP`);
      const types: CopyColumnType[] = ["int4", "int8", "float8", "timestamp"];
      const columns = [
        [1, -2147483648, null, 7],
        [0, 1099511627779, -5, Number.MAX_SAFE_INTEGER],
        [0.5, NaN, Infinity, -Infinity],
        [Date.UTC(2026, 10, 28, 0, 0, 0, 123), Date.UTC(1999, 11, 31, 23, 59, 59, 999), null, 8.64e15],
      ];
      await copyInBinary(client, "copy_in", ["a", "b", "c", "d"], encodeCopyBinary(types, columns, 4));
      const { rows: text } = await client.query<{ a: number | null; b: string; c: number; d: string | null }>(
        `SELECT a, b::text, c, to_char(d, 'YYYY-MM-DD HH24:MI:SS.MS') AS d FROM copy_in ORDER BY b`,
      );
      expect(text).toEqual([
        { a: null, b: "-5", c: Infinity, d: null },
        { a: 1, b: "0", c: 0.5, d: "2026-11-28 00:00:00.123" },
        { a: -2147483648, b: "1099511627779", c: NaN, d: "1999-12-31 23:59:59.999" },
        { a: 7, b: "9007199254740991", c: -Infinity, d: "275760-09-13 00:00:00.000" },
      ]);
      const back: (number | null)[][] = [];
      const out = await copyOutBinaryOn(client, `SELECT a, b, c, d FROM copy_in ORDER BY b`);
      decodeCopyBinary(out, types, (v, isNull) => back.push(Array.from(v, (x, k) => (isNull[k] ? null : x))));
      expect(back[1]).toEqual([1, 0, 0.5, Date.UTC(2026, 10, 28, 0, 0, 0, 123)]);
      expect(back[3]).toEqual([7, Number.MAX_SAFE_INTEGER, -Infinity, 8.64e15]);
      // A bad row fails the COPY as a whole, and the transaction with it.
      await expect(copyInBinary(client, "copy_in", ["a"], encodeCopyBinary(["int8"], [[1]], 1))).rejects.toThrow(/incorrect binary data format|insufficient data/);
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
    expect(() => encodeCopyBinary(["int8"], [[1.5]], 1)).toThrow(RangeError);
    expect(() => encodeCopyBinary(["int4", "int4"], [[1]], 1)).toThrow("1 columns given for 2 types");
  });

  it("writes text and jsonb columns that Postgres reads back as the same strings and JSON values", async () => {
    const client = await pool().connect();
    try {
      await client.query("BEGIN");
      await client.query(`CREATE TEMP TABLE copy_text (k int4, t text, j jsonb) ON COMMIT DROP`);
      const docs = [{ a: 1, b: [1.5, null, "x"], "ключ": "значение 🚀" }, [], "plain", 12.25, null, { nested: { deep: [true, false] } }];
      const texts = ["", "tab\tand\nnewline", "ünïcødé 🚀 \\ back\\slash", "x".repeat(100_000), null, "'quotes\"'"];
      const n = docs.length;
      const buf = encodeCopyBinary(["int4", "text", "jsonb"], [Array.from({ length: n }, (_, i) => i), texts, docs.map((d, i) => (i === 4 ? null : JSON.stringify(d)))], n);
      await copyInBinary(client, "copy_text", ["k", "t", "j"], buf);
      const { rows } = await client.query<{ k: number; t: string | null; j: unknown; jt: string | null }>(`SELECT k, t, j, jsonb_typeof(j) AS jt FROM copy_text ORDER BY k`);
      expect(rows.map((r) => r.t)).toEqual(texts);
      expect(rows.map((r) => r.j)).toEqual(docs);
      expect(rows.map((r) => r.jt)).toEqual(["object", "array", "string", "number", null, "object"]);
      // jsonb text is checked by Postgres: a bad document fails the whole COPY.
      await client.query("SAVEPOINT bad");
      await expect(copyInBinary(client, "copy_text", ["j"], encodeCopyBinary(["jsonb"], [["{not json"]], 1))).rejects.toThrow(/invalid input syntax for type json/);
      await client.query("ROLLBACK TO SAVEPOINT bad");
      expect((await client.query(`SELECT count(*)::int AS n FROM copy_text`)).rows[0]).toEqual({ n });
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
    expect(() => encodeCopyBinary(["text"], [["a\0b"]], 1)).toThrow("NUL character");
    expect(() => encodeCopyBinary(["text"], [[1]], 1)).toThrow("not a string");
    expect(() => encodeCopyBinary(["int4"], [["1"]], 1)).toThrow("not a number");
  });

  it("builds the same COPY input one row at a time (CopyInBuffer), growing past its first size, and a refused row adds nothing", async () => {
    const types = ["int4", "text", "jsonb", "float8", "timestamp"] as const;
    const rows: (number | string | null)[][] = Array.from({ length: 500 }, (_, i) => [i, i % 7 === 0 ? null : `row ${i} ünï 🚀`, JSON.stringify({ i, tags: ["a", i] }), i / 3, Date.UTC(2026, 0, 1) + i]);
    const byRow = new CopyInBuffer(types, 64); // 64 bytes: the buffer grows many times
    for (const [k, row] of rows.entries()) {
      byRow.add(row);
      // Refused between good rows: nothing of them may reach the output.
      if (k === 10) expect(() => byRow.add([1, "a\0b", "{}", 1, 1])).toThrow("NUL character");
      if (k === 20) expect(() => byRow.add([1, "x", "{}", 1, 1.5])).toThrow(RangeError);
      if (k === 30) expect(() => byRow.add([1, "x", "{}"])).toThrow("3 values given for 5 columns");
    }
    expect(byRow.rows).toBe(500);
    const columns = types.map((_, k) => rows.map((r) => r[k]!));
    const data = byRow.finish();
    expect(data.equals(encodeCopyBinary(types, columns, rows.length))).toBe(true);
    const client = await pool().connect();
    try {
      await client.query("BEGIN");
      await client.query(`CREATE TEMP TABLE copy_rows (k int4, t text, j jsonb, f float8, d timestamp(3)) ON COMMIT DROP`);
      await copyInBinary(client, "copy_rows", ["k", "t", "j", "f", "d"], data);
      const { rows: back } = await client.query<{ n: number; nulls: number; last: string }>(`SELECT count(*)::int AS n, count(*) FILTER (WHERE t IS NULL)::int AS nulls, max(j->>'i') FILTER (WHERE k = 499) AS last FROM copy_rows`);
      expect(back[0]).toEqual({ n: 500, nulls: 72, last: "499" });
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  });

  it("splices only safe integers into SQL", () => {
    expect(sqlInt(42)).toBe("42");
    expect(sqlInt(-3)).toBe("-3");
    for (const bad of [1.5, NaN, Infinity, 2 ** 53, "1; DROP TABLE x" as unknown as number]) expect(() => sqlInt(bad)).toThrow(TypeError);
  });

  it("gives the connection back to the pool when the query fails", async () => {
    const before = pool().totalCount;
    for (let i = 0; i < 12; i++) await expect(copyOutBinary(pool(), `SELECT 1 / 0`)).rejects.toThrow("division by zero");
    expect(pool().idleCount).toBe(pool().totalCount);
    expect(pool().totalCount).toBeLessThanOrEqual(Math.max(before, 10));
  });
});
