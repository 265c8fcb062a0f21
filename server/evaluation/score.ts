import type { InferenceSession } from "onnxruntime-node";
import { AppError } from "../errors";
import type { FeatureRow } from "../ml/metrics";

type Session = InferenceSession;

export interface Scorer {
  task: "regression" | "binary";
  inputs: { name: string; type: string }[];
  /** Predictions (regression) or positive-class probabilities (binary), one per row. */
  score(rows: readonly FeatureRow[]): Promise<Float64Array>;
  release(): Promise<void>;
}

const BATCH = 4096;
const MISSING = new Set(["", "NA", "N/A", "NaN", "nan", "null", "NULL", "None"]);

function toFloat(v: FeatureRow[string] | undefined): number {
  if (v === null || v === undefined) return NaN;
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (MISSING.has(v)) return NaN;
  const lower = v.toLowerCase();
  if (lower === "true") return 1;
  if (lower === "false") return 0;
  const n = Number(v);
  return Number.isNaN(n) ? Date.parse(v) : n;
}

/**
 * Wraps an ONNX model for batch scoring of dataset rows. Inputs are matched by name to columns
 * (one [N,1] tensor per feature, as Cairn's trainers and skl2onnx export them), or a single
 * [N,k] float input is fed the `features` columns in order (as most exported networks expect).
 */
export async function createScorer(model: Uint8Array, opts: { columns: string[]; features: string[]; task?: "regression" | "binary" }): Promise<Scorer> {
  const ort = await import("onnxruntime-node");
  let session: Session;
  try {
    session = await ort.InferenceSession.create(model);
  } catch (err) {
    throw new AppError("BAD_REQUEST", `The model cannot be loaded by ONNX Runtime: ${(err as Error).message.split("\n")[0]}`);
  }
  const inputs = session.inputMetadata.map((m) => ({ name: m.name, type: m.isTensor ? m.type : "other", shape: m.isTensor ? m.shape : [] }));
  const outputs = session.outputMetadata.map((m) => ({ name: m.name, type: m.isTensor ? m.type : "other", shape: m.isTensor ? m.shape : [] }));
  const byColumn = inputs.every((i) => opts.columns.includes(i.name));
  const single = inputs.length === 1 && inputs[0]!.type === "float32" && inputs[0]!.shape.length === 2;
  if (!byColumn && !single) {
    throw new AppError("BAD_REQUEST", `The model's inputs (${inputs.map((i) => i.name).join(", ")}) match neither the dataset's columns nor a single [N, features] float tensor`);
  }
  if (single && !byColumn) {
    const k = inputs[0]!.shape[1];
    if (typeof k === "number" && k !== opts.features.length) {
      throw new AppError("BAD_REQUEST", `The model takes ${k} features but the run lists ${opts.features.length} (${opts.features.join(", ")})`);
    }
  }
  // Classifiers export a probability tensor [N,2] (or a map); regressors a single [N,1] value.
  const probOut = outputs.find((o) => /prob/i.test(o.name) && o.type === "float32") ?? null;
  const task = opts.task ?? (probOut ? "binary" : "regression");
  const valueOut = task === "binary" ? (probOut ?? outputs.find((o) => o.type === "float32")) : outputs.find((o) => o.type === "float32");
  if (!valueOut) throw new AppError("BAD_REQUEST", "The model has no float output to read predictions from");

  async function scoreBatch(rows: readonly FeatureRow[]): Promise<Float64Array> {
    const n = rows.length;
    const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {};
    if (byColumn) {
      for (const input of inputs) {
        if (input.type === "string") feeds[input.name] = new ort.Tensor("string", rows.map((r) => (r[input.name] === null || r[input.name] === undefined ? "" : String(r[input.name]))), [n, 1]);
        else if (input.type === "float32" || input.type === "float64") {
          const data = input.type === "float32" ? new Float32Array(n) : new Float64Array(n);
          for (let i = 0; i < n; i++) data[i] = toFloat(rows[i]![input.name]);
          feeds[input.name] = new ort.Tensor(input.type, data, [n, 1]);
        } else if (input.type === "int64") {
          feeds[input.name] = new ort.Tensor("int64", BigInt64Array.from(rows.map((r) => BigInt(Math.round(toFloat(r[input.name]) || 0)))), [n, 1]);
        } else throw new AppError("BAD_REQUEST", `Model input "${input.name}" has type ${input.type}, which Cairn cannot feed from a table`);
      }
    } else {
      const k = opts.features.length;
      const data = new Float32Array(n * k);
      for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) data[i * k + j] = toFloat(rows[i]![opts.features[j]!]);
      feeds[inputs[0]!.name] = new ort.Tensor("float32", data, [n, k]);
    }
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
    inputs: inputs.map((i) => ({ name: i.name, type: i.type })),
    async score(rows) {
      const out = new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i += BATCH) out.set(await scoreBatch(rows.slice(i, i + BATCH)), i);
      return out;
    },
    release: () => session.release(),
  };
}

export { toFloat };
