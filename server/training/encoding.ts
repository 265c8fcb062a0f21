/**
 * The encoding spec of a model Cairn did not fit itself (an external command's, or one trained before
 * specs were stored): fitted on the training split of the version it was trained on, with each feature's
 * kind taken from the model's own inputs.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { readSplit } from "../datasets/splits";
import { AppError } from "../errors";
import { EncodingFitter, ENCODING_ARTIFACT, parseEncodingSpec, type Cell, type EncodingSpec } from "../ml/features";

/** A model's graph inputs and outputs as ONNX Runtime reports them. */
export interface ModelIo {
  inputs: { name: string; type: string; shape: readonly (number | string)[] }[];
  outputs: { name: string; type: string }[];
}

/** What the model predicts: a float output named like "probabilities" means a binary classifier. */
export function modelTask(io: Pick<ModelIo, "outputs">, hint?: "regression" | "binary"): "regression" | "binary" {
  return hint ?? (io.outputs.some((o) => /prob/i.test(o.name) && o.type === "float32") ? "binary" : "regression");
}

/**
 * Per feature, the kind of input the model takes: a text input makes a categorical, any other a float;
 * a model with one [N, k] tensor takes every feature as a float. Features the model does not take keep
 * the kind their cells imply.
 */
export function inputTypesOf(io: Pick<ModelIo, "inputs">, features: readonly string[]): Record<string, "float" | "string"> {
  const byName = new Map(io.inputs.map((i) => [i.name, i.type]));
  if (!features.some((f) => byName.has(f))) return Object.fromEntries(features.map((f) => [f, "float"]));
  return Object.fromEntries(features.filter((f) => byName.has(f)).map((f) => [f, byName.get(f) === "string" ? "string" : "float"]));
}

/** Fits a spec on a version's training split for the given features and target, streaming the rows. */
export async function deriveEncodingSpec(args: {
  version: Parameters<typeof readSplit>[0];
  features: readonly string[];
  target: string;
  task: "regression" | "binary";
  io: ModelIo;
  signal?: AbortSignal;
}): Promise<EncodingSpec> {
  const fitter = new EncodingFitter({ features: args.features, target: { name: args.target, task: args.task }, inputTypes: inputTypesOf(args.io, args.features) });
  await readSplit(
    args.version,
    "train",
    (rows, columns) => {
      for (const r of rows) fitter.add(Object.fromEntries(columns.map((c, i) => [c, r[i] as Cell])));
    },
    args.signal,
  );
  return fitter.finish();
}

/**
 * For an external command's model: keeps a valid encoding.json the command wrote, else derives one from
 * the training split and writes it beside model.onnx, so every trained model is stored with its spec.
 */
export async function ensureEncodingFile(args: {
  outputDir: string;
  version: Parameters<typeof readSplit>[0];
  features: readonly string[];
  target: string;
  io: ModelIo;
  signal?: AbortSignal;
}): Promise<{ written: boolean; spec: EncodingSpec }> {
  const file = path.join(args.outputDir, ENCODING_ARTIFACT);
  const existing = await readFile(file, "utf8").catch(() => null);
  if (existing !== null) {
    try {
      return { written: false, spec: parseEncodingSpec(existing) };
    } catch (err) {
      throw new AppError("BAD_REQUEST", `the command wrote an ${ENCODING_ARTIFACT} that Cairn cannot read (${(err as Error).message}); remove it to let Cairn derive one`);
    }
  }
  let spec: EncodingSpec;
  try {
    spec = await deriveEncodingSpec({ ...args, task: modelTask(args.io) });
  } catch (err) {
    if (err instanceof RangeError) throw new AppError("BAD_REQUEST", `cannot derive the model's encoding spec: ${err.message}`);
    throw err;
  }
  await writeFile(file, JSON.stringify(spec, null, 2));
  return { written: true, spec };
}
