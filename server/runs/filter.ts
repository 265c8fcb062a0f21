import { AppError } from "../errors";

/**
 * The runs filter language, compiled to a parameterised SQL condition on "Run" r:
 *
 *   metrics.rmse < 4 and params.model = "gbdt"
 *   (tags.team = 'eta' or tags.team = "ops") and not status = "FAILED"
 *   min(metrics.val_loss) <= 0.2 and params.`weird key` != null and name ~ "baseline"
 *   params.depth in (4, 6, 8)
 *
 * Fields: metrics.<key> (last value), min(metrics.<key>), max(metrics.<key>), params.<key>,
 * tags.<key>, and the attributes status, name, number, experiment, created, created_by, id,
 * experiment_id, started, ended, archived. Keys with odd characters go in backticks. Operators:
 * = != < <= > >= ~ (contains, case-insensitive), `like` / `ilike` (SQL patterns with % and _, as
 * MLflow's search has them) and `in (…)`. Values: numbers, quoted strings, true, false, null.
 */

type Token = { kind: "word" | "string" | "number" | "op" | "punct" | "quoted"; text: string; pos: number };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '"' || c === "'") {
      let text = "";
      i++;
      while (i < src.length && src[i] !== c) {
        if (src[i] === "\\" && i + 1 < src.length) i++;
        text += src[i++];
      }
      if (i >= src.length) throw bad(`unterminated string starting at ${start + 1}`);
      i++;
      out.push({ kind: "string", text, pos: start });
    } else if (c === "`") {
      const end = src.indexOf("`", i + 1);
      if (end < 0) throw bad(`unterminated \`…\` key at ${start + 1}`);
      out.push({ kind: "quoted", text: src.slice(i + 1, end), pos: start });
      i = end + 1;
    } else if (/[0-9]/.test(c) || (c === "-" && /[0-9.]/.test(src[i + 1] ?? ""))) {
      const m = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(src.slice(i))!;
      out.push({ kind: "number", text: m[0], pos: start });
      i += m[0].length;
    } else if (/[<>=!~]/.test(c)) {
      const two = src.slice(i, i + 2);
      const op = ["<=", ">=", "!=", "=="].includes(two) ? two : c;
      if (op === "!") throw bad(`unexpected "!" at ${start + 1}`);
      out.push({ kind: "op", text: op === "==" ? "=" : op, pos: start });
      i += op.length;
    } else if ("().,".includes(c)) {
      out.push({ kind: "punct", text: c, pos: start });
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.\-/:]*/.exec(src.slice(i))!;
      out.push({ kind: "word", text: m[0], pos: start });
      i += m[0].length;
    } else {
      throw bad(`unexpected character "${c}" at ${start + 1}`);
    }
  }
  return out;
}

const bad = (message: string) => new AppError("BAD_REQUEST", `Filter: ${message}`);

type Value = string | number | boolean | null;

export interface FieldRef {
  kind: "metric" | "param" | "tag" | "attr";
  key: string;
  agg?: "last" | "min" | "max";
}

const ATTRS: Record<string, { sql: string; type: "text" | "number" | "date" }> = {
  status: { sql: `r.status::text`, type: "text" },
  name: { sql: `r.name`, type: "text" },
  number: { sql: `r.number`, type: "number" },
  experiment: { sql: `(SELECT e.name FROM "Experiment" e WHERE e.id = r."experimentId")`, type: "text" },
  created: { sql: `r."createdAt"`, type: "date" },
  created_by: { sql: `r."createdBy"`, type: "text" },
  id: { sql: `r.id`, type: "text" },
  experiment_id: { sql: `r."experimentId"`, type: "text" },
  started: { sql: `r."startedAt"`, type: "date" },
  ended: { sql: `r."endedAt"`, type: "date" },
  archived: { sql: `r."archivedAt"`, type: "date" },
};

/**
 * Limits on a filter's size: each comparison becomes a sub-select per run, so a filter of hundreds
 * of terms costs seconds of database time per call and a few such calls exhaust the pool.
 */
export const FILTER_LIMITS = { length: 2000, terms: 50, inItems: 50, depth: 8, valueLength: 500 } as const;

class Parser {
  private i = 0;
  private terms = 0;
  private depth = 0;
  readonly params: unknown[] = [];
  constructor(private readonly tokens: Token[], private readonly firstParam: number) {}

  private peek() {
    return this.tokens[this.i];
  }
  private next() {
    const t = this.tokens[this.i++];
    if (!t) throw bad("unexpected end of the expression");
    return t;
  }
  private isWord(w: string) {
    const t = this.peek();
    return t?.kind === "word" && t.text.toLowerCase() === w;
  }
  param(v: unknown): string {
    this.params.push(v);
    return `$${this.firstParam + this.params.length - 1}`;
  }

  parse(): string {
    const sql = this.or();
    const rest = this.peek();
    if (rest) throw bad(`unexpected "${rest.text}" at ${rest.pos + 1}`);
    return sql;
  }
  private or(): string {
    const parts = [this.and()];
    while (this.isWord("or")) {
      this.i++;
      parts.push(this.and());
    }
    return parts.length > 1 ? `(${parts.join(" OR ")})` : parts[0]!;
  }
  private and(): string {
    const parts = [this.not()];
    while (this.isWord("and")) {
      this.i++;
      parts.push(this.not());
    }
    return parts.length > 1 ? `(${parts.join(" AND ")})` : parts[0]!;
  }
  private not(): string {
    if (this.isWord("not")) {
      this.i++;
      return `NOT COALESCE(${this.not()}, false)`;
    }
    const t = this.peek();
    if (t?.kind === "punct" && t.text === "(") {
      this.i++;
      if (++this.depth > FILTER_LIMITS.depth) throw bad(`parentheses nest more than ${FILTER_LIMITS.depth} deep`);
      const inner = this.or();
      this.depth--;
      const close = this.next();
      if (close.text !== ")") throw bad(`expected ")" at ${close.pos + 1}`);
      return inner;
    }
    return this.comparison();
  }

  field(): FieldRef {
    const t = this.next();
    if (t.kind !== "word") throw bad(`expected a field at ${t.pos + 1}, got "${t.text}"`);
    const lower = t.text.toLowerCase();
    if ((lower === "min" || lower === "max" || lower === "last") && this.peek()?.text === "(") {
      this.i++;
      const inner = this.field();
      const close = this.next();
      if (close.text !== ")") throw bad(`expected ")" at ${close.pos + 1}`);
      if (inner.kind !== "metric") throw bad(`${lower}() applies to metrics only`);
      return { ...inner, agg: lower };
    }
    const dot = t.text.indexOf(".");
    const scope = dot < 0 ? t.text : t.text.slice(0, dot);
    let key = dot < 0 ? "" : t.text.slice(dot + 1);
    if (!key && dot >= 0) {
      const k = this.next();
      if (k.kind !== "quoted") throw bad(`expected a key after "${scope}." at ${k.pos + 1}`);
      key = k.text;
    }
    if (scope === "metrics" || scope === "params" || scope === "tags") {
      if (!key) throw bad(`"${scope}" needs a key, e.g. ${scope}.name`);
      return { kind: scope === "metrics" ? "metric" : scope === "params" ? "param" : "tag", key, agg: scope === "metrics" ? "last" : undefined };
    }
    if (dot < 0 && lower in ATTRS) return { kind: "attr", key: lower };
    throw bad(`unknown field "${t.text}" (use metrics.*, params.*, tags.* or ${Object.keys(ATTRS).join(", ")})`);
  }

  private value(): Value {
    const t = this.next();
    if (t.kind === "number") return Number(t.text);
    if (t.kind === "string") {
      if (t.text.length > FILTER_LIMITS.valueLength) throw bad(`the text at ${t.pos + 1} is longer than ${FILTER_LIMITS.valueLength} characters`);
      return t.text;
    }
    if (t.kind === "word" && ["true", "false", "null"].includes(t.text.toLowerCase())) return t.text.toLowerCase() === "null" ? null : t.text.toLowerCase() === "true";
    throw bad(`expected a value at ${t.pos + 1}, got "${t.text}"`);
  }

  private comparison(): string {
    if (++this.terms > FILTER_LIMITS.terms) throw bad(`more than ${FILTER_LIMITS.terms} comparisons; narrow the filter`);
    const field = this.field();
    const opTok = this.next();
    if (opTok.kind === "word" && opTok.text.toLowerCase() === "in") {
      const open = this.next();
      if (open.text !== "(") throw bad(`expected "(" after in at ${open.pos + 1}`);
      const values: Value[] = [this.value()];
      while (this.peek()?.text === ",") {
        this.i++;
        if (values.length >= FILTER_LIMITS.inItems) throw bad(`"in (…)" holds at most ${FILTER_LIMITS.inItems} values`);
        values.push(this.value());
      }
      const close = this.next();
      if (close.text !== ")") throw bad(`expected ")" at ${close.pos + 1}`);
      return `(${values.map((v) => compile(this, field, "=", v)).join(" OR ")})`;
    }
    if (opTok.kind === "word" && ["like", "ilike"].includes(opTok.text.toLowerCase())) return compile(this, field, opTok.text.toLowerCase(), this.value());
    if (opTok.kind !== "op") throw bad(`expected an operator after the field at ${opTok.pos + 1}`);
    return compile(this, field, opTok.text, this.value());
  }
}

/** SQL for a field's value: jsonb for params/tags (typed), float8 for metrics, a column for attributes. */
export function fieldSql(f: FieldRef, p: { param(v: unknown): string }): { sql: string; json: boolean; type?: "text" | "number" | "date" } {
  if (f.kind === "metric") {
    const col = f.agg === "min" ? `"minValue"` : f.agg === "max" ? `"maxValue"` : `"lastValue"`;
    return { sql: `(SELECT s.${col} FROM "MetricSeries" s WHERE s."runId" = r.id AND s.key = ${p.param(f.key)})`, json: false, type: "number" };
  }
  if (f.kind === "param") return { sql: `(r.params -> ${p.param(f.key)})`, json: true };
  if (f.kind === "tag") return { sql: `(r.tags -> ${p.param(f.key)})`, json: true };
  const a = ATTRS[f.key]!;
  return { sql: a.sql, json: false, type: a.type };
}

const SQL_OPS: Record<string, string> = { "=": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };

function compile(p: Parser, f: FieldRef, op: string, v: Value): string {
  const target = fieldSql(f, p);
  if (v === null) {
    if (op !== "=" && op !== "!=") throw bad(`null can only be compared with = or !=`);
    const isNull = target.json ? `(${target.sql} IS NULL OR jsonb_typeof(${target.sql}) = 'null')` : `${target.sql} IS NULL`;
    return op === "=" ? isNull : `NOT ${isNull}`;
  }
  if (op === "~" || op === "like" || op === "ilike") {
    const text = target.json ? `(${target.sql} #>> '{}')` : `${target.sql}::text`;
    if (op !== "~") return `${text} ${op === "like" ? "LIKE" : "ILIKE"} ${p.param(String(v))}`;
    return `${text} ILIKE ${p.param(`%${String(v).replace(/[\\%_]/g, (m) => `\\${m}`)}%`)}`;
  }
  const sqlOp = SQL_OPS[op];
  if (!sqlOp) throw bad(`unknown operator "${op}"`);
  if (target.json) {
    if (typeof v === "number") return `(jsonb_typeof(${target.sql}) = 'number' AND (${target.sql})::float8 ${sqlOp} ${p.param(v)}::float8)`;
    if (typeof v === "boolean") return `(${target.sql} ${sqlOp} ${p.param(JSON.stringify(v))}::jsonb)`;
    return `((${target.sql} #>> '{}') ${sqlOp} ${p.param(v)})`;
  }
  if (target.type === "number") {
    if (typeof v !== "number") throw bad(`${f.kind === "metric" ? `metrics.${f.key}` : f.key} is a number; compare it with a number`);
    return `${target.sql} ${sqlOp} ${p.param(v)}::float8`;
  }
  if (target.type === "date") return `${target.sql} ${sqlOp} ${p.param(filterDate(f, v))}::timestamp`;
  return `${target.sql} ${sqlOp} ${p.param(String(v))}`;
}

/**
 * A date value as the ISO text Postgres reads: parsed here, so an invalid date or a year Postgres
 * cannot hold is a filter error with its position, not a database error.
 */
function filterDate(f: FieldRef, v: Value): string {
  const date = typeof v === "string" ? new Date(v) : null;
  if (!date || Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1 || date.getUTCFullYear() > 9999) {
    throw bad(`${f.key} is a date; compare it with a quoted date such as "2026-01-31" or "2026-01-31T12:00:00Z"`);
  }
  return date.toISOString();
}

/** Compiles a filter; parameters are numbered from `firstParam`. */
export function compileFilter(src: string, firstParam: number): { sql: string; params: unknown[] } {
  if (src.length > FILTER_LIMITS.length) throw bad(`longer than ${FILTER_LIMITS.length} characters`);
  const tokens = tokenize(src);
  if (tokens.length === 0) return { sql: "TRUE", params: [] };
  const parser = new Parser(tokens, firstParam);
  const sql = parser.parse();
  return { sql, params: parser.params };
}

/** Compiles a sort key (same field syntax) to an ORDER BY expression. */
export function compileSort(src: string, firstParam: number): { sql: string; params: unknown[] } {
  const parser = new Parser(tokenize(src), firstParam);
  const field = parser.field();
  const target = fieldSql(field, parser);
  // Numbers sort as numbers and text as text; mixed param types fall back to their text.
  const sql = target.json ? `CASE WHEN jsonb_typeof(${target.sql}) = 'number' THEN (${target.sql})::float8 END, (${target.sql} #>> '{}')` : target.sql;
  return { sql, params: parser.params };
}
