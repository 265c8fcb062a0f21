import { handlePing } from "../../server/system/ping";
import { systemPing } from "../../server/jobs/definitions";
import type { Handler } from "./types";

export const systemPingHandler: Handler = async (job, worker) => {
  const payload = systemPing.payload.parse(job.data);
  await handlePing(payload, worker, job.signal);
};
