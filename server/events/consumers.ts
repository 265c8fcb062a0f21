import type { Tx } from "../db";
import { enqueue } from "../jobs/boss";
import { datasetProfile } from "../jobs/definitions";
import { z } from "zod";

export interface OutboxEventView {
  id: string;
  projectId: string;
  payload: unknown;
}

export interface Consumer {
  /** Stable name: deliveries are recorded per (event, consumer name). */
  name: string;
  run(tx: Tx, event: OutboxEventView): Promise<void>;
}

const ZVersionCreated = z.object({ versionId: z.string(), datasetId: z.string() });

/** Event type → consumers. Retraining triggers subscribe here. */
export const CONSUMERS: Record<string, Consumer[]> = {
  "dataset.version.created": [
    {
      name: "dataset.profile",
      run: async (tx, event) => {
        const { versionId } = ZVersionCreated.parse(event.payload);
        await enqueue(datasetProfile, { versionId }, { tx });
      },
    },
  ],
};
