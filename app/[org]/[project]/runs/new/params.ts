import { ZGbdtParams, ZLogisticParams, ZRidgeParams, type Trainer } from "@/server/training/schemas";

export type BuiltinTrainer = Exclude<Trainer, "command">;

export interface ParamField {
  key: string;
  label: string;
  hint?: string;
  /** A choice from fixed options, else a number typed as text. */
  options?: readonly string[];
  /** Empty means "not set" (the trainer's behaviour without it), not the default. */
  optional?: boolean;
}

/** The fields each built-in trainer takes; ranges are the server's to check (server/training/schemas.ts). */
export const PARAM_FIELDS: Record<BuiltinTrainer, ParamField[]> = {
  gbdt: [
    { key: "task", label: "Task", options: ["regression", "binary"], hint: "binary needs a 0/1 or true/false target" },
    { key: "rounds", label: "Rounds", hint: "boosting rounds (trees), 1–5000" },
    { key: "learningRate", label: "Learning rate", hint: "shrinkage per tree, (0, 1]" },
    { key: "maxDepth", label: "Max depth", hint: "1–16" },
    { key: "minLeaf", label: "Min rows per leaf" },
    { key: "minChildWeight", label: "Min child weight", hint: "minimum hessian sum in a leaf" },
    { key: "lambda", label: "L2 regularisation (λ)" },
    { key: "subsample", label: "Row subsample", hint: "share of rows per tree, (0, 1]" },
    { key: "earlyStoppingRounds", label: "Early stopping rounds", hint: "stop when validation loss has not improved for this many rounds; empty = off", optional: true },
    { key: "maxBins", label: "Max bins", hint: "histogram bins per feature, 2–256" },
    { key: "seed", label: "Seed" },
  ],
  ridge: [{ key: "alpha", label: "Alpha", hint: "L2 penalty, ≥ 0" }],
  logistic: [
    { key: "alpha", label: "Alpha", hint: "L2 penalty, ≥ 0" },
    { key: "maxIter", label: "Max iterations", hint: "1–10,000" },
  ],
};

const SCHEMAS = { gbdt: ZGbdtParams, ridge: ZRidgeParams, logistic: ZLogisticParams } as const;

export type ParamDraft = Record<string, string>;

/** The schema's defaults as text, so the form starts where the trainer would. */
export function defaultDraft(trainer: BuiltinTrainer): ParamDraft {
  const defaults = SCHEMAS[trainer].parse({}) as Record<string, unknown>;
  return Object.fromEntries(PARAM_FIELDS[trainer].map((f) => [f.key, defaults[f.key] === undefined ? "" : String(defaults[f.key])]));
}

/**
 * The draft as the params object the server validates: numbers where the text is one, and the raw
 * text otherwise, so the server's own message names the bad field; empty fields are left out.
 */
export function paramsOf(trainer: BuiltinTrainer, draft: ParamDraft): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of PARAM_FIELDS[trainer]) {
    const text = (draft[field.key] ?? "").trim();
    if (text === "") continue;
    if (field.options) out[field.key] = text;
    else out[field.key] = Number.isFinite(Number(text)) ? Number(text) : text;
  }
  return out;
}

/** "Invalid gbdt params: rounds: Too big…; learningRate: …" → a message per field (server/training/start.ts). */
export function paramErrors(message: string | null | undefined): Record<string, string> {
  const match = /^Invalid \w+ params: (.*)$/s.exec(message ?? "");
  if (!match) return {};
  const out: Record<string, string> = {};
  for (const part of match[1]!.split("; ")) {
    const colon = part.indexOf(": ");
    if (colon > 0) out[part.slice(0, colon)] = part.slice(colon + 2);
  }
  return out;
}

/** A command's params: any JSON object, handed to it as CAIRN_PARAMS. */
export function commandParamsOf(text: string): { params: Record<string, unknown> } | { error: string } {
  if (text.trim() === "") return { params: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === "object" && !Array.isArray(value)) return { params: value as Record<string, unknown> };
  } catch {
    // Reported below like any other non-object.
  }
  return { error: 'Params must be a JSON object, e.g. {"epochs": 20}' };
}
