import { datasetVersionCreated, defineConsumer } from "../../events/definitions";
import { pipelinesTriggeredBy } from "./matching";
import { startEach } from "./start";

/**
 * A new dataset version starts every live pipeline of its project whose triggers name the dataset
 * (`- dataset: <slug>`). The run's key is the version: a redelivered event finds the runs started and
 * starts nothing twice. Runs start in their own transactions (startPipelineRun), so the engine's
 * jobs are committed whatever becomes of this delivery.
 */
export const PIPELINE_TRIGGER_CONSUMERS = [
  defineConsumer(datasetVersionCreated, "pipelines.dataset-trigger", async (tx, { versionId, datasetId, number }, meta) => {
    const dataset = await tx.dataset.findFirst({ where: { id: datasetId, projectId: meta.projectId }, select: { slug: true } });
    if (!dataset) return;
    const pipelines = await pipelinesTriggeredBy(meta.projectId, (t) => "dataset" in t && t.dataset === dataset.slug, tx);
    await startEach(pipelines, {
      trigger: "dataset",
      triggerInfo: { datasetVersionId: versionId, dataset: dataset.slug, version: number },
      idempotencyKey: `dataset:${versionId}`,
      actor: { type: "system", id: null, label: `dataset ${dataset.slug} v${number}` },
    });
  }),
];
