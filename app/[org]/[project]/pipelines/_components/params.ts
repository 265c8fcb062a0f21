import { parse } from "yaml";

export type Param = string | number | boolean;

/** The `params` of a pipeline's YAML (already checked by the server when it was saved) with their defaults. */
export function specParams(yaml: string): Record<string, Param> {
  try {
    const doc: unknown = parse(yaml);
    const params = (doc as { params?: unknown } | null)?.params;
    if (!params || typeof params !== "object") return {};
    return Object.fromEntries(Object.entries(params).filter((e): e is [string, Param] => ["string", "number", "boolean"].includes(typeof e[1])));
  } catch {
    return {};
  }
}

/** A form field's text as the type of the param's default, or an error saying why it is not one. */
export function paramValue(name: string, text: string, def: Param): { value: Param } | { error: string } {
  if (typeof def === "number") {
    const n = Number(text);
    return text.trim() !== "" && Number.isFinite(n) ? { value: n } : { error: `${name} is a number: "${text}" is not one` };
  }
  if (typeof def === "boolean") return text === "true" || text === "false" ? { value: text === "true" } : { error: `${name} is true or false, not "${text}"` };
  return { value: text };
}
