import { defineConsumer, runTrainingFinished } from "../events/definitions";
import { ZTrainingSpec } from "../training/schemas";
import { queueEvaluation } from "./reports";

/** A finished training run whose spec asks for it is evaluated on the test split of the version it was trained on. */
export const EVALUATION_CONSUMERS = [
  defineConsumer(runTrainingFinished, "evaluation.after-training", async (tx, { runId, datasetVersionId }, meta) => {
    const run = await tx.run.findFirst({ where: { id: runId, projectId: meta.projectId }, select: { spec: true } });
    const spec = ZTrainingSpec.safeParse(run?.spec);
    if (!run || !spec.success || !spec.data.evaluate) return;
    await queueEvaluation(tx, {
      projectId: meta.projectId,
      runId,
      versionId: datasetVersionId,
      split: "test",
      options: { sliceColumn: spec.data.sliceColumn ?? null, sensitiveColumn: spec.data.sensitiveColumn ?? null, threshold: 0.5 },
    });
  }),
];
