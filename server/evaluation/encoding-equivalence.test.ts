/**
 * Train/serve skew ruled out by construction: the trainer's inputs, evaluation's ONNX feeds and a fresh
 * decode of the stored JSON spec give identical values for the same raw rows, and the exported model
 * scored through the encoder (ONNX Runtime) matches the trainer's own predictions.
 */
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { encode, encodeTrainingData, ENCODING_METADATA_KEY, fitEncodingSpec, parseEncodingSpec, type EncodingSpec, type RawRow } from "../ml/features";
import { modelSignature } from "../ml/onnx/signature";
import { Rng } from "../ml/random";
import { gbdt, logisticRegression, ridgeRegression, type TrainedModel } from "../ml/trainers";
import { createScorer, modelIo, scoringFeeds } from "./score";

const COLOURS = ["red", "green", "blue"];

/** CSV-like text rows with every kind of cell the encoder must agree on. */
function textRows(n: number, seed: number, unseen: boolean): RawRow[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const x = rng.next() * 10 - 5;
    const flag = rng.next() < 0.5;
    const colour = unseen && i % 7 === 0 ? "violet" : COLOURS[rng.nextInt(3)]!;
    const count = rng.nextInt(20);
    const score = 0.8 * x + (flag ? 2 : 0) + (colour === "red" ? 1.5 : 0) + 0.1 * count + rng.next();
    return {
      x: i % 11 === 0 ? "NA" : i % 13 === 0 ? "" : ` ${x.toFixed(4)} `,
      flag: i % 17 === 0 ? "NA" : i % 2 ? (flag ? "true" : "false") : flag ? "TRUE" : "False",
      colour: i % 19 === 0 ? "" : colour,
      count: String(count),
      day: `2024-02-${String(1 + (i % 28)).padStart(2, "0")}`,
      y: score.toFixed(6),
      label: score > 3 ? "yes" : "no",
    };
  });
}

/** The same rows as a JSON client would send them (numbers, booleans, null). */
function jsonRows(rows: readonly RawRow[]): RawRow[] {
  return rows.map((r) => ({
    ...r,
    x: r.x === "NA" || r.x === "" ? null : Number(r.x),
    flag: r.flag === "NA" ? null : String(r.flag).toLowerCase() === "true",
    count: Number(r.count),
  }));
}

const FEATURES = ["x", "flag", "colour", "count", "day"];
const train = textRows(1200, 1, false);
const held = textRows(400, 2, true);

async function session(bytes: Uint8Array) {
  return ort.InferenceSession.create(bytes);
}

function expectSameInputs(spec: EncodingSpec, trainerData: ReturnType<typeof encodeTrainingData>, feeds: ReturnType<typeof scoringFeeds>) {
  let numeric = 0;
  let categorical = 0;
  for (const f of spec.features) {
    const feed = feeds[f.name]!;
    if (f.kind === "categorical") {
      expect(feed.type).toBe("string");
      expect(feed.data).toEqual(trainerData.cat[categorical++]!.map((v) => v ?? ""));
    } else {
      expect(feed.type).toBe("float32");
      // Bit-identical, NaN included: the trainers round to float32 exactly as the feed does.
      expect(Array.from(feed.data as Float32Array)).toEqual(Array.from(Float32Array.from(trainerData.X[numeric++]!)));
    }
  }
}

describe("one encoder for training, evaluation and a stored spec", () => {
  const spec = fitEncodingSpec(train, { features: FEATURES, target: { name: "y", task: "regression" } });
  const decoded = parseEncodingSpec(JSON.parse(JSON.stringify(spec)));
  const data = encodeTrainingData(spec, train);
  const model = ridgeRegression(data, { alpha: 1 }).model;
  const bytes = model.toOnnx({ [ENCODING_METADATA_KEY]: JSON.stringify(spec) });

  it("fits the kinds a table of text implies", () => {
    expect(spec.features.map((f) => `${f.name}:${f.kind}`)).toEqual(["x:numeric", "flag:boolean", "colour:categorical", "count:numeric", "day:date"]);
    expect(spec.features[2]!.categories).toEqual(["blue", "green", "red"]);
  });

  it("gives identical inputs from the trainer path, evaluation's feeds and the decoded JSON spec, text or JSON cells", async () => {
    const s = await session(bytes);
    const { inputs } = modelIo(s);
    const trainerInputs = encodeTrainingData(spec, held);
    const evaluationFeeds = scoringFeeds(spec, inputs, held);
    expectSameInputs(spec, trainerInputs, evaluationFeeds);
    expectSameInputs(decoded, trainerInputs, scoringFeeds(decoded, inputs, held));
    expectSameInputs(spec, trainerInputs, scoringFeeds(decoded, inputs, jsonRows(held)));
    expect(encode(decoded, jsonRows(held))).toEqual(encode(spec, held));
    await s.release();

    // The cells the three conversions used to disagree on.
    const probe = encodeTrainingData(decoded, [
      { x: " 2.5 ", flag: "true", colour: "violet", count: "7", day: "2024-02-03", y: "1" },
      { x: "NA", flag: "false", colour: "", count: 7, day: "", y: "2" },
    ]);
    expect(probe.X.map((c) => Array.from(c))).toEqual([[2.5, NaN], [1, 0], [7, 7], [19756, NaN]]);
    expect(probe.cat).toEqual([[null, null]]);
  });

  it("stores the spec in the model's metadata, and ONNX scored through the encoder matches the trainer's predict", async () => {
    expect(parseEncodingSpec(modelSignature(bytes).metadata[ENCODING_METADATA_KEY])).toEqual(spec);
    const scorer = await createScorer(bytes, { spec: decoded });
    const scored = await scorer.score(held);
    const expected = model.predict(encode(spec, held));
    for (let i = 0; i < held.length; i++) expect(Math.abs(scored[i]! - expected[i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(expected[i]!)));
    await scorer.release();
  });

  it.each<[string, (d: ReturnType<typeof encodeTrainingData>) => TrainedModel]>([
    ["logistic", (d) => logisticRegression(d, { alpha: 1 }).model],
    ["gbdt", (d) => gbdt(d, { task: "binary", rounds: 30, maxDepth: 4 }).model],
  ])("%s on text labels: target encoding and ONNX probabilities agree with the trainer", async (_, fit) => {
    const binary = fitEncodingSpec(train, { features: FEATURES, target: { name: "label", task: "binary" } });
    expect(binary.target).toEqual({ name: "label", task: "binary", positive: ["yes"], negative: ["no"] });
    const d = encodeTrainingData(binary, train);
    expect(new Set(d.y)).toEqual(new Set([0, 1]));
    const m = fit(d);
    const scorer = await createScorer(m.toOnnx(), { spec: parseEncodingSpec(JSON.stringify(binary)) });
    expect(scorer.task).toBe("binary");
    const scored = await scorer.score(held);
    const expected = m.predict(encode(binary, held));
    for (let i = 0; i < held.length; i++) expect(Math.abs(scored[i]! - expected[i]!)).toBeLessThan(1e-5);
    await scorer.release();
  });
});
