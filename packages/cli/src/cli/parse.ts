/** Readers of the CLI's `key=value` arguments. Pure functions, tested in parse.test.ts. */
import type { MetricPoint } from "../types.js";
import { UsageError } from "./errors.js";

/** Commander's collector for repeatable options (`--param a=1 --param b=2`). */
export const collect = (value: string, previous: string[] = []) => [...previous, value];

function split(arg: string, what: string, at: "first" | "last"): [string, string] {
  const i = at === "first" ? arg.indexOf("=") : arg.lastIndexOf("=");
  if (i <= 0) throw new UsageError(`${what} "${arg}" is not key=value`);
  return [arg.slice(0, i), arg.slice(i + 1)];
}

/** "true"/"false" become booleans, numbers numbers, anything else stays text ("0.10" → 0.1; quote-free). */
export function typedValue(text: string): string | number | boolean {
  if (text === "true" || text === "false") return text === "true";
  if (/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text);
  return text;
}

/** `--param k=v` (the first "=" splits, so a value may hold "="). */
export function parseParams(args: string[] = []): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const arg of args) {
    const [key, value] = split(arg, "param", "first");
    out[key] = typedValue(value);
  }
  return out;
}

/** `--tag k=v`: tags are text. */
export function parseTags(args: string[] = []): Record<string, string> {
  return Object.fromEntries(args.map((a) => split(a, "tag", "first")));
}

const FLOAT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** `--metric k=v[@step]`: a float (nan, inf and -inf too) at a step (0 when not given). The last "=" splits. */
export function parseMetric(arg: string, timestamp?: number): MetricPoint {
  const [key, rest] = split(arg, "metric", "last");
  const at = rest.lastIndexOf("@");
  const valueText = (at < 0 ? rest : rest.slice(0, at)).trim();
  const stepText = at < 0 ? "0" : rest.slice(at + 1).trim();
  const lower = valueText.toLowerCase();
  const value = lower === "nan" ? NaN : lower === "inf" || lower === "+inf" ? Infinity : lower === "-inf" ? -Infinity : FLOAT.test(valueText) ? Number(valueText) : null;
  if (value === null) throw new UsageError(`metric "${arg}": "${valueText}" is not a number`);
  if (!/^\d+$/.test(stepText) || !Number.isSafeInteger(Number(stepText))) throw new UsageError(`metric "${arg}": the step after @ must be a whole number ≥ 0`);
  return { key, value, step: Number(stepText), ...(timestamp === undefined ? {} : { timestamp }) };
}

/** A positive whole number argument (version numbers, run numbers, seconds). */
export function positiveInt(text: string, what: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) throw new UsageError(`${what} must be a whole number ≥ 1, not "${text}"`);
  return Number(text);
}
