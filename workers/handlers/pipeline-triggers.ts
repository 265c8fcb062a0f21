import { pipelineCronTick } from "../../server/jobs/definitions";
import { fireDueCrons } from "../../server/pipelines/triggers/cron-tick";
import type { Handler } from "./types";

/** One cron tick; a retried tick finds the fires it started keyed by their time and starts nothing twice. */
export const pipelineCronTickHandler: Handler = async (job) => {
  pipelineCronTick.payload.parse(job.data ?? {});
  await fireDueCrons(new Date());
};
