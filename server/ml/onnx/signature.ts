/** Reading an ONNX model's interface back: inputs, outputs, opsets and Cairn's metadata. */
import { decodeModel, type ValueInfoMessage } from "./schema";
import type { OnnxFeature, OnnxTask } from "./features";

const TYPE_NAMES: Record<number, string> = { 1: "float", 2: "uint8", 3: "int8", 5: "int16", 6: "int32", 7: "int64", 8: "string", 9: "bool", 10: "float16", 11: "double", 12: "uint32", 13: "uint64" };

/** One graph input or output: element type name ("float", "int64", "string"…) and shape (a name for symbolic dimensions, null when unknown). */
export interface TensorSignature {
  name: string;
  elemType: string;
  shape: (number | string | null)[] | null;
}

/** A model's interface as modelSignature reads it. */
export interface ModelSignature {
  irVersion: number | null;
  /** Opset version per domain ("" is ai.onnx). */
  opsets: Record<string, number>;
  inputs: TensorSignature[];
  outputs: TensorSignature[];
  metadata: Record<string, string>;
  /** From Cairn's metadata, when the model carries it. */
  task: OnnxTask | null;
  trainer: string | null;
  features: OnnxFeature[] | null;
}

/** Decodes a model's signature without running it; throws on bytes that are not an ONNX model. */
export function modelSignature(bytes: Uint8Array): ModelSignature {
  const model = decodeModel(bytes);
  if (!model.graph) throw new Error("not an ONNX model: no graph");
  const initialisers = new Set((model.graph.initializer ?? []).map((t) => t.name));
  const metadata: Record<string, string> = {};
  for (const { key, value } of model.metadataProps ?? []) metadata[key] = value;
  const opsets: Record<string, number> = {};
  for (const o of model.opsetImport ?? []) opsets[o.domain ?? ""] = Number(o.version ?? 0);
  const task = metadata["cairn.task"];
  return {
    irVersion: model.irVersion === undefined ? null : Number(model.irVersion),
    opsets,
    // Older exporters list initialisers among the inputs; callers feed only the true inputs.
    inputs: (model.graph.input ?? []).filter((v) => !initialisers.has(v.name)).map(tensorSignature),
    outputs: (model.graph.output ?? []).map(tensorSignature),
    metadata,
    task: task === "regression" || task === "binary" ? task : null,
    trainer: metadata["cairn.trainer"] ?? null,
    features: parseFeatures(metadata["cairn.features"]),
  };
}

function tensorSignature(value: Partial<ValueInfoMessage>): TensorSignature {
  const tensor = value.type?.tensorType;
  const dims = tensor?.shape?.dim;
  return {
    name: value.name ?? "",
    elemType: tensor ? (TYPE_NAMES[tensor.elemType ?? 0] ?? `type${tensor.elemType}`) : "non-tensor",
    shape: dims ? dims.map((d) => (d.dimValue !== undefined ? Number(d.dimValue) : (d.dimParam ?? null))) : null,
  };
}

function parseFeatures(text: string | undefined): OnnxFeature[] | null {
  if (text === undefined) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed)) return null;
    const features = parsed.filter((f): f is OnnxFeature => typeof f?.name === "string" && (f.kind === "numeric" || f.kind === "categorical"));
    return features.length === parsed.length ? features : null;
  } catch {
    return null;
  }
}
