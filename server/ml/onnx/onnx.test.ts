import { readFileSync } from "node:fs";
import path from "node:path";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { checkWithPythonOnnx, hasPythonOnnx } from "../trainers/test-helpers";
import { checkFeatureNames } from "./features";
import { attr, GraphBuilder } from "./graph";
import { DataType, decodeModel } from "./schema";
import { modelSignature } from "./signature";

/** y = (a + b) · 2, with a constant initializer also listed as an input (as older exporters do). */
function tinyModel(): Uint8Array {
  const graph = new GraphBuilder(["a", "b", "y"]);
  graph.input("a", DataType.FLOAT, ["N", 3]);
  graph.input("b", DataType.FLOAT, ["N", 3]);
  const two = graph.constant("two", DataType.FLOAT, [1], [2]);
  graph.input(two, DataType.FLOAT, [1]);
  graph.output("y", DataType.FLOAT, ["N", 3]);
  graph.node("Mul", [graph.op("Add", ["a", "b"]), two], [], { outputs: ["y"], reservedOutputs: true });
  return graph.toModel("tiny", { owner: "tests" }, "a tiny model");
}

describe("ONNX encoding", () => {
  it("writes models onnxruntime runs", async () => {
    const session = await ort.InferenceSession.create(tinyModel());
    const out = await session.run({ a: new ort.Tensor("float32", Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3]), b: new ort.Tensor("float32", Float32Array.of(1, 1, 1, 1, 1, 1), [2, 3]) });
    expect(Array.from(out.y!.data as Float32Array)).toEqual([4, 6, 8, 10, 12, 14]);
  });

  it("decodes what it encodes, attributes included", () => {
    const graph = new GraphBuilder(["x", "y"]);
    graph.input("x", DataType.STRING, ["N", 1]);
    graph.output("y", DataType.FLOAT, ["N", 1]);
    graph.node("LabelEncoder", ["x"], [attr.strings("keys_strings", ["é", "b"]), attr.floats("values_floats", [0.5, -2]), attr.float("default_float", NaN)], { domain: "ai.onnx.ml", outputs: ["y"], reservedOutputs: true });
    const model = decodeModel(graph.toModel("g", {}, ""));
    const node = model.graph!.node![0]!;
    expect(node.opType).toBe("LabelEncoder");
    expect(node.domain).toBe("ai.onnx.ml");
    const byName = Object.fromEntries(node.attribute!.map((a) => [a.name, a]));
    expect(byName.keys_strings!.strings!.map((s) => new TextDecoder().decode(s))).toEqual(["é", "b"]);
    expect(byName.values_floats!.floats).toEqual([0.5, -2]);
    expect(Number.isNaN(byName.default_float!.f)).toBe(true);
  });

  it("hands out fresh names that never collide with reserved ones", () => {
    const graph = new GraphBuilder(["add", "add_1"]);
    expect(graph.fresh("add")).toBe("add_2");
    expect(graph.fresh("add")).toBe("add_3");
    expect(() => new GraphBuilder(["x", "x"])).toThrow(/used twice/);
  });

  it("refuses feature names that would clash in the graph", () => {
    expect(() => checkFeatureNames([{ name: "probabilities", kind: "numeric" }])).toThrow(/clashes/);
    expect(() => checkFeatureNames([{ name: "a", kind: "numeric" }, { name: "a", kind: "categorical" }])).toThrow(/twice/);
    expect(() => checkFeatureNames([{ name: "", kind: "numeric" }])).toThrow(/non-empty/);
  });
});

describe("modelSignature", () => {
  it("reads inputs, outputs and metadata of a model without Cairn's metadata", () => {
    const signature = modelSignature(tinyModel());
    expect(signature.inputs.map((i) => i.name)).toEqual(["a", "b"]);
    expect(signature.inputs[0]).toEqual({ name: "a", elemType: "float", shape: ["N", 3] });
    expect(signature.outputs).toEqual([{ name: "y", elemType: "float", shape: ["N", 3] }]);
    expect(signature.metadata).toEqual({ owner: "tests" });
    expect(signature).toMatchObject({ task: null, trainer: null, features: null, irVersion: 8 });
  });

  it("reads a model written by the onnx package (fixtures/foreign.onnx)", () => {
    const signature = modelSignature(readFileSync(path.join(import.meta.dirname, "fixtures", "foreign.onnx")));
    expect(signature.irVersion).toBe(7);
    expect(signature.opsets).toEqual({ "": 13, "ai.onnx.ml": 1 });
    expect(signature.inputs).toEqual([{ name: "x", elemType: "float", shape: ["batch", 3] }]);
    expect(signature.outputs).toEqual([
      { name: "y", elemType: "float", shape: [null, 1] },
      { name: "zipped", elemType: "non-tensor", shape: null },
    ]);
    expect(signature.metadata).toEqual({ author: "fixtures" });
    expect(signature.task).toBeNull();
  });

  it("throws on bytes that are not a model", () => {
    expect(() => modelSignature(new Uint8Array([0x08, 0x01]))).toThrow(/no graph/);
    expect(() => modelSignature(new Uint8Array([0xff, 0xff, 0xff]))).toThrow();
  });
});

// The reference checker needs Debian's python3-onnx; without it onnxruntime's loading is the only check.
describe.skipIf(!hasPythonOnnx)("onnx.checker", () => {
  it("accepts a valid model and rejects one that reads an undefined value", () => {
    expect(checkWithPythonOnnx(tinyModel()).ok).toBe(true);
    const graph = new GraphBuilder(["x", "y"]);
    graph.input("x", DataType.FLOAT, ["N", 1]);
    graph.output("y", DataType.FLOAT, ["N", 1]);
    graph.node("Add", ["x", "nowhere"], [], { outputs: ["y"], reservedOutputs: true });
    const verdict = checkWithPythonOnnx(graph.toModel("broken", {}, ""));
    expect(verdict.ok).toBe(false);
    expect(verdict.error).toMatch(/nowhere/);
  });
});
