import { AppError } from "../errors";
import { MAX_KEY_LENGTH } from "./schemas";

type Scalar = string | number | boolean | null;

/**
 * Flattens nested params to dotted keys: {optimizer: {lr: 0.1}} → {"optimizer.lr": 0.1}.
 * Arrays are kept as JSON text so that they compare as one value.
 */
export function flattenParams(input: Record<string, unknown>, prefix = "", out: Record<string, Scalar> = {}): Record<string, Scalar> {
  for (const [k, v] of Object.entries(input)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (key.length > MAX_KEY_LENGTH) throw new AppError("BAD_REQUEST", `Param key "${key.slice(0, 40)}…" is longer than ${MAX_KEY_LENGTH} characters after flattening`);
    if (v !== null && typeof v === "object" && !Array.isArray(v)) flattenParams(v as Record<string, unknown>, key, out);
    else if (Array.isArray(v)) out[key] = JSON.stringify(v);
    else if (typeof v === "number" && !Number.isFinite(v)) out[key] = String(v);
    else if (v === undefined) continue;
    else if (typeof v === "string" || typeof v === "number" || typeof v === "boolean" || v === null) out[key] = v;
    else out[key] = String(v);
  }
  return out;
}

/** Params are write-once: the same value again is fine, a different value is a conflict. */
export function mergeParams(existing: Record<string, unknown>, incoming: Record<string, Scalar>): Record<string, unknown> {
  const conflicts = Object.entries(incoming).filter(([k, v]) => k in existing && JSON.stringify(existing[k]) !== JSON.stringify(v));
  if (conflicts.length > 0) {
    const [k, v] = conflicts[0]!;
    throw new AppError("CONFLICT", `Param "${k}" is already ${JSON.stringify(existing[k])}; params cannot change (got ${JSON.stringify(v)})`);
  }
  return { ...existing, ...incoming };
}
