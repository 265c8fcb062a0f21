/** What every Cairn model graph shares: one input per feature, fixed output names, and metadata. */
import { BATCH_DIM, GraphBuilder, type Dim } from "./graph";
import { DataType } from "./schema";

/** A model input: numeric features arrive as float [N,1], categorical ones as string [N,1]. */
export interface OnnxFeature {
  name: string;
  kind: "numeric" | "categorical";
}

/** The tasks Cairn exports: regression or binary classification. */
export type OnnxTask = "regression" | "binary";

/** Output names by task: regression gives `variable` float [N,1]; binary gives `label` int64 [N] and `probabilities` float [N,2]. */
export const OUTPUT_NAMES = { regression: ["variable"], binary: ["label", "probabilities"] } as const;
const RESERVED_OUTPUTS: ReadonlySet<string> = new Set([...OUTPUT_NAMES.regression, ...OUTPUT_NAMES.binary]);

/** Throws when a feature name would clash with an output name or another feature in the ONNX graph. */
export function checkFeatureNames(features: readonly OnnxFeature[]): void {
  const seen = new Set<string>();
  for (const f of features) {
    if (f.name === "") throw new Error("features need non-empty names (they become ONNX input names)");
    if (RESERVED_OUTPUTS.has(f.name)) throw new Error(`feature "${f.name}" clashes with an ONNX output name; rename the column`);
    if (seen.has(f.name)) throw new Error(`feature "${f.name}" appears twice`);
    seen.add(f.name);
  }
}

/** What a trainer records about a model; stored as `cairn.*` metadata_props. */
export interface ModelDescription {
  task: OnnxTask;
  trainer: string;
  features: readonly OnnxFeature[];
  params: Record<string, number | string | boolean | null>;
  /** Further metadata_props, e.g. the encoding spec under `cairn.encoding`. */
  metadata?: Readonly<Record<string, string>>;
}

/** Metadata keys: cairn.task, cairn.trainer, cairn.features (JSON [{name, kind}]), cairn.params (JSON). */
export function cairnMetadata(description: ModelDescription): Record<string, string> {
  return {
    "cairn.task": description.task,
    "cairn.trainer": description.trainer,
    "cairn.features": JSON.stringify(description.features.map((f) => ({ name: f.name, kind: f.kind }))),
    "cairn.params": JSON.stringify(description.params),
    ...description.metadata,
  };
}

/** A builder with every feature input declared in order (float or string, shape [N,1]). */
export function graphWithFeatureInputs(description: ModelDescription): GraphBuilder {
  checkFeatureNames(description.features);
  const graph = new GraphBuilder([...description.features.map((f) => f.name), ...OUTPUT_NAMES[description.task]]);
  const column: Dim[] = [BATCH_DIM, 1];
  for (const f of description.features) graph.input(f.name, f.kind === "numeric" ? DataType.FLOAT : DataType.STRING, column);
  return graph;
}

/** Declares the task's outputs: regression `variable` float [N,1]; binary `label` int64 [N] and `probabilities` float [N,2]. */
export function declareOutputs(graph: GraphBuilder, task: OnnxTask): void {
  if (task === "regression") {
    graph.output("variable", DataType.FLOAT, [BATCH_DIM, 1]);
  } else {
    graph.output("label", DataType.INT64, [BATCH_DIM]);
    graph.output("probabilities", DataType.FLOAT, [BATCH_DIM, 2]);
  }
}
