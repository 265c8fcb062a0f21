import type { InferenceSession } from "onnxruntime-node";
import { AppError } from "../errors";
import { encode, isFloatKind, onnxFeeds, type EncodingSpec, type RawRow } from "../ml/features";
import { modelTask, type ModelIo } from "../training/encoding";

type Session = InferenceSession;

export interface Scorer {
  task: "regression" | "binary";
  inputs: { name: string; type: string }[];
  /** Predictions (regression) or positive-class probabilities (binary), one per row. */
  score(rows: readonly RawRow[]): Promise<Float64Array>;
  release(): Promise<void>;
}

/** One model input's data for N rows, as ONNX Runtime takes it. */
export type ScoringFeed = { type: "float32"; data: Float32Array; dims: number[] } | { type: "float64"; data: Float64Array; dims: number[] } | { type: "int64"; data: BigInt64Array; dims: number[] } | { type: "string"; data: string[]; dims: number[] };

const BATCH = 4096;

/**
 * ONNX Runtime's session options. Its pool threads never spin-wait between runs: by default they
 * busy-wait after each run, which at a few hundred one-row requests a second kept a whole core of
 * this 2-core machine spinning (2.3 ms of CPU per 0.05 ms run), starving the event loop, Postgres
 * and the other processes. `threads` sets the intra-op pool (default: one per core); serving one row
 * at a time gains nothing from a pool, so the serving process passes 1.
 */
export function sessionOptions(threads?: number): InferenceSession.SessionOptions {
  const noSpin = { intra_op: { allow_spinning: "0" }, inter_op: { allow_spinning: "0" } };
  return { ...(threads ? { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: "sequential" as const } : {}), extra: { session: noSpin } };
}

/** Checks that the spec can feed the model: inputs by feature name, or one [N, k] float tensor of float features. */
function feedLayout(spec: EncodingSpec, inputs: ModelIo["inputs"]): "by-name" | "matrix" {
  const names = new Set(spec.features.map((f) => f.name));
  if (inputs.every((i) => names.has(i.name))) {
    for (const input of inputs) {
      const f = spec.features.find((x) => x.name === input.name)!;
      if ((input.type === "string") !== !isFloatKind(f.kind)) {
        throw new AppError("BAD_REQUEST", `Model input "${input.name}" takes ${input.type} but the encoding spec reads it as ${f.kind}`);
      }
      if (!["string", "float32", "float64", "int64"].includes(input.type)) throw new AppError("BAD_REQUEST", `Model input "${input.name}" has type ${input.type}, which Cairn cannot feed from a table`);
    }
    return "by-name";
  }
  const only = inputs[0];
  if (inputs.length === 1 && only!.type === "float32" && only!.shape.length === 2) {
    const k = only!.shape[1];
    if (typeof k === "number" && k !== spec.features.length) throw new AppError("BAD_REQUEST", `The model takes ${k} features but the run lists ${spec.features.length} (${spec.features.map((f) => f.name).join(", ")})`);
    const text = spec.features.find((f) => !isFloatKind(f.kind));
    if (text) throw new AppError("BAD_REQUEST", `The model takes one float tensor but feature "${text.name}" is categorical`);
    return "matrix";
  }
  throw new AppError("BAD_REQUEST", `The model's inputs (${inputs.map((i) => i.name).join(", ")}) match neither the run's features nor a single [N, features] float tensor`);
}

/** The feeds for rows: the encoder's values (server/ml/features), in the model's input types. */
export function scoringFeeds(spec: EncodingSpec, inputs: ModelIo["inputs"], rows: readonly RawRow[]): Record<string, ScoringFeed> {
  const layout = feedLayout(spec, inputs);
  const n = rows.length;
  const columns = encode(spec, rows);
  const encoded = onnxFeeds(spec, columns);
  const feeds: Record<string, ScoringFeed> = {};
  if (layout === "matrix") {
    const k = encoded.length;
    const data = new Float32Array(n * k);
    encoded.forEach((feed, j) => {
      for (let i = 0; i < n; i++) data[i * k + j] = feed.data[i] as number;
    });
    feeds[inputs[0]!.name] = { type: "float32", data, dims: [n, k] };
    return feeds;
  }
  const byName = new Map(encoded.map((f) => [f.name, f]));
  let numeric = 0;
  const doubles = new Map(spec.features.filter((f) => isFloatKind(f.kind)).map((f) => [f.name, columns.X[numeric++]!]));
  for (const input of inputs) {
    const feed = byName.get(input.name)!;
    if (feed.type === "string") feeds[input.name] = { type: "string", data: feed.data, dims: [n, 1] };
    else if (input.type === "float64") feeds[input.name] = { type: "float64", data: Float64Array.from(doubles.get(input.name)!), dims: [n, 1] };
    else if (input.type === "int64") feeds[input.name] = { type: "int64", data: BigInt64Array.from(doubles.get(input.name)!, (v) => BigInt(Number.isFinite(v) ? Math.round(v) : 0)), dims: [n, 1] };
    else feeds[input.name] = { type: "float32", data: feed.data, dims: [n, 1] };
  }
  return feeds;
}

/**
 * Wraps an ONNX model for batch scoring of dataset rows through the model's encoding spec. Inputs are
 * matched by name to features (one [N,1] tensor per feature, as Cairn's trainers and skl2onnx export
 * them), or a single [N,k] float input is fed the features in order (as most exported networks expect).
 */
export async function createScorer(
  model: Uint8Array,
  opts: { spec: EncodingSpec | ((io: ModelIo, task: "regression" | "binary") => Promise<EncodingSpec>); task?: "regression" | "binary"; threads?: number },
): Promise<Scorer & { spec: EncodingSpec }> {
  const ort = await import("onnxruntime-node");
  let session: Session;
  try {
    session = await ort.InferenceSession.create(model, sessionOptions(opts.threads));
  } catch (err) {
    throw new AppError("BAD_REQUEST", `The model cannot be loaded by ONNX Runtime: ${(err as Error).message.split("\n")[0]}`);
  }
  const io = modelIo(session);
  let spec: EncodingSpec;
  try {
    spec = typeof opts.spec === "function" ? await opts.spec(io, modelTask(io, opts.task)) : opts.spec;
    feedLayout(spec, io.inputs);
  } catch (err) {
    await session.release();
    throw err;
  }
  const probOut = io.outputs.find((o) => /prob/i.test(o.name) && o.type === "float32") ?? null;
  const task = modelTask(io, spec.target?.task ?? opts.task);
  const valueOut = task === "binary" ? (probOut ?? io.outputs.find((o) => o.type === "float32")) : io.outputs.find((o) => o.type === "float32");
  if (!valueOut) throw new AppError("BAD_REQUEST", "The model has no float output to read predictions from");

  async function scoreBatch(rows: readonly RawRow[]): Promise<Float64Array> {
    const n = rows.length;
    const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {};
    for (const [name, feed] of Object.entries(scoringFeeds(spec, io.inputs, rows))) feeds[name] = new ort.Tensor(feed.type, feed.data, feed.dims);
    const result = await session.run(feeds, [valueOut!.name]);
    const t = result[valueOut!.name]!;
    const values = t.data as Float32Array | Float64Array;
    const width = t.dims.length === 2 ? Number(t.dims[1]) : 1;
    const out = new Float64Array(n);
    // For [N,2] probabilities the positive class is the second column.
    for (let i = 0; i < n; i++) out[i] = values[i * width + (width === 2 && task === "binary" ? 1 : 0)]!;
    return out;
  }

  return {
    task,
    spec,
    inputs: io.inputs.map((i) => ({ name: i.name, type: i.type })),
    async score(rows) {
      const out = new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i += BATCH) out.set(await scoreBatch(rows.slice(i, i + BATCH)), i);
      return out;
    },
    release: () => session.release(),
  };
}

/** A loaded session's inputs and outputs. */
export function modelIo(session: Session): ModelIo {
  const describe = (m: Session["inputMetadata"][number]) => ({ name: m.name, type: m.isTensor ? m.type : "other", shape: m.isTensor ? [...m.shape] : [] });
  return { inputs: session.inputMetadata.map(describe), outputs: session.outputMetadata.map(describe) };
}
