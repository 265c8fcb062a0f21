import { db } from "../db";
import { notFound } from "../errors";
import { train, trainGpu } from "../jobs/definitions";
import { listWorkers } from "../fleet/workers";

/** A training run's state for the UI, including "waiting for a GPU worker" when no online worker serves its queue. */
export async function trainingStatus(projectId: string, runId: string) {
  const run = await db().run.findFirst({ where: { id: runId, projectId } });
  if (!run) throw notFound("Run");
  const queue = run.kind === "TRAINING" ? (run.resource === "gpu" ? trainGpu.name : train.name) : null;
  let waitingFor: "gpu-worker" | "worker" | null = null;
  if (run.status === "QUEUED" && queue) {
    const online = (await listWorkers(false)).filter((w) => w.state === "online" && w.queues.includes(queue));
    if (online.length === 0) waitingFor = run.resource === "gpu" ? "gpu-worker" : "worker";
  }
  return { status: run.status, progress: run.progress, attempt: run.attempt, hostname: run.hostname, error: run.error, cancelRequested: run.cancelRequested, waitingFor, queue };
}
