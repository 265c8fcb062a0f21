/**
 * The HTTP side of the MLflow API: who calls (Cairn's API tokens as `Authorization: Bearer`, i.e.
 * MLFLOW_TRACKING_TOKEN), which project (MLflow has none), the access policy of
 * /api/v1 (authorizeProject: roles, project-scoped and run tokens), and MLflow's error shape.
 */
import type { z } from "zod";
import { apiCaller } from "../api/http";
import { authorizeProject, chargeCaller, projectIdFromPath, rateLimitedMessage, type ProjectPolicy } from "../api/authorize";
import { AppError } from "../errors";
import { bearerFrom } from "../auth/tokens";
import { bodyText, parseJsonText } from "../lib/http";
import type { Actor } from "../audit/audit";
import type { Identity } from "../tenancy/access";
import { mlflowErrorResponse, mlflowJsonError } from "./errors";

/** The header naming the project for a caller whose token is not scoped to one (an organisation token). */
export const PROJECT_HEADER = "x-cairn-project";

/** MLflow's own limit on a request (log-batch of 1000 items fits in it). */
export const MLFLOW_BODY_LIMIT = 1024 * 1024;

/**
 * The project an MLflow call acts in: the one X-Cairn-Project names (id, slug within the token's
 * organisation, or `<org slug>/<project slug>`), else a project-scoped token's own project. Access is
 * checked afterwards by authorizeProject, so naming another tenant's project is NOT_FOUND.
 */
export async function mlflowProjectId(identity: Identity, headers: Headers): Promise<string> {
  const named = headers.get(PROJECT_HEADER)?.trim();
  if (named) {
    const slash = named.indexOf("/");
    return slash < 0 ? projectIdFromPath(identity, named, null) : projectIdFromPath(identity, named.slice(slash + 1), named.slice(0, slash));
  }
  if (identity.kind === "token" && identity.projectId) return identity.projectId;
  throw new AppError(
    "BAD_REQUEST",
    "MLflow has no projects: use a project-scoped Cairn API token as MLFLOW_TRACKING_TOKEN, or name the project in an X-Cairn-Project header (its id, its slug, or <org slug>/<project slug>)",
  );
}

export interface Scope {
  projectId: string;
  orgId: string;
  actor: Actor;
}

type Method = "GET" | "POST" | "PUT" | "DELETE" | "PATCH";

export interface Endpoint<I = unknown> {
  methods: Method[];
  /** The path after the prefix, e.g. "runs/log-batch"; with `prefix: true` it also matches "<path>/<rest>". */
  path: string;
  prefix?: boolean;
  policy: ProjectPolicy & { what: string };
  input: (req: Request, url: URL, rest: string) => Promise<I>;
  /** The run the call names, for a run token's "own-run" rule. */
  runId?: (input: I) => string | undefined;
  handle: (c: { scope: Scope; input: I; req: Request }) => Promise<unknown>;
}

interface Declared<I> {
  methods: Method[];
  path: string;
  prefix?: boolean;
  policy: ProjectPolicy & { what: string };
  runId?: (input: I) => string | undefined;
  handle: (c: { scope: Scope; input: I; req: Request }) => Promise<unknown>;
}

/** An endpoint whose fields `schema` parses (see `fields`); its output types `runId` and `handle`. */
export const endpoint = <S extends z.ZodType>(e: Declared<z.output<S>> & { schema: S }): Endpoint => ({ ...e, input: fields(e.schema) }) as unknown as Endpoint;

/** An endpoint that reads its own input (from the path, say). */
export const customEndpoint = <I>(e: Declared<I> & { input: (req: Request, url: URL, rest: string) => Promise<I> }): Endpoint => e as unknown as Endpoint;

function queryObject(params: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of params) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/**
 * The fields of a call, as MLflow's clients send them: the query string for GET (and DELETE), a JSON
 * object body otherwise; body fields win over query fields of the same name.
 */
export function fields<S extends z.ZodType>(schema: S) {
  return async (req: Request, url: URL): Promise<z.output<S>> => {
    const query = queryObject(url.searchParams);
    if (req.method === "GET") return schema.parse(query);
    const text = await bodyText(req, MLFLOW_BODY_LIMIT);
    if (!text.trim()) return schema.parse(query);
    const body = parseJsonText(text, "The request body must be JSON (Content-Type: application/json)");
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw new AppError("BAD_REQUEST", "The request body must be a JSON object");
    return schema.parse({ ...query, ...body });
  };
}

function match(table: Endpoint[], method: string, sub: string): { endpoint: Endpoint; rest: string } | { allowed: boolean } | null {
  let pathKnown = false;
  for (const e of table) {
    const exact = sub === e.path;
    const under = e.prefix === true && sub.startsWith(`${e.path}/`);
    if (!exact && !under) continue;
    pathKnown = true;
    if (e.methods.includes(method as Method)) return { endpoint: e, rest: under ? sub.slice(e.path.length + 1) : "" };
  }
  return pathKnown ? { allowed: false } : null;
}

/** A Next route handler serving `table` under `base` (e.g. "/api/2.0/mlflow/"). */
export function mlflowRoute(base: string, table: Endpoint[]) {
  return async (req: Request): Promise<Response> => {
    try {
      const url = new URL(req.url);
      // The caller first: anonymous and bad tokens are 401 whatever they ask for. Tokens only: a
      // session cookie would let any web page post to these JSON endpoints (no CSRF check here).
      if (bearerFrom(req.headers) === undefined) throw new AppError("UNAUTHORIZED", "Send a Cairn API token as Authorization: Bearer <token> (MLflow's clients send MLFLOW_TRACKING_TOKEN so)");
      const caller = await apiCaller(req);
      const wait = chargeCaller(caller.identity);
      if (wait > 0) {
        const res = mlflowJsonError("REQUEST_LIMIT_EXCEEDED", rateLimitedMessage(wait));
        res.headers.set("retry-after", String(wait));
        return res;
      }
      const sub = url.pathname.startsWith(base) ? url.pathname.slice(base.length).replace(/\/+$/, "") : "";
      const found = match(table, req.method, sub);
      if (!found) return mlflowJsonError("ENDPOINT_NOT_FOUND", `No MLflow endpoint at ${req.method} ${url.pathname}`);
      if (!("endpoint" in found)) return mlflowJsonError("ENDPOINT_NOT_FOUND", `${url.pathname} does not take ${req.method}`, 405);
      const { endpoint: e, rest } = found;
      const projectId = await mlflowProjectId(caller.identity, req.headers);
      const input = await e.input(req, url, rest);
      const access = await authorizeProject(caller.identity, projectId, e.policy, { what: e.policy.what, runId: e.runId?.(input) });
      const out = await e.handle({ scope: { projectId: access.project.id, orgId: access.org.id, actor: caller.actor }, input, req });
      return out instanceof Response ? out : Response.json(out);
    } catch (err) {
      return mlflowErrorResponse(req, err);
    }
  };
}
