/** ONNX export of boosted trees: LabelEncoder for categoricals, Concat, then an ai.onnx.ml TreeEnsemble. */
import { attr, ML_DOMAIN } from "./graph";
import { cairnMetadata, declareOutputs, graphWithFeatureInputs, type ModelDescription } from "./features";

/** One tree in flat arrays; node 0 is the root. */
export interface OnnxTree {
  /** Split feature (index into the model's features) per node, −1 at leaves. */
  feature: Int32Array;
  /** Float32-exact thresholds: a row goes left when x ≤ threshold. */
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /** 1 where missing values go left. */
  defaultLeft: Uint8Array;
  /** Leaf outputs (margin units), float32-exact. */
  value: Float64Array;
}

/** Everything the tree export needs besides the shared description. */
export interface TreeEnsembleSpec extends ModelDescription {
  trees: readonly OnnxTree[];
  /** Added to the sum of the leaves: a value for regression, a log-odds for binary. */
  baseScore: number;
  /** Per feature: the number a categorical value is split on (unseen → NaN); null for numeric features. */
  categoryCodes: readonly (ReadonlyMap<string, number> | null)[];
}

/** Serialises a tree ensemble with Cairn's per-feature inputs and outputs. */
export function treeEnsembleToOnnx(spec: TreeEnsembleSpec): Uint8Array {
  const graph = graphWithFeatureInputs(spec);
  const columns = spec.features.map((f, j) => {
    const codes = spec.categoryCodes[j];
    if (f.kind === "numeric" || !codes) return f.name;
    // LabelEncoder needs at least one key; with no categories seen, "" (missing) stands in for them.
    const keys = codes.size > 0 ? [...codes.keys()] : [""];
    const values = codes.size > 0 ? [...codes.values()] : [NaN];
    return graph.op("LabelEncoder", [f.name], [attr.strings("keys_strings", keys), attr.floats("values_floats", values), attr.float("default_float", NaN)], ML_DOMAIN);
  });
  const matrix = graph.op("Concat", columns, [attr.int("axis", 1)]);

  const treeIds: number[] = [];
  const nodeIds: number[] = [];
  const featureIds: number[] = [];
  const values: number[] = [];
  const modes: string[] = [];
  const trueIds: number[] = [];
  const falseIds: number[] = [];
  const missingTrue: number[] = [];
  const leafTree: number[] = [];
  const leafNode: number[] = [];
  const leafWeight: number[] = [];
  spec.trees.forEach((tree, t) => {
    for (let k = 0; k < tree.feature.length; k++) {
      const leaf = tree.feature[k]! < 0;
      treeIds.push(t);
      nodeIds.push(k);
      featureIds.push(leaf ? 0 : tree.feature[k]!);
      values.push(leaf ? 0 : tree.threshold[k]!);
      modes.push(leaf ? "LEAF" : "BRANCH_LEQ");
      trueIds.push(leaf ? 0 : tree.left[k]!);
      falseIds.push(leaf ? 0 : tree.right[k]!);
      missingTrue.push(leaf ? 0 : tree.defaultLeft[k]!);
      if (leaf) {
        leafTree.push(t);
        leafNode.push(k);
        leafWeight.push(tree.value[k]!);
      }
    }
  });
  const nodes = [
    attr.ints("nodes_treeids", treeIds),
    attr.ints("nodes_nodeids", nodeIds),
    attr.ints("nodes_featureids", featureIds),
    attr.floats("nodes_values", values),
    attr.strings("nodes_modes", modes),
    attr.ints("nodes_truenodeids", trueIds),
    attr.ints("nodes_falsenodeids", falseIds),
    attr.ints("nodes_missing_value_tracks_true", missingTrue),
    attr.floats("base_values", [spec.baseScore]),
  ];

  declareOutputs(graph, spec.task);
  if (spec.task === "regression") {
    graph.node(
      "TreeEnsembleRegressor",
      [matrix],
      [
        ...nodes,
        attr.int("n_targets", 1),
        attr.string("aggregate_function", "SUM"),
        attr.string("post_transform", "NONE"),
        attr.ints("target_treeids", leafTree),
        attr.ints("target_nodeids", leafNode),
        attr.ints("target_ids", leafTree.map(() => 0)),
        attr.floats("target_weights", leafWeight),
      ],
      { domain: ML_DOMAIN, outputs: ["variable"], reservedOutputs: true },
    );
  } else {
    // One score column with two class labels is onnxruntime's binary case: it reports [1 − p, p].
    graph.node(
      "TreeEnsembleClassifier",
      [matrix],
      [
        ...nodes,
        attr.ints("classlabels_int64s", [0, 1]),
        attr.string("post_transform", "LOGISTIC"),
        attr.ints("class_treeids", leafTree),
        attr.ints("class_nodeids", leafNode),
        attr.ints("class_ids", leafTree.map(() => 0)),
        attr.floats("class_weights", leafWeight),
      ],
      { domain: ML_DOMAIN, outputs: ["label", "probabilities"], reservedOutputs: true },
    );
  }
  return graph.toModel("cairn_tree_ensemble", cairnMetadata(spec), `Cairn ${spec.trainer}: ${spec.trees.length} trees`);
}
