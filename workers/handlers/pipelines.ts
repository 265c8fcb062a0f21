import { advanceRun } from "../../server/pipelines/steps/advance";
import { pipelineAdvance, pipelineRecheck } from "../../server/jobs/definitions";
import type { Handler } from "./types";

/** Moves a pipeline run on; a redelivered job finds its steps already moved and starts nothing twice. */
export const pipelineAdvanceHandler: Handler = async (job) => {
  await advanceRun(pipelineAdvance.payload.parse(job.data).runId);
};

/** A step's deadline or the safety-net look: the same advance, arriving later. */
export const pipelineRecheckHandler: Handler = async (job) => {
  await advanceRun(pipelineRecheck.payload.parse(job.data).runId);
};
