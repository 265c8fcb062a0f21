import type { z } from "zod";
import type { Prisma } from "../db";

/** Stored JSON that its schema rejects: a corrupt row or one written by an incompatible version. */
export class StoredDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StoredDataError";
  }
}

/**
 * Reads a stored JSON column through its zod schema. A row that does not match fails loudly with
 * what it is and where it differs, instead of flowing on in a shape the code does not expect.
 */
export function readStored<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
  const more = parsed.error.issues.length > 5 ? ` (and ${parsed.error.issues.length - 5} more)` : "";
  throw new StoredDataError(`The stored ${what} does not have the expected shape: ${issues.join("; ")}${more}`);
}

/** A value as Prisma stores it in a Json column: what JSON.stringify keeps (undefined keys dropped, dates as strings). */
export function toJsonValue(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}
