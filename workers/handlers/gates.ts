import { gateEvaluate } from "../../server/jobs/definitions";
import { runGateJob } from "../../server/gates/evaluate";
import type { Handler } from "./types";

/** Writes one gate report; a redelivered job finds it DONE or FAILED and does nothing. */
export const gateEvaluateHandler: Handler = async (job) => {
  const lastAttempt = job.retryCount >= (gateEvaluate.options.retryLimit ?? 0);
  await runGateJob(gateEvaluate.payload.parse(job.data).reportId, { signal: job.signal, lastAttempt });
};
