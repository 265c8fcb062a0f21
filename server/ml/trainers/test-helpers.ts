/** Shared by the trainer tests: synthetic data, fixtures, onnxruntime and the Python ONNX checker. */
import { spawnSync } from "node:child_process";
import path from "node:path";
import * as ort from "onnxruntime-node";
import { Rng } from "../random";
import { sigmoid } from "./metrics";
import type { FeatureColumns, FeatureSpec, Task, TrainingData } from "./types";

/** A standard normal draw (Box–Muller). */
export function normal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(rng.nextOpen())) * Math.cos(2 * Math.PI * rng.next());
}

/** The features of mixedData, numeric and categorical interleaved. */
export const MIXED_FEATURES: FeatureSpec[] = [
  { name: "x0", kind: "numeric" },
  { name: "colour", kind: "categorical" },
  { name: "x1", kind: "numeric" },
  { name: "x2", kind: "numeric" },
  { name: "size", kind: "categorical" },
];
const COLOURS = ["red", "green", "blue", "amber"];
const COLOUR_EFFECT: Record<string, number> = { red: 1.5, green: -1, blue: 0, amber: 0.5 };
const SIZES = ["S", "M", "L"];

/**
 * Three numeric features (x2 with 10% missing, which shifts the target) and two categoricals with
 * missing values; with `unseen`, some rows carry categories training never saw.
 */
export function mixedData(n: number, seed: number, task: Task, options: { unseen?: boolean; noise?: number } = {}): TrainingData {
  const rng = new Rng(seed);
  const x0 = new Float64Array(n);
  const x1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const colour: (string | null)[] = [];
  const size: (string | null)[] = [];
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x0[i] = rng.next() * 4 - 2;
    x1[i] = normal(rng);
    x2[i] = rng.next() < 0.1 ? NaN : rng.next() * 10;
    const c = rng.next() < 0.07 ? null : options.unseen && rng.next() < 0.1 ? "violet" : COLOURS[rng.nextInt(COLOURS.length)]!;
    const s = rng.next() < 0.05 ? "" : options.unseen && rng.next() < 0.1 ? "XL" : SIZES[rng.nextInt(SIZES.length)]!;
    colour.push(c);
    size.push(s);
    const score = 2 * Math.sin(x0[i]!) + x1[i]! + (Number.isNaN(x2[i]!) ? 1.5 : 0.2 * x2[i]! - 1) + (c ? (COLOUR_EFFECT[c] ?? 0) : 0) + (s === "L" ? 0.8 : 0) + (options.noise ?? 0.3) * normal(rng);
    y[i] = task === "binary" ? (rng.next() < sigmoid(1.5 * score) ? 1 : 0) : score;
  }
  return { features: MIXED_FEATURES, X: [x0, x1, x2], cat: [colour, size], y };
}

/** Numeric-only data with y = f(row) + noise. */
export function numericData(n: number, seed: number, features: number, f: (x: number[]) => number, noise = 0): TrainingData {
  const rng = new Rng(seed);
  const X = Array.from({ length: features }, () => new Float64Array(n));
  const y = new Float64Array(n);
  const row = new Array<number>(features);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < features; j++) row[j] = X[j]![i] = rng.next() * 2 - 1;
    y[i] = f(row) + noise * normal(rng);
  }
  return { features: X.map((_, j) => ({ name: `x${j}`, kind: "numeric" as const })), X, cat: [], y };
}

/** A fixture written by fixtures/generate.py, typed by the caller. */
export async function loadTrainerFixture<T>(name: "ridge" | "logistic" | "boosting"): Promise<T> {
  const loaded = (await import(`./fixtures/${name}.json`)) as { default: T };
  return loaded.default;
}

/** Fixture columns arrive with null for NaN. */
export function fromFixture(features: FeatureSpec[], split: { X: (number | null)[][]; cat?: (string | null)[][]; y: number[] }): TrainingData {
  return { features, X: split.X.map((c) => Float64Array.from(c, (v) => v ?? NaN)), cat: split.cat ?? [], y: Float64Array.from(split.y) };
}

/** Runs an exported model in onnxruntime on the given columns (float32 numbers, "" for missing categories). */
export async function runOnnx(bytes: Uint8Array, features: readonly FeatureSpec[], columns: FeatureColumns): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(bytes);
  const n = columns.X[0]?.length ?? columns.cat[0]?.length ?? 0;
  const feeds: Record<string, ort.Tensor> = {};
  let numeric = 0;
  let categorical = 0;
  for (const f of features) {
    feeds[f.name] =
      f.kind === "numeric"
        ? new ort.Tensor("float32", Float32Array.from(columns.X[numeric++]!), [n, 1])
        : new ort.Tensor("string", columns.cat[categorical++]!.map((v) => v ?? ""), [n, 1]);
  }
  return session.run(feeds);
}

const CHECKER = path.join(import.meta.dirname, "..", "onnx", "check_model.py");
const PYTHON = "/usr/bin/python3";

/** Whether Debian's python3 with the onnx package is installed (the checker needs both). */
export const hasPythonOnnx = spawnSync(PYTHON, ["-c", "import onnx"], { stdio: "ignore" }).status === 0;

/** onnx.checker.check_model(full_check=True) on the bytes, through server/ml/onnx/check_model.py. */
export function checkWithPythonOnnx(bytes: Uint8Array): { ok: boolean; error?: string } {
  const result = spawnSync(PYTHON, [CHECKER], { input: bytes, encoding: "utf8" });
  if (result.status !== 0) return { ok: false, error: result.stderr };
  return JSON.parse(result.stdout) as { ok: boolean; error?: string };
}

/** |a − b| ≤ tolerance·max(1, |b|) for every element; returns the worst relative gap for messages. */
export function worstGap(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / Math.max(1, Math.abs(expected[i]!)));
  return worst;
}
