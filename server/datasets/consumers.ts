import { enqueue } from "../jobs/boss";
import { datasetProfile, datasetValidate } from "../jobs/definitions";
import { datasetVersionCreated, datasetVersionProfiled, defineConsumer } from "../events/definitions";

/** What the datasets domain does when a version appears and when its profile is ready. */
export const DATASET_CONSUMERS = [
  defineConsumer(datasetVersionCreated, "dataset.profile", async (tx, { versionId }) => {
    await enqueue(datasetProfile, { versionId }, { tx });
  }),
  defineConsumer(datasetVersionProfiled, "dataset.validate", async (tx, { versionId }) => {
    await enqueue(datasetValidate, { versionId }, { tx });
  }),
];
