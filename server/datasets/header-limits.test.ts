import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { TextTableDecoder } from "./decode";
import { LIMITS } from "./formats";

const MB = 1024 * 1024;
const CHUNK = 64 * 1024;

/**
 * Feeds `total` bytes produced by `byteAt` in 64 KiB chunks until the decoder refuses; returns the
 * error and how many bytes it had taken by then.
 */
async function feed(format: "CSV" | "JSONL", total: number, chunkAt: (offset: number) => Uint8Array) {
  const decoder = new TextTableDecoder(format, {});
  let offset = 0;
  try {
    while (offset < total) {
      const chunk = chunkAt(offset);
      offset += chunk.byteLength;
      await decoder.push(chunk);
    }
    await decoder.end();
  } catch (err) {
    return { err, read: offset };
  }
  return { err: null, read: offset };
}

const repeated = (text: string) => {
  const block = Buffer.from(text.repeat(Math.ceil(CHUNK / text.length)).slice(0, CHUNK));
  return () => block;
};

describe("header limits while streaming", () => {
  it("refuses a 16 MB CSV column name after reading a small part of it, with flat memory", async () => {
    const before = process.memoryUsage().rss;
    const { err, read } = await feed("CSV", 16 * MB, repeated("x"));
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("BAD_REQUEST");
    expect((err as AppError).message).toMatch(new RegExp(`name is longer than ${LIMITS.maxColumnNameLength} characters`));
    expect(read).toBeLessThanOrEqual(2 * MB);
    // Loose sanity bound: the whole header held as a string costs hundreds of MB.
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * MB);
  });

  it("refuses a CSV header with millions of short columns as soon as it passes the column limit", async () => {
    const { err, read } = await feed("CSV", 16 * MB, repeated("c,"));
    expect((err as AppError).message).toMatch(new RegExp(`more than ${LIMITS.maxColumns} columns`));
    expect(read).toBeLessThanOrEqual(2 * MB);
  });

  it("refuses a JSON Lines record with a 16 MB key before the line has arrived", async () => {
    const head = Buffer.from('{"');
    const body = repeated("k")();
    const { err, read } = await feed("JSONL", 16 * MB, (offset) => (offset === 0 ? Buffer.concat([head, body]) : body));
    expect((err as AppError).message).toMatch(new RegExp(`key longer than ${LIMITS.maxColumnNameLength} characters`));
    expect(read).toBeLessThanOrEqual(2 * MB);
  });

  it("refuses a JSON Lines record with millions of keys before parsing it", async () => {
    let n = 0;
    const { err, read } = await feed("JSONL", 16 * MB, (offset) => {
      const parts: string[] = [];
      for (let len = 0; len < CHUNK; n++) {
        const p = `"k${n}":1,`;
        parts.push(p);
        len += p.length;
      }
      return Buffer.from((offset === 0 ? "{" : "") + parts.join(""));
    });
    expect((err as AppError).message).toMatch(new RegExp(`more than ${LIMITS.maxColumns} keys`));
    expect(read).toBeLessThanOrEqual(2 * MB);
  });

  it("still reads ordinary files, long text values and nested objects included", async () => {
    const csv = new TextTableDecoder("CSV", {});
    await csv.push(Buffer.from(`id,"note, quoted",b\n1,"${"long ".repeat(100_000)}",2\n`));
    expect(await csv.end()).toMatchObject({ columns: ["id", "note, quoted", "b"], rowCount: 1 });
    const json = new TextTableDecoder("JSONL", {});
    const value = { text: "v".repeat(300_000), nested: { "deep key with \\\"quotes\\\"": [1, { x: "}" }] }, "a\"b": 1 };
    await json.push(Buffer.from(JSON.stringify(value) + "\n" + JSON.stringify({ text: "x", other: 2 }) + "\n"));
    expect(await json.end()).toMatchObject({ columns: ["text", "nested", 'a"b', "other"], rowCount: 2 });
  });
});
