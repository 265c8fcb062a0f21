import { describe, expect, it } from "vitest";
import { modelSignature } from "../onnx/signature";
import { gbdt } from "./gbdt/boosting";
import { logisticRegression } from "./logistic";
import { ridgeRegression } from "./ridge";
import { checkWithPythonOnnx, hasPythonOnnx, mixedData, runOnnx, worstGap } from "./test-helpers";
import type { TrainedModel, TrainResult } from "./types";

// Held-out rows with missing numbers, missing ("" and null) and unseen categories.
const held = mixedData(700, 101, "regression", { unseen: true });
const heldBinary = mixedData(700, 102, "binary", { unseen: true });

const trainers: [string, () => TrainResult][] = [
  ["ridge", () => ridgeRegression(mixedData(1500, 103, "regression"), { alpha: 2 })],
  ["logistic", () => logisticRegression(mixedData(1500, 104, "binary"), { alpha: 0.5 })],
  ["gbdt regression", () => gbdt(mixedData(3000, 105, "regression"), { rounds: 80, maxDepth: 5, subsample: 0.8, seed: 3 })],
  ["gbdt binary", () => gbdt(mixedData(3000, 106, "binary"), { task: "binary", rounds: 80, maxDepth: 5 })],
  ["gbdt with large targets", () => {
    const data = mixedData(2000, 107, "regression");
    return gbdt({ ...data, y: data.y.map((v) => 1000 * v + 50_000) }, { rounds: 150, maxDepth: 6, learningRate: 0.2 });
  }],
];

const trained = trainers.map(([name, train]) => [name, train().model] as [string, TrainedModel]);

describe("ONNX export", () => {
  it.each(trained)("%s: onnxruntime reproduces the trainer's predictions to 1e-5", async (_, model) => {
    const rows = model.task === "binary" ? heldBinary : held;
    const expected = model.predict(rows);
    const out = await runOnnx(model.toOnnx(), model.features, rows);
    if (model.task === "regression") {
      expect(out.variable!.dims).toEqual([rows.y.length, 1]);
      expect(worstGap(out.variable!.data as Float32Array, expected)).toBeLessThan(1e-5);
    } else {
      const probabilities = out.probabilities!.data as Float32Array;
      expect(out.probabilities!.dims).toEqual([rows.y.length, 2]);
      const p1 = Float64Array.from({ length: rows.y.length }, (_, i) => probabilities[2 * i + 1]!);
      const p0 = Float64Array.from({ length: rows.y.length }, (_, i) => probabilities[2 * i]!);
      expect(worstGap(p1, expected)).toBeLessThan(1e-5);
      expect(worstGap(p0, expected.map((p) => 1 - p))).toBeLessThan(1e-5);
      const labels = Array.from(out.label!.data as BigInt64Array, Number);
      expect(out.label!.dims).toEqual([rows.y.length]);
      expect(labels).toEqual(Array.from(expected, (p) => (p > 0.5 ? 1 : 0)));
    }
  });

  it.each(trained)("%s: the signature reads back inputs, outputs, opsets and metadata", (_, model) => {
    const signature = modelSignature(model.toOnnx());
    expect(signature.irVersion).toBe(8);
    expect(signature.opsets).toEqual({ "": 17, "ai.onnx.ml": 3 });
    expect(signature.inputs).toEqual(model.features.map((f) => ({ name: f.name, elemType: f.kind === "numeric" ? "float" : "string", shape: ["N", 1] })));
    expect(signature.outputs).toEqual(
      model.task === "regression"
        ? [{ name: "variable", elemType: "float", shape: ["N", 1] }]
        : [
            { name: "label", elemType: "int64", shape: ["N"] },
            { name: "probabilities", elemType: "float", shape: ["N", 2] },
          ],
    );
    expect(signature.task).toBe(model.task);
    expect(signature.trainer).toBe(model.trainer);
    expect(signature.features).toEqual(model.features);
    expect(JSON.parse(signature.metadata["cairn.params"]!)).toEqual(model.params);
  });

  // Validation by the reference implementation needs Debian's python3-onnx; without it there is
  // nothing to compare against, and onnxruntime above still loads every model.
  it.skipIf(!hasPythonOnnx).each(trained)("%s: onnx.checker accepts the model (full check)", (_, model) => {
    expect(checkWithPythonOnnx(model.toOnnx())).toEqual(expect.objectContaining({ ok: true }));
  });
});

describe("ONNX export of degenerate models", () => {
  it("exports single-leaf trees and categoricals never seen in training", async () => {
    const data = mixedData(300, 108, "regression");
    const constant = { ...data, y: new Float64Array(300).fill(4.25), cat: [data.cat[0]!.map(() => null), data.cat[1]!] };
    const model = gbdt(constant, { rounds: 3 }).model;
    expect(model.trees.every((t) => t.feature.length === 1)).toBe(true);
    const out = await runOnnx(model.toOnnx(), model.features, held);
    expect(Array.from(out.variable!.data as Float32Array)).toEqual(Array.from(model.predict(held)));
    const linear = ridgeRegression(constant, { alpha: 1 }).model;
    const linearOut = await runOnnx(linear.toOnnx(), linear.features, held);
    expect(worstGap(linearOut.variable!.data as Float32Array, linear.predict(held))).toBeLessThan(1e-6);
  });
});
