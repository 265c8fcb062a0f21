import { deliverAlert } from "../../server/alerts/deliver";
import { alertDeliver } from "../../server/jobs/definitions";
import type { Handler } from "./types";

/** One alert notice; a redelivered job whose notice was sent changes nothing, a failed send throws to be retried. */
export const alertDeliverHandler: Handler = async (job) => {
  await deliverAlert(alertDeliver.payload.parse(job.data).deliveryId);
};
