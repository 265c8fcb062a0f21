/**
 * Turns a request body into raw rows for the encoder, checked against the version's encoding spec:
 * every feature present, none unknown, values of a type the feature's kind reads, tensors of one
 * length. Errors name the field so the caller can fix the request.
 */
import type { RawRow } from "../ml/features";
import type { EncodingSpec, FeatureKind } from "../ml/features";
import { FLOAT_DATATYPES, MAX_ROWS, ZV2InferRequest } from "./schemas";

export class InputError extends Error {}

function checkValue(kind: FeatureKind, value: unknown, where: string, missing: ReadonlySet<string>): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  const ok =
    kind === "numeric" ? typeof value === "number" || typeof value === "string"
    : kind === "boolean" ? typeof value === "boolean" || value === 0 || value === 1 || typeof value === "string"
    : kind === "date" ? typeof value === "string"
    : typeof value === "string" || typeof value === "number" || typeof value === "boolean";
  if (!ok) throw new InputError(`${where}: a ${kind} feature takes ${kind === "date" ? "an ISO date string" : kind === "categorical" ? "a string" : `a ${kind === "numeric" ? "number" : "boolean"}`} or null, got ${Array.isArray(value) ? "an array" : typeof value}`);
  // Text in a numeric field is read by the encoder's rules (missing tokens, "1.5"); other text is a caller mistake.
  if (kind === "numeric" && typeof value === "string" && !missing.has(value.trim()) && value.trim() !== "" && !Number.isFinite(Number(value))) {
    throw new InputError(`${where}: "${value.slice(0, 40)}" is not a number`);
  }
  return value as string | number | boolean;
}

/** A spec's features by name and its missing-value tokens, built once per spec (every request reads them). */
const bySpec = new WeakMap<EncodingSpec, { features: ReadonlyMap<string, FeatureKind>; missing: ReadonlySet<string> }>();
function knownFeatures(spec: EncodingSpec) {
  let known = bySpec.get(spec);
  if (!known) bySpec.set(spec, (known = { features: new Map(spec.features.map((f) => [f.name, f.kind])), missing: new Set(spec.missingTokens) }));
  return known;
}

/** Rows from `{"instances":[{feature: value}]}`. */
export function rowsFromInstances(spec: EncodingSpec, body: unknown): RawRow[] {
  // Checked by hand rather than with zod: this runs on every request, and the per-field checks below do the rest.
  const instances = (body as { instances: unknown }).instances;
  if (!Array.isArray(instances) || instances.length === 0) throw new InputError("instances: must be a non-empty array of objects");
  instances.forEach((x: unknown, i) => {
    if (typeof x !== "object" || x === null || Array.isArray(x)) throw new InputError(`instances[${i}]: must be an object of feature values`);
  });
  if (instances.length > MAX_ROWS) throw new InputError(`instances: at most ${MAX_ROWS} rows per request`);
  const { features, missing } = knownFeatures(spec);
  return (instances as Record<string, unknown>[]).map((instance, i) => {
    const row: Record<string, string | number | boolean | null> = {};
    for (const key of Object.keys(instance)) if (!features.has(key)) throw new InputError(`instances[${i}].${key}: unknown feature (the model takes ${[...features.keys()].join(", ")})`);
    for (const [name, kind] of features) {
      if (!(name in instance)) throw new InputError(`instances[${i}].${name}: missing feature (send null for a missing value)`);
      row[name] = checkValue(kind, instance[name], `instances[${i}].${name}`, missing);
    }
    return row;
  });
}

/** Rows from a v2 request: one tensor per feature column, shape [N] or [N, 1]. */
export function rowsFromV2(spec: EncodingSpec, body: unknown): { rows: RawRow[]; id: string | undefined } {
  const parsed = ZV2InferRequest.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`);
  }
  const { features, missing } = knownFeatures(spec);
  const seen = new Map<string, (string | number | boolean | null)[]>();
  let n: number | null = null;
  for (const tensor of parsed.data.inputs) {
    const kind = features.get(tensor.name);
    const where = `inputs.${tensor.name}`;
    if (!kind) throw new InputError(`${where}: unknown input (the model takes ${[...features.keys()].join(", ")})`);
    if (seen.has(tensor.name)) throw new InputError(`${where}: given twice`);
    const [rows, width = 1] = tensor.shape as [number, number?];
    if (width !== 1) throw new InputError(`${where}: shape must be [N] or [N, 1], got [${tensor.shape.join(", ")}]`);
    if (rows !== tensor.data.length) throw new InputError(`${where}: shape [${tensor.shape.join(", ")}] does not match ${tensor.data.length} data values`);
    if (n !== null && rows !== n) throw new InputError(`${where}: ${rows} rows, but other inputs have ${n}`);
    n = rows;
    const floatKind = kind !== "categorical";
    if (floatKind ? !FLOAT_DATATYPES.has(tensor.datatype) : tensor.datatype !== "BYTES") {
      throw new InputError(`${where}: datatype ${tensor.datatype} does not fit a ${kind} feature (use ${floatKind ? (kind === "date" ? "BYTES with ISO dates, or FP64 days since 1970" : "FP32/FP64/INT64/BOOL") : "BYTES"})`);
    }
    // Dates may come as ISO text in BYTES; checkValue accepts them only as strings.
    const readAs: FeatureKind = kind === "date" && tensor.datatype !== "BYTES" ? "numeric" : kind;
    seen.set(tensor.name, tensor.data.map((v, i) => checkValue(readAs, v, `${where}.data[${i}]`, missing)));
  }
  for (const name of features.keys()) if (!seen.has(name)) throw new InputError(`inputs.${name}: missing input`);
  if ((n ?? 0) === 0) throw new InputError("inputs: no rows");
  if (n! > MAX_ROWS) throw new InputError(`inputs: at most ${MAX_ROWS} rows per request`);
  const rows: RawRow[] = [];
  for (let i = 0; i < n!; i++) {
    const row: Record<string, string | number | boolean | null> = {};
    for (const [name, column] of seen) row[name] = column[i]!;
    rows.push(row);
  }
  return { rows, id: parsed.data.id };
}
