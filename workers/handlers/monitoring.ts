import { driftCompute, driftTick } from "../../server/jobs/definitions";
import { runDriftJob } from "../../server/monitoring/drift-job";
import { queueDueMonitors } from "../../server/monitoring/tick";
import type { Handler } from "./types";

/** One monitor run; a redelivered job finds its reports written (unique per window) and writes and alerts nothing twice. */
export const driftComputeHandler: Handler = async (job) => {
  const payload = driftCompute.payload.parse(job.data);
  await runDriftJob({ monitorId: payload.monitorId, windowEnd: new Date(payload.windowEnd), partial: payload.partial, datasetVersionId: payload.datasetVersionId ?? null });
};

/** Queues the monitors whose schedule is due. */
export const driftTickHandler: Handler = async (job) => {
  driftTick.payload.parse(job.data ?? {});
  await queueDueMonitors(new Date());
};
