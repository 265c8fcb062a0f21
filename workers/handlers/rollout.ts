import { runRolloutStep } from "../../server/deployments/rollout";
import { rolloutStep } from "../../server/jobs/definitions";
import type { Handler } from "./types";

/** One canary check; a redelivered or outdated job finds the rollout moved on and changes nothing. */
export const rolloutStepHandler: Handler = async (job) => {
  await runRolloutStep(rolloutStep.payload.parse(job.data));
};
