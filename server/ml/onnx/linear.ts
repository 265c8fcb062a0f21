/**
 * ONNX export of linear models (ridge, logistic) with standard operators. The arithmetic runs in
 * double after the float32 inputs are cast, so the graph reproduces the trainer's own predictions.
 */
import { attr, ML_DOMAIN } from "./graph";
import { cairnMetadata, declareOutputs, graphWithFeatureInputs, type ModelDescription } from "./features";
import { DataType } from "./schema";

/** score = intercept + Σ weight·(x − mean) over numeric features (missing x adds 0) + Σ weight of each row's category. */
export interface LinearSpec extends ModelDescription {
  intercept: number;
  /** Per numeric feature, in feature order. */
  numeric: readonly { mean: number; weight: number }[];
  /** Per categorical feature, in feature order; unseen and missing categories add 0. */
  categorical: readonly { categories: readonly string[]; weights: ArrayLike<number> }[];
}

/** Serialises a linear model with Cairn's per-feature inputs; binary models apply the logistic function. */
export function linearToOnnx(spec: LinearSpec): Uint8Array {
  const graph = graphWithFeatureInputs(spec);
  const numericInputs = spec.features.filter((f) => f.kind === "numeric").map((f) => f.name);
  const categoricalInputs = spec.features.filter((f) => f.kind === "categorical").map((f) => f.name);
  const parts: string[] = [];

  if (numericInputs.length > 0) {
    const p = numericInputs.length;
    const matrix = graph.op("Cast", [graph.op("Concat", numericInputs, [attr.int("axis", 1)])], [attr.int("to", DataType.DOUBLE)]);
    const centred = graph.op("Sub", [matrix, graph.constant("mean", DataType.DOUBLE, [p], spec.numeric.map((c) => c.mean))]);
    const zero = graph.constant("zero", DataType.DOUBLE, [], [0]);
    // Missing numbers are imputed with the training mean, i.e. they contribute nothing once centred.
    const imputed = graph.op("Where", [graph.op("IsNaN", [centred]), zero, centred]);
    parts.push(graph.op("MatMul", [imputed, graph.constant("weights", DataType.DOUBLE, [p, 1], spec.numeric.map((c) => c.weight))]));
  }

  categoricalInputs.forEach((name, k) => {
    const { categories, weights } = spec.categorical[k]!;
    // LabelEncoder needs at least one key; with no categories seen, "" (missing) stands in and maps to 0.
    const keys = categories.length > 0 ? [...categories] : [""];
    const table = categories.length > 0 ? [...Array.from(weights), 0] : [0];
    const index = graph.op(
      "LabelEncoder",
      [name],
      [attr.strings("keys_strings", keys), attr.ints("values_int64s", keys.map((_, i) => i)), attr.int("default_int64", table.length - 1)],
      ML_DOMAIN,
    );
    parts.push(graph.op("Gather", [graph.constant(`${name}_weights`, DataType.DOUBLE, [table.length], table), index], [attr.int("axis", 0)]));
  });

  const score = graph.op("Add", [graph.op("Sum", parts), graph.constant("intercept", DataType.DOUBLE, [1], [spec.intercept])]);
  declareOutputs(graph, spec.task);
  if (spec.task === "regression") {
    graph.node("Cast", [score], [attr.int("to", DataType.FLOAT)], { outputs: ["variable"], reservedOutputs: true });
  } else {
    const p = graph.op("Sigmoid", [score]);
    const pFloat = graph.op("Cast", [p], [attr.int("to", DataType.FLOAT)]);
    const q = graph.op("Sub", [graph.constant("one", DataType.FLOAT, [1], [1]), pFloat]);
    graph.node("Concat", [q, pFloat], [attr.int("axis", 1)], { outputs: ["probabilities"], reservedOutputs: true });
    const positive = graph.op("Cast", [graph.op("Greater", [p, graph.constant("half", DataType.DOUBLE, [], [0.5])])], [attr.int("to", DataType.INT64)]);
    graph.node("Reshape", [positive, graph.constant("flat", DataType.INT64, [1], [-1])], [], { outputs: ["label"], reservedOutputs: true });
  }
  return graph.toModel("cairn_linear", cairnMetadata(spec), `Cairn ${spec.trainer}: linear model`);
}
