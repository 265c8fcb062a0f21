/**
 * Cairn's HTTP wire formats, without dependencies: tRPC (superjson-wrapped `{"json": …}` inputs and
 * answers) and the /api/v1 JSON endpoints, with one error type for both.
 */

/** An answer of the API that is not a success: HTTP status, Cairn's error code and its message. */
export class CairnApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** What the API attached: a YAML's located problems, zod issues. */
    readonly details: { problems?: YamlProblem[]; zodError?: unknown } = {},
  ) {
    super(message);
    this.name = "CairnApiError";
  }
}

/** A located problem of a pipeline's YAML (1-based line and column; 0 when unknown). */
export interface YamlProblem {
  line: number;
  column: number;
  path: string;
  message: string;
}

type SuperjsonMeta = { values?: Record<string, unknown> | unknown[] };

/** superjson escapes dots inside keys with a backslash; a path is the keys joined by unescaped dots. */
function splitPath(path: string): string[] {
  const keys: string[] = [];
  let key = "";
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (c === "\\" && path[i + 1] === ".") {
      key += ".";
      i++;
    } else if (c === ".") {
      keys.push(key);
      key = "";
    } else key += c;
  }
  keys.push(key);
  return keys;
}

function revive(value: unknown, type: unknown): unknown {
  const kind = Array.isArray(type) ? type[0] : type;
  if (kind === "Date" && typeof value === "string") return new Date(value);
  // NaN, ±Infinity and -0 travel as strings marked "number" (metric values may be any float).
  if (kind === "number" && typeof value === "string") return Number(value);
  if (kind === "undefined") return undefined;
  return value;
}

/**
 * Reads a superjson payload `{json, meta}` back into values: dates become Date, marked numbers
 * numbers. Other superjson types (Map, Set, bigint) are not part of Cairn's DTOs and stay as sent.
 */
export function fromSuperjson<T>(payload: { json: unknown; meta?: SuperjsonMeta }): T {
  const values = payload.meta?.values;
  if (!values) return payload.json as T;
  if (Array.isArray(values)) return revive(payload.json, values) as T;
  const root = payload.json;
  for (const [path, type] of Object.entries(values)) {
    const keys = splitPath(path);
    let parent: unknown = root;
    for (const key of keys.slice(0, -1)) parent = parent == null ? undefined : (parent as Record<string, unknown>)[key];
    if (parent == null || typeof parent !== "object") continue;
    const last = keys[keys.length - 1]!;
    (parent as Record<string, unknown>)[last] = revive((parent as Record<string, unknown>)[last], type);
  }
  return root as T;
}

/** Wraps an input as superjson does: non-finite numbers and dates are marked so the server reads them back. */
export function toSuperjson(input: unknown): { json: unknown; meta?: { values: Record<string, string[]> } } {
  const values: Record<string, string[]> = {};
  const walk = (v: unknown, path: string[]): unknown => {
    const at = () => path.map((k) => k.replace(/\./g, "\\.")).join(".");
    if (typeof v === "number" && (!Number.isFinite(v) || Object.is(v, -0))) {
      values[at()] = ["number"];
      return Object.is(v, -0) ? "-0" : String(v);
    }
    if (v instanceof Date) {
      values[at()] = ["Date"];
      return v.toISOString();
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, String(i)]));
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, walk(x, [...path, k])]));
    return v;
  };
  const json = walk(input, []);
  return Object.keys(values).length ? { json, meta: { values } } : { json };
}

/** The error of a tRPC answer: `{"error": {"json": {"message", "data": {"code", "httpStatus", "zodError"}}}}`. */
export function trpcError(status: number, body: unknown): CairnApiError {
  const err = (body as { error?: { json?: { message?: string; data?: { code?: string; zodError?: unknown } } } } | null)?.error?.json;
  return new CairnApiError(status, err?.data?.code ?? httpCode(status), err?.message ?? `HTTP ${status}`, { zodError: err?.data?.zodError });
}

/** The error of a /api/v1 answer: `{"error": {"code", "message", "problems"?}}`. */
export function restError(status: number, body: unknown): CairnApiError {
  const err = (body as { error?: { code?: string; message?: string; problems?: YamlProblem[] } } | null)?.error;
  return new CairnApiError(status, err?.code ?? httpCode(status), err?.message ?? `HTTP ${status}`, { problems: err?.problems });
}

function httpCode(status: number): string {
  return ({ 400: "BAD_REQUEST", 401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND", 409: "CONFLICT", 412: "PRECONDITION_FAILED", 413: "PAYLOAD_TOO_LARGE", 429: "TOO_MANY_REQUESTS" } as Record<number, string>)[status] ?? "HTTP_ERROR";
}

/** Reads a response body as JSON; a body that is not JSON (a proxy's HTML page) becomes null. */
export async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return text ? (JSON.parse(text) as unknown) : null;
  } catch {
    return null;
  }
}
