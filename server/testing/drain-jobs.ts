/**
 * Runs queued jobs in this test process through the worker's own handlers (workers/handlers), until
 * no queue has work left: a chain of events and jobs is exercised as the worker would run it, without
 * waiting for a worker process's polling.
 */
import { getBoss } from "../jobs/boss";
import { JOBS } from "../jobs/definitions";
import { HANDLERS } from "../../workers/handlers";
import type { WorkerInfo } from "../../workers/handlers/types";

const WORKER: WorkerInfo = { id: "test-drain", hostname: "test-host", gpus: [], cpuCount: 1, version: "test" };

/** Returns the queue names of the jobs it ran, in order. */
export async function drainJobs(maxJobs = 100): Promise<string[]> {
  const boss = await getBoss();
  const ran: string[] = [];
  for (let progress = true; progress; ) {
    progress = false;
    for (const job of JOBS) {
      const [next] = await boss.fetch<unknown>(job.name, { batchSize: 1 });
      if (!next) continue;
      if (ran.length >= maxJobs) throw new Error(`drainJobs: more than ${maxJobs} jobs (a job that enqueues itself?)`);
      await HANDLERS[job.name]!(next, WORKER);
      await boss.complete(job.name, next.id);
      ran.push(job.name);
      progress = true;
    }
  }
  return ran;
}
