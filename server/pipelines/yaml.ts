/**
 * cairn.yaml text → PipelineSpec, with every problem located (1-based line and column) so the editor,
 * the CLI and REST can point at it. Three layers, each reported with positions: YAML syntax, the spec's
 * shape (ZPipelineSpec, zod issue paths mapped back to YAML nodes) and the checks across steps that a
 * per-field schema cannot express (unique ids, `needs`/`if` naming earlier steps, cron, placeholders).
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node as YamlNode } from "yaml";
import type { z } from "zod";
import { ZRolloutConfig } from "../deployments/schemas";
import { cronProblem, nextCronRuns } from "./cron";
import type { ValidateYamlDto, YamlProblem } from "./schemas";
import { WHOLE_PARAM_PLACEHOLDER, ZPipelineSpec, type PipelineSpec } from "./spec";
import { stepNeeds } from "./steps/plan";

export type ParseResult = { ok: true; spec: PipelineSpec } | { ok: false; problems: YamlProblem[] };

/** Anything that looks like a placeholder, well-formed or not. */
const ANY_PLACEHOLDER = /\$\{\{(.*?)\}\}/g;

/** The most problems reported at once: a pasted binary file should not answer with a million lines. */
const MAX_PROBLEMS = 50;

type Path = readonly (string | number)[];

/** `steps[2].with.target`, the way the problem list and the CLI show a path. */
export function pathString(path: Path): string {
  let out = "";
  for (const seg of path) out += typeof seg === "number" ? `[${seg}]` : out ? `.${seg}` : seg;
  return out;
}

/** Where a path lies in the document: the deepest node that exists along it, as a line and column. */
class Locator {
  constructor(
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  /** `key`: point at the key of the last segment (e.g. an unknown key) instead of its value. */
  at(path: Path, opts: { key?: boolean } = {}): { line: number; column: number; found: boolean } {
    let node: unknown = this.doc.contents;
    let last: unknown = node;
    let found = true;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      let next: unknown = undefined;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (pair) next = opts.key && i === path.length - 1 ? pair.key : (pair.value ?? pair.key);
        // An empty value (`with:`) has no text of its own: its key is where the reader looks.
        if (pair && isEmpty(next)) next = pair.key;
      } else if (isSeq(node) && typeof seg === "number") {
        next = node.items[seg];
      }
      if (!rangeOf(next)) {
        found = false;
        break;
      }
      node = next;
      last = next;
    }
    const range = rangeOf(last);
    if (!range) return { line: 1, column: 1, found: false };
    const pos = this.lines.linePos(range[0]);
    return { line: pos.line, column: pos.col, found };
  }
}

function isEmpty(node: unknown): boolean {
  const range = rangeOf(node);
  return range === null || (isScalar(node) && node.value === null && range[0] === range[1]);
}

function rangeOf(node: unknown): readonly [number, number, number] | null {
  const range = (node as YamlNode | undefined)?.range;
  return Array.isArray(range) ? range : null;
}

const NO_PROBLEMS: YamlProblem[] = [];

/** Deeper than any pipeline needs; the YAML library recurses per level and takes seconds to fail on 10,000s. */
const MAX_DEPTH = 32;
const MAX_INDENT = 200;

/**
 * A located problem when the text nests deeper than MAX_DEPTH flow collections or compact block
 * entries on one line (`- - - x`), or indents past MAX_INDENT columns; a cheap scan that runs before
 * the parser so a hostile text costs microseconds. Quoted strings and comments are skipped, so
 * brackets inside them do not count.
 */
export function nestingProblem(text: string): YamlProblem | null {
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  let quote: string | null = null;
  let compact = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\n") {
      line++;
      lineStart = i + 1;
      compact = 0;
      if (quote === "'" || quote === '"') continue;
      quote = null;
      let indent = 0;
      while (text[i + 1 + indent] === " ") indent++;
      if (indent > MAX_INDENT) return { line, column: 1, path: "", message: `indented more than ${MAX_INDENT} columns; a pipeline never nests this deep` };
      continue;
    }
    if (quote === "#") continue;
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if ((c === "'" || c === '"') && startsToken(text, i, lineStart)) quote = c;
    else if (c === "#" && (i === lineStart || /\s/.test(text[i - 1]!))) quote = "#";
    else if ((c === "-" || c === "?") && /\s/.test(text[i + 1] ?? " ") && startsToken(text, i, lineStart)) {
      if (++compact > MAX_DEPTH) return { line, column: i - lineStart + 1, path: "", message: `nested more than ${MAX_DEPTH} levels deep` };
    } else if (c === "[" || c === "{") {
      if (++depth > MAX_DEPTH) return { line, column: i - lineStart + 1, path: "", message: `nested more than ${MAX_DEPTH} levels deep` };
    } else if ((c === "]" || c === "}") && depth > 0) depth--;
  }
  return null;
}

/** A quote opens a quoted scalar only where a value starts (`don't` in a plain scalar is no quote). */
function startsToken(text: string, i: number, lineStart: number): boolean {
  let j = i - 1;
  while (j >= lineStart && (text[j] === " " || text[j] === "\t")) j--;
  return j < lineStart || ":-[{,?".includes(text[j]!);
}

/** Parses and checks a cairn.yaml text. Pure: no database, so the editor can call it on every keystroke. */
export function parsePipelineYaml(text: string): ParseResult {
  const tooDeep = nestingProblem(text);
  if (tooDeep) return { ok: false, problems: [tooDeep] };
  const lines = new LineCounter();
  // The library's own duplicate-key check compares every key with every other (seconds on 15,000 keys);
  // duplicateKeys below does it with a set per mapping.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  const syntax = [...doc.errors, ...doc.warnings].map((e): YamlProblem => {
    const pos = lines.linePos(e.pos[0]);
    return { line: pos.line, column: pos.col, path: "", message: e.message.split("\n")[0]! };
  });
  if (syntax.length === 0) syntax.push(...duplicateKeys(doc, lines));
  if (syntax.length > 0) return { ok: false, problems: syntax.sort(byPosition).slice(0, MAX_PROBLEMS) };

  let raw: unknown;
  try {
    // Aliases are expanded here; the library caps their count, which refuses "billion laughs" texts.
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { ok: false, problems: [{ line: 1, column: 1, path: "", message: (e as Error).message }] };
  }
  const locate = new Locator(doc, lines);
  const parsed = ZPipelineSpec.safeParse(raw ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) => zodProblems(issue, [], locate));
    return { ok: false, problems: dedupe(problems).sort(byPosition).slice(0, MAX_PROBLEMS) };
  }
  const problems = crossStepProblems(parsed.data, locate);
  if (problems.length > 0) return { ok: false, problems: problems.sort(byPosition).slice(0, MAX_PROBLEMS) };
  return { ok: true, spec: parsed.data };
}

/** Keys written twice in one mapping (YAML forbids it; the later one would silently win). */
function duplicateKeys(doc: Document.Parsed, lines: LineCounter): YamlProblem[] {
  const out: YamlProblem[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : null;
        if (key === null) continue;
        if (seen.has(key)) {
          const range = rangeOf(pair.key);
          const pos = lines.linePos(range ? range[0] : 0);
          out.push({ line: pos.line, column: pos.col, path: "", message: `Map keys must be unique: "${key}" is written twice` });
        }
        seen.add(key);
      }
    },
  });
  return out;
}

const byPosition = (a: YamlProblem, b: YamlProblem) => a.line - b.line || a.column - b.column;

function dedupe(problems: YamlProblem[]): YamlProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.line}:${p.column}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

type Issue = z.core.$ZodIssue;

/** One zod issue as located problems, with messages that say what to write instead. */
function zodProblems(issue: Issue, prefix: Path, locate: Locator): YamlProblem[] {
  const path = [...prefix, ...(issue.path as (string | number)[])];
  const problem = (p: Path, message: string, key = false): YamlProblem => {
    const { line, column } = locate.at(p, { key });
    return { line, column, path: pathString(p), message };
  };
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((k) => problem([...path, k], `unknown key "${k}"`, true));
  }
  if (issue.code === "invalid_union") {
    if ("discriminator" in issue && issue.discriminator) {
      const options = ((issue as { options?: unknown[] }).options ?? []).join(", ");
      return [problem(path, locate.at(path).found ? `must be one of ${options}` : `"${issue.discriminator}" is required: one of ${options}`)];
    }
    const branches = (issue.errors ?? []) as Issue[][];
    // The branch whose keys matched (no unknown key at its root) is the one the author meant.
    const meant = branches.filter((b) => !b.some((i) => i.code === "unrecognized_keys" && i.path.length === 0)).sort((a, b) => a.length - b.length)[0];
    if (meant) return meant.flatMap((i) => zodProblems(i, path, locate));
    const keys = branches.map((b) => b.find((i) => i.code === "invalid_type" && i.path.length === 1)?.path[0]).filter((k) => k !== undefined);
    return [problem(path, keys.length > 0 ? `expected one of the keys ${keys.join(", ")}` : issue.message)];
  }
  if (issue.code === "invalid_type" && !locate.at(path).found) {
    const last = path[path.length - 1];
    return [problem(path, typeof last === "string" ? `"${last}" is required` : issue.message)];
  }
  return [problem(path, issue.message)];
}

/** Checks across steps and triggers; the spec is already well-shaped. */
function crossStepProblems(spec: PipelineSpec, locate: Locator): YamlProblem[] {
  const out: YamlProblem[] = [];
  const add = (path: Path, message: string, key = false) => {
    const { line, column } = locate.at(path, { key });
    out.push({ line, column, path: pathString(path), message });
  };

  const firstIndex = new Map<string, number>();
  spec.steps.forEach((step, i) => {
    if (firstIndex.has(step.id)) add(["steps", i, "id"], `step id "${step.id}" is already used by steps[${firstIndex.get(step.id)}]`);
    else firstIndex.set(step.id, i);
  });
  // "Earlier" rules out cycles: a step can only wait for steps written above it.
  const earlier = (name: string, i: number, path: Path, what: string) => {
    const at = firstIndex.get(name);
    if (at === undefined) add(path, `${what} "${name}": no step has that id`);
    else if (at >= i) add(path, `${what} "${name}": a step can only refer to steps written before it`);
  };
  spec.steps.forEach((step, i) => {
    step.needs?.forEach((need, j) => earlier(need, i, ["steps", i, "needs", j], "needs"));
    if (step.if && step.if !== "always") earlier(step.if.slice(0, step.if.lastIndexOf(".")), i, ["steps", i, "if"], "if");
    if (step.uses === "deploy" && step.with.steps) {
      const steps = ZRolloutConfig.shape.steps.safeParse(step.with.steps);
      if (!steps.success) add(["steps", i, "with", "steps"], steps.error.issues[0]!.message);
    }
    placeholderProblems(step.with, ["steps", i, "with"], spec.params, add);
  });

  let cronAt: number | null = null;
  spec.triggers.forEach((t, i) => {
    if (!("cron" in t)) return;
    const problem = cronProblem(t.cron);
    if (problem) add(["triggers", i, "cron"], problem);
    if (cronAt !== null) add(["triggers", i], `only one cron trigger per pipeline (triggers[${cronAt}] is one); combine the schedules or use two pipelines`);
    else cronAt = i;
  });
  return out;
}

function placeholderProblems(value: unknown, path: Path, params: Record<string, unknown>, add: (p: Path, m: string) => void): void {
  if (typeof value === "string") {
    for (const m of value.matchAll(ANY_PLACEHOLDER)) {
      const name = WHOLE_PARAM_PLACEHOLDER.exec(m[0])?.[1];
      if (name === undefined) add(path, `"${m[0]}" is not a placeholder; write \${{ params.<name> }}`);
      else if (!Object.hasOwn(params, name)) add(path, `"${m[0]}" names no declared param; add "${name}" under params:`);
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => placeholderProblems(v, [...path, i], params, add));
  } else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) placeholderProblems(v, [...path, k], params, add);
  }
}

/** The cron schedule of a spec, if it has one (at most one, checked above). */
export const cronOf = (spec: PipelineSpec): string | null => spec.triggers.flatMap((t) => ("cron" in t ? [t.cron] : []))[0] ?? null;

/** pipeline.validate: the problems, or the steps and the next five cron runs. */
export function validatePipelineYaml(text: string, now = new Date()): ValidateYamlDto {
  const parsed = parsePipelineYaml(text);
  if (!parsed.ok) return { ok: false, problems: parsed.problems, name: null, steps: [], nextCronRuns: [] };
  const { spec } = parsed;
  const cron = cronOf(spec);
  return {
    ok: true,
    problems: NO_PROBLEMS,
    name: spec.name,
    steps: spec.steps.map((s) => ({ id: s.id, kind: s.uses, needs: stepNeeds(spec, s.id), condition: s.if ?? null })),
    nextCronRuns: cron ? nextCronRuns(cron, now, 5).map((d) => d.toISOString()) : [],
  };
}
