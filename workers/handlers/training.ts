import { evaluate, train } from "../../server/jobs/definitions";
import { runTrainingJob } from "../../server/training/job";
import { runEvaluationJob } from "../../server/evaluation/job";
import type { Handler } from "./types";

export const trainHandler: Handler = async (job, worker) => {
  await runTrainingJob(train.payload.parse(job.data).runId, worker, job.signal);
};

export const evaluateHandler: Handler = async (job) => {
  await runEvaluationJob(evaluate.payload.parse(job.data).reportId, job.signal);
};
