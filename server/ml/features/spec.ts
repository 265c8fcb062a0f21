/**
 * The encoding spec: how a model's raw inputs (CSV text, JSON values) become its feature values. Built
 * from the training rows at fit time and stored with the model (encoding.json, ONNX metadata
 * `cairn.encoding`), so training, evaluation, robustness probes and serving read cells the same way.
 */
import { z } from "zod";

/** Version of the spec format; readers refuse versions they do not know. */
export const ENCODING_VERSION = 1;

/**
 * numeric, boolean and date features reach the model as float (numbers; true/false → 1/0; ISO dates →
 * days since 1970-01-01 UTC), categorical ones as text.
 */
export const ZFeatureKind = z.enum(["numeric", "boolean", "date", "categorical"]);
export type FeatureKind = z.infer<typeof ZFeatureKind>;

export const ZEncodedFeature = z.object({
  name: z.string().min(1),
  kind: ZFeatureKind,
  /**
   * Categorical only: the categories seen in training, sorted; any other value is read as missing.
   * null when the column had too many distinct values to list (every value then passes as it is).
   */
  categories: z.array(z.string()).nullable().optional(),
});
export type EncodedFeature = z.infer<typeof ZEncodedFeature>;

export const ZTargetEncoding = z.discriminatedUnion("task", [
  z.object({ name: z.string().min(1), task: z.literal("regression") }),
  z.object({
    name: z.string().min(1),
    task: z.literal("binary"),
    /** Label keys read as 1 and as 0 (see CellReader.labelKey: numbers and booleans as numbers, "1.0" and "true" → "1"; other text trimmed). */
    positive: z.array(z.string()),
    negative: z.array(z.string()),
  }),
]);
export type TargetEncoding = z.infer<typeof ZTargetEncoding>;

export const ZEncodingSpec = z.object({
  version: z.literal(ENCODING_VERSION),
  /** Cell texts (after trimming blanks) that mean "no value". */
  missingTokens: z.array(z.string()),
  features: z.array(ZEncodedFeature).min(1),
  target: ZTargetEncoding.nullable(),
});
export type EncodingSpec = z.infer<typeof ZEncodingSpec>;

/** Whether a feature reaches the model as a float (everything but categoricals). */
export function isFloatKind(kind: FeatureKind): boolean {
  return kind !== "categorical";
}

/** Reads a stored spec (JSON text or a parsed value); throws a message naming what is wrong. */
export function parseEncodingSpec(value: unknown): EncodingSpec {
  const parsed = ZEncodingSpec.safeParse(typeof value === "string" ? JSON.parse(value) : value);
  if (!parsed.success) throw new Error(`invalid encoding spec: ${parsed.error.issues.map((i) => `${i.path.join(".") || "spec"}: ${i.message}`).join("; ")}`);
  return parsed.data;
}
