/** Test builders for the model registry: a real trained run with a model, and small real ONNX files. */
import { linearToOnnx } from "../ml/onnx/linear";
import { deliveriesCsv } from "../ml/synthetic/deliveries";
import { projectWithVersion } from "./datasets";
import { drainJobs } from "./drain-jobs";

/**
 * A project whose run trained a small GBDT on synthetic deliveries and was evaluated on its test
 * split, through the worker's own handlers (train → event → evaluate).
 */
export async function projectWithTrainedRun(opts: { rows?: number; experiment?: string; rounds?: number } = {}) {
  const setup = await projectWithVersion(deliveriesCsv(opts.rows ?? 400));
  await drainJobs();
  const run = await trainRun(setup.caller, setup.project.id, setup.version.id, { experiment: opts.experiment, rounds: opts.rounds });
  return { ...setup, run };
}

type Caller = Awaited<ReturnType<typeof projectWithVersion>>["caller"];

/** Trains (and evaluates) one more GBDT run on `versionId`; different `rounds` give different bytes. */
export async function trainRun(caller: Caller, projectId: string, versionId: string, opts: { experiment?: string; rounds?: number } = {}) {
  const run = await caller.training.start({
    projectId,
    datasetVersionId: versionId,
    target: "minutes",
    exclude: ["delivery_id"],
    trainer: "gbdt",
    params: { rounds: opts.rounds ?? 15, maxDepth: 3 },
    experiment: opts.experiment ?? "Training",
  });
  await drainJobs();
  return run;
}

/** A real one-feature linear ONNX model; each `intercept` gives different bytes. */
export function linearModel(intercept: number, opts: { task?: "regression" | "binary"; metadata?: Record<string, string> } = {}): Buffer {
  return Buffer.from(
    linearToOnnx({
      task: opts.task ?? "regression",
      trainer: "external",
      features: [{ name: "x", kind: "numeric" }],
      params: {},
      intercept,
      numeric: [{ mean: 0, weight: 2 }],
      categorical: [],
      metadata: opts.metadata,
    }),
  );
}
