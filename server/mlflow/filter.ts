/**
 * MLflow's search syntax, read once and handed on: runs filters are translated into Cairn's own runs
 * filter language (server/runs/filter.ts compiles them, so a run found through MLflow is found by the
 * same SQL as in the runs table); experiments and registry searches use the parsed clauses directly.
 *
 *   metrics.rmse < 1 and params.depth = '6' and tags.`team name` LIKE 'ml%'
 *   attributes.status = 'FINISHED' and attributes.run_id IN ('a', 'b')
 *
 * MLflow joins clauses with AND only; values are quoted strings, numbers, or a parenthesised list.
 */
import { AppError } from "../errors";

export type EntityType = "metric" | "param" | "tag" | "attribute";
export type Op = "=" | "!=" | "<" | "<=" | ">" | ">=" | "LIKE" | "ILIKE" | "IN" | "NOT IN";
export interface Clause {
  type: EntityType;
  key: string;
  op: Op;
  value: string | number | (string | number)[];
}

const bad = (message: string) => new AppError("BAD_REQUEST", `Invalid filter: ${message}`);

const PREFIXES: Record<string, EntityType> = {
  metric: "metric", metrics: "metric",
  param: "param", params: "param", parameter: "param", parameters: "param",
  tag: "tag", tags: "tag",
  attribute: "attribute", attributes: "attribute", attr: "attribute", run: "attribute",
};

type Tok = { kind: "ident" | "string" | "number" | "op" | "punct"; text: string; pos: number };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const pos = i;
    if (c === "'" || c === '"' || c === "`") {
      let text = "";
      i++;
      while (i < src.length && src[i] !== c) {
        if (src[i] === "\\" && i + 1 < src.length) i++;
        text += src[i++];
      }
      if (i >= src.length) throw bad(`unterminated quote at ${pos + 1}`);
      i++;
      // A quoted part right after "prefix." is a key (metrics."my key"), as a backticked one always is.
      const prev = out.at(-1);
      const afterPrefix = prev?.kind === "ident" && prev.text.endsWith(".") && prev.pos + prev.text.length === pos;
      if (afterPrefix) {
        prev.text += text;
        continue;
      }
      if (c === "`") throw bad(`a backticked key at ${pos + 1} needs a prefix such as metrics.`);
      out.push({ kind: "string", text, pos });
    } else if (/[0-9]/.test(c) || ((c === "-" || c === "+" || c === ".") && /[0-9.]/.test(src[i + 1] ?? ""))) {
      const m = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(src.slice(i));
      if (!m) throw bad(`unexpected "${c}" at ${pos + 1}`);
      out.push({ kind: "number", text: m[0], pos });
      i += m[0].length;
    } else if (/[<>=!]/.test(c)) {
      const two = src.slice(i, i + 2);
      const op = ["<=", ">=", "!=", "=="].includes(two) ? two : c;
      if (op === "!") throw bad(`unexpected "!" at ${pos + 1}`);
      out.push({ kind: "op", text: op === "==" ? "=" : op, pos });
      i += op.length;
    } else if (c === "(" || c === ")" || c === ",") {
      out.push({ kind: "punct", text: c, pos });
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.\-/:]*/.exec(src.slice(i))!;
      out.push({ kind: "ident", text: m[0], pos });
      i += m[0].length;
    } else {
      throw bad(`unexpected character "${c}" at ${pos + 1}`);
    }
  }
  return out;
}

/** Parses an MLflow filter into its AND-ed clauses (an empty filter has none). */
export function parseMlflowFilter(src: string | undefined): Clause[] {
  const toks = tokenize(src ?? "");
  const clauses: Clause[] = [];
  let i = 0;
  const next = () => {
    const t = toks[i++];
    if (!t) throw bad("unexpected end of the filter");
    return t;
  };
  const word = (t: Tok | undefined, w: string) => t?.kind === "ident" && t.text.toUpperCase() === w;
  while (i < toks.length) {
    if (clauses.length > 0) {
      const and = next();
      if (!word(and, "AND")) throw bad(`expected AND at ${and.pos + 1} (MLflow filters join clauses with AND only), got "${and.text}"`);
    }
    if (clauses.length >= 50) throw bad("more than 50 clauses");
    const ident = next();
    if (ident.kind !== "ident") throw bad(`expected a field such as metrics.rmse at ${ident.pos + 1}, got "${ident.text}"`);
    const dot = ident.text.indexOf(".");
    const prefix = dot < 0 ? null : ident.text.slice(0, dot).toLowerCase();
    const type = prefix === null ? "attribute" : PREFIXES[prefix];
    if (!type) throw bad(`unknown field "${ident.text}" (use metrics.*, params.*, tags.* or attributes.*)`);
    const key = dot < 0 ? ident.text : ident.text.slice(dot + 1);
    if (!key) throw bad(`"${ident.text}" needs a key`);
    let opTok = next();
    let op: Op;
    if (opTok.kind === "op") op = opTok.text as Op;
    else if (word(opTok, "LIKE") || word(opTok, "ILIKE") || word(opTok, "IN")) op = opTok.text.toUpperCase() as Op;
    else if (word(opTok, "NOT") && word(toks[i], "IN")) {
      i++;
      op = "NOT IN";
    } else throw bad(`expected a comparison operator at ${opTok.pos + 1}, got "${opTok.text}"`);
    let value: Clause["value"];
    if (op === "IN" || op === "NOT IN") {
      opTok = next();
      if (opTok.text !== "(") throw bad(`expected "(" after ${op} at ${opTok.pos + 1}`);
      const list: (string | number)[] = [];
      for (;;) {
        const v = next();
        if (v.kind !== "string" && v.kind !== "number") throw bad(`expected a value at ${v.pos + 1}`);
        list.push(v.kind === "number" ? Number(v.text) : v.text);
        if (list.length > 50) throw bad(`${op} holds at most 50 values`);
        const sep = next();
        if (sep.text === ")") break;
        if (sep.text !== ",") throw bad(`expected "," or ")" at ${sep.pos + 1}`);
      }
      value = list;
    } else {
      const v = next();
      if (v.kind !== "string" && v.kind !== "number") throw bad(`expected a quoted string or a number at ${v.pos + 1}, got "${v.text}"`);
      value = v.kind === "number" ? Number(v.text) : v.text;
    }
    clauses.push({ type, key, op, value });
  }
  return clauses;
}

/** One `order_by` entry: `metrics.rmse DESC`, `attributes.start_time`, `name ASC`. */
export function parseOrderBy(src: string): { type: EntityType; key: string; dir: "asc" | "desc" } {
  const toks = tokenize(src);
  const ident = toks[0];
  if (!ident || ident.kind !== "ident" || toks.length > 2) throw bad(`order_by "${src}" is not "<field> [ASC|DESC]"`);
  const dirTok = toks[1];
  if (dirTok && !["ASC", "DESC"].includes(dirTok.text.toUpperCase())) throw bad(`order_by "${src}" ends with "${dirTok.text}", not ASC or DESC`);
  const dot = ident.text.indexOf(".");
  const type = dot < 0 ? "attribute" : PREFIXES[ident.text.slice(0, dot).toLowerCase()];
  const key = dot < 0 ? ident.text : ident.text.slice(dot + 1);
  if (!type || !key) throw bad(`order_by names an unknown field "${ident.text}"`);
  return { type, key, dir: dirTok?.text.toUpperCase() === "ASC" ? "asc" : "desc" };
}

// ---------------------------------------------------------------- runs → Cairn's filter language

/** MLflow run attributes as Cairn's filter names them; times are compared as dates. */
const RUN_ATTRS: Record<string, { field: string; time?: boolean; status?: boolean }> = {
  run_id: { field: "id" },
  run_name: { field: "name" },
  status: { field: "status", status: true },
  user_id: { field: "created_by" },
  start_time: { field: "started", time: true },
  end_time: { field: "ended", time: true },
  created: { field: "created", time: true },
};

/** MLflow's SCHEDULED is Cairn's QUEUED; the other statuses are the same words. */
export const cairnStatus = (s: string) => (s.toUpperCase() === "SCHEDULED" ? "QUEUED" : s.toUpperCase());

const quoteKey = (key: string) => {
  if (key.includes("`")) throw bad(`keys with a backtick cannot be searched: ${key}`);
  return `\`${key}\``;
};
const quoteText = (v: string) => `"${v.replace(/[\\"]/g, (m) => `\\${m}`)}"`;

function runField(type: EntityType, key: string): { field: string; time?: boolean; status?: boolean } {
  if (type === "metric") return { field: `metrics.${quoteKey(key)}` };
  if (type === "param") return { field: `params.${quoteKey(key)}` };
  if (type === "tag") {
    // The run's name is a column in Cairn; MLflow shows it as this tag too.
    if (key === "mlflow.runName") return { field: "name" };
    return { field: `tags.${quoteKey(key)}` };
  }
  const attr = RUN_ATTRS[key.toLowerCase()];
  if (!attr) throw bad(`unknown run attribute "${key}" (use ${Object.keys(RUN_ATTRS).join(", ")})`);
  return attr;
}

function runValue(clause: Clause, f: { time?: boolean; status?: boolean }, v: string | number): string {
  if (clause.type === "metric") {
    if (typeof v !== "number") throw bad(`metrics.${clause.key} is compared with a number, not "${v}"`);
    return String(v);
  }
  if (f.time) {
    if (typeof v !== "number") throw bad(`${clause.key} is compared with milliseconds since the epoch`);
    const d = new Date(v);
    if (Number.isNaN(d.getTime())) throw bad(`${v} is not a time in milliseconds`);
    return quoteText(d.toISOString());
  }
  if (clause.type === "param" || clause.type === "tag") {
    if (typeof v !== "string") throw bad(`${clause.type}s.${clause.key} is a string: quote the value ('${v}')`);
  }
  return quoteText(f.status ? cairnStatus(String(v)) : String(v));
}

/** An MLflow runs filter as a Cairn runs filter (same meaning), or "" when there is none. */
export function runsFilterToCairn(src: string | undefined): string {
  return parseMlflowFilter(src)
    .map((c) => {
      const f = runField(c.type, c.key);
      if (c.op === "IN" || c.op === "NOT IN") {
        const list = `${f.field} in (${(c.value as (string | number)[]).map((v) => runValue(c, f, v)).join(", ")})`;
        return c.op === "IN" ? list : `not ${list}`;
      }
      if ((c.op === "LIKE" || c.op === "ILIKE") && (c.type === "metric" || f.time)) throw bad(`${c.op} compares text, not ${c.key}`);
      const v = runValue(c, f, c.value as string | number);
      return `${f.field} ${c.op === "LIKE" ? "like" : c.op === "ILIKE" ? "ilike" : c.op} ${v}`;
    })
    .join(" and ");
}

/** An MLflow runs `order_by` entry as a Cairn sort. */
export function runsSortToCairn(src: string): { by: string; dir: "asc" | "desc" } {
  const o = parseOrderBy(src);
  return { by: runField(o.type, o.key).field, dir: o.dir };
}

/** SQL LIKE of MLflow's pattern in JavaScript, for the few lists filtered in memory (experiments, models). */
export function likeMatcher(pattern: string, caseInsensitive: boolean): (s: string) => boolean {
  const re = new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/%/g, "[\\s\\S]*").replace(/_/g, "[\\s\\S]")}$`, caseInsensitive ? "i" : "");
  return (s) => re.test(s);
}

/** Whether `actual` satisfies one text clause (=, !=, LIKE, ILIKE, IN, NOT IN). */
export function textClauseMatches(c: Clause, actual: string): boolean {
  const list = Array.isArray(c.value) ? c.value.map(String) : [String(c.value)];
  switch (c.op) {
    case "=":
      return actual === list[0];
    case "!=":
      return actual !== list[0];
    case "LIKE":
      return likeMatcher(list[0]!, false)(actual);
    case "ILIKE":
      return likeMatcher(list[0]!, true)(actual);
    case "IN":
      return list.includes(actual);
    case "NOT IN":
      return !list.includes(actual);
    default:
      throw bad(`${c.op} does not apply to ${c.key}`);
  }
}

/** Offset-based page tokens: opaque to clients, checked on the way back in. */
export function pageOffset(token: string | undefined): number {
  if (!token) return 0;
  const text = Buffer.from(token, "base64url").toString("utf8");
  const n = Number(text.slice(2));
  if (!text.startsWith("o:") || !Number.isInteger(n) || n < 0 || n > 1e9) throw new AppError("BAD_REQUEST", "page_token is not one this server gave");
  return n;
}
export const pageToken = (offset: number) => Buffer.from(`o:${offset}`).toString("base64url");
