/**
 * GBDT against XGBoost: one generated 200,000-row regression CSV (20 numeric features, some missing),
 * split 80/20, trained by Cairn's gbdt and by python3-xgboost (tree_method="hist") with the same depth,
 * rounds, learning rate, lambda and 256 bins, in the same run. Prints fit times, test RMSE and their
 * ratios, then batch scoring of the exported ONNX model in onnxruntime-node against gbdt's own predict.
 * Times are wall clock and CPU (this process, or the Python process); on a shared machine the CPU time
 * is the steadier of the two. Usage: npm run bench:gbdt [-- --rows 200000 --rounds 100 --depth 6 --runs 1]
 */
import { spawnSync } from "node:child_process";
import { writeFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import * as ort from "onnxruntime-node";
import { gbdt } from "../server/ml/trainers/gbdt/boosting";
import { rmse } from "../server/ml/trainers/metrics";
import type { FeatureColumns, FeatureSpec, TrainingData } from "../server/ml/trainers/types";
import { mib, rng } from "./lib";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "200000" },
    rounds: { type: "string", default: "100" },
    depth: { type: "string", default: "6" },
    runs: { type: "string", default: "1" },
  },
});
const rows = Number(values.rows);
const runs = Number(values.runs);
const params = { rounds: Number(values.rounds), maxDepth: Number(values.depth), learningRate: 0.1, lambda: 1, minChildWeight: 1, maxBins: 256 };
const FEATURES = 20;
const file = path.join(os.tmpdir(), `cairn-bench-gbdt-${rows}.csv`);

/** Deterministic data: Friedman #1 on 5 features plus 3 weaker terms, 12 noise features, 2% missing in two columns. */
function generate(): { text: string; cells: string[][]; y: string[]; split: boolean[] } {
  const r = rng(2024);
  const cells: string[][] = Array.from({ length: FEATURES }, () => []);
  const y: string[] = [];
  const split: boolean[] = [];
  const lines = [[...Array.from({ length: FEATURES }, (_, j) => `f${j}`), "y", "split"].join(",")];
  for (let i = 0; i < rows; i++) {
    const x = Array.from({ length: FEATURES }, () => r());
    const noise = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    const target = 10 * Math.sin(Math.PI * x[0]! * x[1]!) + 20 * (x[2]! - 0.5) ** 2 + 10 * x[3]! + 5 * x[4]! + 3 * (x[5]! > 0.7 ? 1 : 0) + 2 * Math.abs(x[6]! - x[7]!) + noise;
    const row = x.map((v, j) => ((j === 3 || j === 7) && r() < 0.02 ? "" : v.toFixed(5)));
    row.forEach((c, j) => cells[j]!.push(c));
    y.push(target.toFixed(6));
    const isTrain = i < rows * 0.8;
    split.push(isTrain);
    lines.push([...row, y[i]!, isTrain ? "train" : "test"].join(","));
  }
  return { text: lines.join("\n") + "\n", cells, y, split };
}

const features: FeatureSpec[] = Array.from({ length: FEATURES }, (_, j) => ({ name: `f${j}`, kind: "numeric" }));

/** Columns parsed from the CSV cells exactly as pandas reads them ("" → NaN). */
function columnsOf(cells: string[][], keep: boolean[]): FeatureColumns {
  const X = cells.map((column) => Float64Array.from(column.filter((_, i) => keep[i]), (c) => (c === "" ? NaN : Number(c))));
  return { X, cat: [] };
}

console.log(`generating ${rows.toLocaleString("en")} rows × ${FEATURES} features…`);
const generated = generate();
await writeFile(file, generated.text);
console.log(`file: ${file}, ${mib(generated.text.length)}`);
const notSplit = generated.split.map((s) => !s);
const train: TrainingData = { features, ...columnsOf(generated.cells, generated.split), y: Float64Array.from(generated.y.filter((_, i) => generated.split[i]), Number) };
const test = { ...columnsOf(generated.cells, notSplit), y: Float64Array.from(generated.y.filter((_, i) => notSplit[i]), Number) };

/** Best wall-clock and CPU milliseconds (user + system, this process) over `times` calls. */
async function measure<T>(times: number, fn: () => T | Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  let ms = Infinity;
  let cpuMs = Infinity;
  let value: T | undefined;
  for (let k = 0; k < times; k++) {
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    value = await fn();
    ms = Math.min(ms, performance.now() - t0);
    const used = process.cpuUsage(cpu);
    cpuMs = Math.min(cpuMs, (used.user + used.system) / 1000);
  }
  return { ms, cpuMs, value: value as T };
}

const fit = await measure(runs, () => gbdt(train, params));
const ours = fit.value.model;
const ourRmse = rmse(test.y, ours.predict(test));

const threads = [os.availableParallelism(), ...(os.availableParallelism() > 1 ? [1] : [])];
const xgbParams = { rounds: params.rounds, max_depth: params.maxDepth, eta: params.learningRate, lambda: params.lambda, min_child_weight: params.minChildWeight, max_bin: params.maxBins, runs, threads };
const child = spawnSync("/usr/bin/python3", [path.join(import.meta.dirname, "gbdt_xgboost.py"), file, JSON.stringify(xgbParams)], { encoding: "utf8", maxBuffer: 1 << 24 });
if (child.status !== 0) throw new Error(`gbdt_xgboost.py failed: ${child.stderr}`);
const xgb = JSON.parse(child.stdout) as { xgboost: string; cpus: number; results: { nthread: number; fit_s: number; cpu_s: number; test_rmse: number }[] };

// Batch scoring of the test rows: onnxruntime on the exported model vs the trainer's own predict.
const n = test.y.length;
const bytes = ours.toOnnx();
const feeds: Record<string, ort.Tensor> = {};
const sessions = [
  { label: "onnxruntime (default threads)", session: await ort.InferenceSession.create(bytes) },
  { label: "onnxruntime (1 thread)", session: await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 }) },
];
const score = async (session: ort.InferenceSession): Promise<Float32Array> => {
  features.forEach((f, j) => (feeds[f.name] = new ort.Tensor("float32", Float32Array.from(test.X[j]!), [n, 1])));
  const out = await session.run(feeds);
  return out.variable!.data as Float32Array;
};
const predicted = await measure(5, () => ours.predict(test));
const scored: { label: string; ms: number; cpuMs: number; value: Float32Array }[] = [];
for (const { label, session } of sessions) scored.push({ label, ...(await measure(5, () => score(session))) });
let maxDiff = 0;
for (let i = 0; i < n; i++) maxDiff = Math.max(maxDiff, Math.abs(scored[0]!.value[i]! - predicted.value[i]!));

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const rate = (ms: number) => Math.round(n / (ms / 1000)).toLocaleString("en");
console.log(`params     : ${JSON.stringify(params)}, train ${train.y.length.toLocaleString("en")} rows, test ${n.toLocaleString("en")} rows`);
console.log(`cairn gbdt : fit ${s(fit.ms)} wall, ${s(fit.cpuMs)} CPU (1 thread); test RMSE ${ourRmse.toFixed(5)}`);
for (const x of xgb.results) {
  const wall = fit.ms / 1000 / x.fit_s;
  console.log(`xgboost ${xgb.xgboost} : fit ${s(x.fit_s * 1000)} wall, ${s(x.cpu_s * 1000)} CPU (nthread ${x.nthread}); test RMSE ${x.test_rmse.toFixed(5)}`);
  console.log(`  ratio    : fit time cairn / xgboost = ${wall.toFixed(2)}× wall, ${(fit.cpuMs / 1000 / x.cpu_s).toFixed(2)}× CPU (target ≤ 3×); RMSE cairn / xgboost = ${(ourRmse / x.test_rmse).toFixed(4)} (target within 2%)`);
}
for (const o of scored) {
  console.log(`scoring    : ${o.label}: ${rate(o.ms)} rows/s wall (${rate(o.cpuMs)} per CPU second); trainer predict ${rate(predicted.ms)} rows/s wall (${rate(predicted.cpuMs)} per CPU second); onnxruntime / predict = ${(predicted.ms / o.ms).toFixed(2)}× wall`);
}
console.log(`equivalence: max |onnxruntime − predict| = ${maxDiff.toExponential(2)} over ${n.toLocaleString("en")} rows`);
console.log(`machine    : ${os.cpus()[0]?.model ?? "?"} × ${os.cpus().length}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}, node ${process.version}, onnxruntime-node ${ort.env.versions.common}`);
if (!process.env.KEEP) await rm(file, { force: true });
