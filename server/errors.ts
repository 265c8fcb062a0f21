/** Error codes a service may throw; the tRPC layer and /api/v1 map them to responses. */
export type AppErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "PAYLOAD_TOO_LARGE"
  | "TOO_MANY_REQUESTS";

export const HTTP_STATUS: Record<AppErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
};

/**
 * Structured facts about an error that a client acts on, e.g. `{ problems: [{ line, column, path, message }] }`
 * for a refused cairn.yaml. /api/v1 spreads them into its `error` object; tRPC puts them in `error.data.details`.
 */
export type AppErrorDetails = Readonly<Record<string, unknown>>;

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: AppErrorDetails,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} not found`);

/** True for a Postgres unique violation surfaced through Prisma (P2002) or pg (23505). */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const e = err as { code?: unknown; cause?: { code?: unknown } };
  return e.code === "P2002" || e.code === "23505" || e.cause?.code === "23505";
}

/** The Postgres SQLSTATE (or Prisma P-code) behind an error, looked up through Prisma's and the adapter's wrappers. */
function dbCodes(err: unknown): string[] {
  const codes: string[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number) => {
    if (typeof value !== "object" || value === null || depth > 4 || seen.has(value)) return;
    seen.add(value);
    const e = value as { code?: unknown; originalCode?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
    for (const code of [e.code, e.originalCode]) if (typeof code === "string") codes.push(code);
    visit(e.cause, depth + 1);
    visit(e.meta?.driverAdapterError, depth + 1);
  };
  visit(err, 0);
  return codes;
}

/**
 * Database errors that the request's values caused, as AppErrors whose message names no table,
 * column or SQL: a unique violation is CONFLICT, a value Postgres cannot take (class 22, e.g. NUL,
 * a date out of range, an over-long value) is BAD_REQUEST, a missing row is NOT_FOUND, a statement
 * cut by the timeout is TOO_MANY_REQUESTS. Anything else is null: the caller answers a generic 500.
 */
export function appErrorFromDb(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  const codes = dbCodes(err);
  if (codes.some((c) => c === "P2002" || c === "23505")) return new AppError("CONFLICT", "That conflicts with an existing record (it was probably created at the same time); try again");
  if (codes.some((c) => c === "P2025")) return new AppError("NOT_FOUND", "The record was not found");
  if (codes.some((c) => c === "P2003" || c === "23503" || c === "23001")) return new AppError("CONFLICT", "A related record is missing or still in use");
  if (codes.some((c) => c === "57014")) return new AppError("TOO_MANY_REQUESTS", "The query took too long and was stopped; narrow it (fewer filter terms, a smaller range)");
  if (codes.some((c) => /^22[0-9A-Z]{3}$/.test(c) || ["P2000", "P2006", "P2007", "P2009", "P2019", "P2020", "P2023", "P2033"].includes(c))) {
    return new AppError("BAD_REQUEST", "The request contains a value that cannot be stored or compared (e.g. a NUL character, an invalid date or a number out of range)");
  }
  // Prisma refuses an argument it cannot encode (e.g. an Invalid Date) before any SQL runs.
  if (typeof err === "object" && err !== null && (err as { name?: unknown }).name === "PrismaClientValidationError") {
    return new AppError("BAD_REQUEST", "The request contains a value that cannot be used (e.g. an invalid date)");
  }
  return null;
}

/** What a caller sees of an unexpected error; the details go to the server log only. */
export const INTERNAL_MESSAGE = "Something went wrong on our side";

/**
 * True when Postgres refused text it cannot store (a NUL character, an invalid byte sequence):
 * the data is at fault, and sending it again cannot succeed.
 */
export function isUnstorableText(err: unknown): boolean {
  return dbCodes(err).some((c) => c === "22021" || c === "22P05");
}
