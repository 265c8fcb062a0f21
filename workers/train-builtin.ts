/**
 * Child process of a built-in training job (server/training/job.ts runs it like a command, so the
 * worker keeps heartbeating and can stop it): reads the split files, trains, logs the per-round
 * history as run metrics, and writes model.onnx and its encoding spec (encoding.json, also embedded in
 * the model as `cairn.encoding`) to $CAIRN_OUTPUT_DIR.
 */
import { createReadStream } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { TextTableDecoder } from "../server/datasets/decode";
import { encodeTrainingData, ENCODING_ARTIFACT, ENCODING_METADATA_KEY, fitEncodingSpec, type Cell } from "../server/ml/features";
import { gbdt, GbdtModel, logisticRegression, ridgeRegression, type TrainResult } from "../server/ml/trainers";
import { ZGbdtParams, ZLogisticParams, ZRidgeParams } from "../server/training/schemas";

const env = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

async function readRecords(file: string): Promise<Record<string, Cell>[]> {
  const records: Record<string, Cell>[] = [];
  const decoder = new TextTableDecoder("CSV", { delimiter: ",", encoding: "utf-8" }, (rows, columns) => {
    for (const r of rows) records.push(Object.fromEntries(columns.map((c, i) => [c, r[i] as Cell])));
  });
  for await (const chunk of createReadStream(file)) await decoder.push(chunk as Buffer);
  // An empty validation split is allowed (no early stopping then).
  await decoder.end().catch((err: Error) => {
    if (!/no data rows/.test(err.message)) throw err;
  });
  return records;
}

async function main() {
  const trainer = env("CAIRN_TRAINER");
  const target = env("CAIRN_TARGET");
  const names = JSON.parse(env("CAIRN_FEATURES")) as string[];
  const params = JSON.parse(env("CAIRN_PARAMS")) as Record<string, unknown>;
  const t0 = performance.now();
  const train = await readRecords(env("CAIRN_TRAIN_PATH"));
  const valid = await readRecords(env("CAIRN_VALIDATION_PATH"));
  const task = trainer === "logistic" || (trainer === "gbdt" && params.task === "binary") ? "binary" : "regression";
  // The one encoder (server/ml/features): the spec fitted here is stored with the model and read by evaluation and serving.
  const spec = fitEncodingSpec(train, { features: names, target: { name: target, task } });
  console.log(`read ${train.length} train and ${valid.length} validation rows in ${Math.round(performance.now() - t0)} ms`);
  console.log(`features: ${spec.features.map((f) => `${f.name} (${f.kind})`).join(", ")}; target: ${target}`);
  const data = encodeTrainingData(spec, train);
  const validation = valid.length ? encodeTrainingData(spec, valid) : undefined;
  const t1 = performance.now();
  let result: TrainResult;
  if (trainer === "gbdt") {
    const p = ZGbdtParams.parse(params);
    // ::progress lines are read by the worker (server/training/logs.ts); training is 90% of the job.
    const every = Math.max(1, Math.floor(p.rounds / 50));
    result = gbdt(data, { ...p, validation, onRound: (round, rounds) => round % every === 0 && console.log(`::progress ${((0.9 * round) / rounds).toFixed(3)}`) });
  } else if (trainer === "ridge") {
    result = ridgeRegression(data, ZRidgeParams.parse(params));
  } else if (trainer === "logistic") {
    result = logisticRegression(data, ZLogisticParams.parse(params));
  } else {
    throw new Error(`unknown built-in trainer ${trainer}`);
  }
  console.log(`trained ${trainer} in ${Math.round(performance.now() - t1)} ms${result.bestRound !== undefined ? `, best round ${result.bestRound}` : ""}`);
  for (const h of result.history.filter((_, i, all) => i % Math.max(1, Math.floor(all.length / 10)) === 0 || i === all.length - 1)) {
    console.log(`round ${h.round}: ${Object.entries(h.metrics).map(([k, v]) => `${k}=${v.toFixed(5)}`).join(" ")}`);
  }
  const { logMetrics } = await import("../server/runs/ingest");
  const { db, closeDb } = await import("../server/db");
  const runId = env("CAIRN_RUN_ID");
  const projectId = env("CAIRN_PROJECT_ID");
  const points = result.history.flatMap((h) => Object.entries(h.metrics).map(([key, value]) => ({ key, step: h.round, value })));
  const attempt = Number(env("CAIRN_ATTEMPT"));
  for (let i = 0; i < points.length; i += 10_000) await logMetrics({ projectId, runId, attempt, batchId: `history:${i}`, points: points.slice(i, i + 10_000) });
  await db().run.update({ where: { id: runId }, data: { progress: 0.95 } });
  const specJson = JSON.stringify(spec);
  await writeFile(path.join(env("CAIRN_OUTPUT_DIR"), "model.onnx"), result.model.toOnnx({ [ENCODING_METADATA_KEY]: specJson }));
  await writeFile(path.join(env("CAIRN_OUTPUT_DIR"), ENCODING_ARTIFACT), JSON.stringify(spec, null, 2));
  await writeFile(
    path.join(env("CAIRN_OUTPUT_DIR"), "model.json"),
    JSON.stringify(
      {
        trainer,
        task: result.model.task,
        target,
        features: result.model.features,
        params: result.model.params,
        bestRound: result.bestRound ?? null,
        // The evaluation report shows it beside permutation importance.
        gainImportance: result.model instanceof GbdtModel ? result.model.gainImportance() : null,
      },
      null,
      2,
    ),
  );
  console.log("wrote model.onnx");
  await closeDb();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
