import { datasetVersionCreated, defineConsumer, deploymentCreated } from "../events/definitions";
import { enqueue } from "../jobs/boss";
import { driftCompute } from "../jobs/definitions";
import { createDefaultMonitor } from "./monitors";

/**
 * A new dataset version queues the drift job of every enabled monitor whose window is that dataset
 * (batch scoring), in the delivery's transaction: the outbox delivers the event to this consumer once,
 * and the job writes one report per version however often it runs (exported for the redelivery test).
 */
export const datasetWindowConsumer = defineConsumer(datasetVersionCreated, "monitoring.dataset-window", async (tx, { versionId, datasetId }, meta) => {
  const monitors = await tx.monitor.findMany({
    where: { projectId: meta.projectId, enabled: true, AND: [{ window: { path: ["kind"], equals: "dataset" } }, { window: { path: ["datasetId"], equals: datasetId } }] },
    select: { id: true },
  });
  for (const m of monitors) await enqueue(driftCompute, { monitorId: m.id, windowEnd: new Date().toISOString(), partial: false, datasetVersionId: versionId }, { tx });
});

/** Every deployment gets a monitor with defaults (reference = training data, hourly windows, calibrated mode). */
export const MONITORING_CONSUMERS = [
  defineConsumer(deploymentCreated, "monitoring.default-monitor", async (tx, { deploymentId }, meta) => {
    const deployment = await tx.deployment.findFirst({ where: { id: deploymentId, projectId: meta.projectId }, select: { id: true, projectId: true, name: true } });
    // Deleted before the event was delivered: nothing to watch.
    if (deployment) await createDefaultMonitor(tx, deployment);
  }),
  datasetWindowConsumer,
];
