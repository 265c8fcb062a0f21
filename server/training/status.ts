import { db } from "../db";
import { notFound } from "../errors";
import { isOrgTrainQueue, train, trainGpu } from "../jobs/definitions";
import { listWorkers } from "../fleet/workers";

/**
 * A training run's state for the UI, including why it waits when no online worker serves its queue:
 * "gpu-worker", "worker", or "org-worker" (a command of an organisation that may not use the shared
 * workers, waiting for a worker of its own pool).
 */
export async function trainingStatus(projectId: string, runId: string) {
  const run = await db().run.findFirst({ where: { id: runId, projectId } });
  if (!run) throw notFound("Run");
  const queue = run.kind === "TRAINING" ? (run.jobQueue ?? (run.resource === "gpu" ? trainGpu.name : train.name)) : null;
  let waitingFor: "gpu-worker" | "worker" | "org-worker" | null = null;
  if (run.status === "QUEUED" && queue) {
    const online = (await listWorkers(false)).filter((w) => w.state === "online" && w.queues.includes(queue));
    if (online.length === 0) waitingFor = isOrgTrainQueue(queue) ? "org-worker" : run.resource === "gpu" ? "gpu-worker" : "worker";
  }
  return { status: run.status, progress: run.progress, attempt: run.attempt, hostname: run.hostname, error: run.error, cancelRequested: run.cancelRequested, waitingFor, queue };
}
