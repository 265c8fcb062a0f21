import { batchScore } from "../../server/jobs/definitions";
import { runBatchScoringJob } from "../../server/batch/job";
import type { Handler } from "./types";

/** Writes one batch scoring's derived version; a redelivered job finds it DONE or FAILED and does nothing. */
export const batchScoreHandler: Handler = async (job) => {
  const lastAttempt = job.retryCount >= (batchScore.options.retryLimit ?? 0);
  await runBatchScoringJob(batchScore.payload.parse(job.data).jobId, { signal: job.signal, lastAttempt });
};
