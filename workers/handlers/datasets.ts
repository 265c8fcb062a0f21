import { datasetCompare, datasetProfile, datasetValidate, outboxDispatch } from "../../server/jobs/definitions";
import { runCompare } from "../../server/datasets/compare";
import { profileVersion } from "../../server/datasets/profile-job";
import { validateVersion } from "../../server/datasets/validate-job";
import { dispatchEvent } from "../../server/events/dispatch";
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

export const datasetCompareHandler: Handler = async (job) => {
  await runCompare(datasetCompare.payload.parse(job.data).compareId, job.signal);
};
