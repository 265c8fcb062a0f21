import { defineConsumer, runTrainingFinished } from "../events/definitions";
import { readStored } from "../lib/stored-json";
import { ZTrainingSpec } from "../training/schemas";
import { queueEvaluation } from "./reports";

/** A finished training run whose spec asks for it is evaluated on the test split of the version it was trained on. */
export const EVALUATION_CONSUMERS = [
  defineConsumer(runTrainingFinished, "evaluation.after-training", async (tx, { runId, datasetVersionId }, meta) => {
    const run = await tx.run.findFirst({ where: { id: runId, projectId: meta.projectId }, select: { spec: true } });
    if (!run) return;
    // A spec that no longer parses fails the delivery (and shows in the job) rather than silently skipping evaluation.
    const spec = readStored(ZTrainingSpec, run.spec, `training spec of run ${runId}`);
    if (!spec.evaluate) return;
    await queueEvaluation(tx, {
      projectId: meta.projectId,
      runId,
      versionId: datasetVersionId,
      split: "test",
      // A run trained on a version that failed its contract (by explicit override) is evaluated on it under the same override.
      options: { sliceColumn: spec.sliceColumn ?? null, sensitiveColumn: spec.sensitiveColumn ?? null, threshold: 0.5, ...(spec.allowFailedValidation ? { allowFailedValidation: true } : {}) },
    });
  }),
];
