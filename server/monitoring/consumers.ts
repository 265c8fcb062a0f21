import { defineConsumer, deploymentCreated } from "../events/definitions";
import { createDefaultMonitor } from "./monitors";

/** Every deployment gets a monitor with defaults (reference = training data, hourly windows, calibrated mode). */
export const MONITORING_CONSUMERS = [
  defineConsumer(deploymentCreated, "monitoring.default-monitor", async (tx, { deploymentId }, meta) => {
    const deployment = await tx.deployment.findFirst({ where: { id: deploymentId, projectId: meta.projectId }, select: { id: true, projectId: true, name: true } });
    // Deleted before the event was delivered: nothing to watch.
    if (deployment) await createDefaultMonitor(tx, deployment);
  }),
];
