import { datasetProfile, datasetValidate, outboxDispatch } from "../../server/jobs/definitions";
import { profileVersion } from "../../server/datasets/profile-job";
import { validateVersion } from "../../server/datasets/validate-job";
import { dispatchEvent } from "../../server/events/outbox";
import type { Handler } from "./types";

export const outboxDispatchHandler: Handler = async (job) => {
  await dispatchEvent(outboxDispatch.payload.parse(job.data).eventId);
};

export const datasetProfileHandler: Handler = async (job) => {
  const retryLimit = datasetProfile.options.retryLimit ?? 0;
  await profileVersion(datasetProfile.payload.parse(job.data).versionId, job.signal, { lastAttempt: job.retryCount >= retryLimit, attempts: job.retryCount + 1 });
};

export const datasetValidateHandler: Handler = async (job) => {
  await validateVersion(datasetValidate.payload.parse(job.data).versionId, job.signal);
};
