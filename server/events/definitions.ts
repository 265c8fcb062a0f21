import { z } from "zod";
import type { Tx } from "../db";

/**
 * A domain event: a stable name and the zod schema of its payload. Emitters and consumers share the
 * definition, so a payload is checked when it is written and again when it is read back.
 */
export interface EventDefinition<P extends z.ZodType> {
  /** Stored in OutboxEvent.type; a payload change that old consumers cannot read gets a new name. */
  name: string;
  payload: P;
}

function defineEvent<P extends z.ZodType>(name: string, payload: P): EventDefinition<P> {
  return { name, payload };
}

export type EventPayload<E> = E extends EventDefinition<infer P> ? z.output<P> : never;
export type EventInput<E> = E extends EventDefinition<infer P> ? z.input<P> : never;

/** A dataset version's bytes are stored; its profile is not computed yet. */
export const datasetVersionCreated = defineEvent(
  "dataset.version.created",
  z.object({ versionId: z.string().min(1), datasetId: z.string().min(1), number: z.number().int().positive() }),
);

/** A dataset version's profile is READY (emitted once per version, by the profile job that wrote it). */
export const datasetVersionProfiled = defineEvent("dataset.version.profiled", z.object({ versionId: z.string().min(1), datasetId: z.string().min(1) }));

/** A training run ended FINISHED with its model stored; `datasetVersionId` is the version it was trained on. */
export const runTrainingFinished = defineEvent("run.training.finished", z.object({ runId: z.string().min(1), datasetVersionId: z.string().min(1) }));

/** An evaluation report is DONE (its metrics stored); `versionId` is the dataset version it scored. */
export const evaluationReportDone = defineEvent(
  "evaluation.report.done",
  z.object({ reportId: z.string().min(1), runId: z.string().min(1), versionId: z.string().min(1), split: z.string().min(1) }),
);

/** A model version was registered (from a run or an uploaded ONNX file). */
export const modelVersionRegistered = defineEvent(
  "model.version.registered",
  z.object({ modelId: z.string().min(1), versionId: z.string().min(1), number: z.number().int().positive(), source: z.enum(["run", "external"]) }),
);

/** A gate report finished (DONE with an overall outcome, or FAILED with passed = null). */
export const gateReportCompleted = defineEvent(
  "gate.report.completed",
  z.object({ modelId: z.string().min(1), versionId: z.string().min(1), reportId: z.string().min(1), policyRevisionId: z.string().min(1), passed: z.boolean().nullable() }),
);

/** A reviewer approved or rejected a model version (bound to one gate report). */
export const modelVersionApproved = defineEvent(
  "model.version.approved",
  z.object({ modelId: z.string().min(1), versionId: z.string().min(1), approvalId: z.string().min(1), decision: z.enum(["APPROVE", "REJECT"]) }),
);

/** An alias (champion, challenger, ...) moved; `kind` says how (promote, rollback, override, set, remove). */
export const modelAliasMoved = defineEvent(
  "model.alias.moved",
  z.object({
    modelId: z.string().min(1),
    alias: z.string().min(1),
    fromVersionId: z.string().min(1).nullable(),
    toVersionId: z.string().min(1).nullable(),
    kind: z.enum(["set", "promote", "override", "rollback", "remove"]),
  }),
);

/** A deployment was created (its monitor is created with defaults by server/monitoring/consumers.ts). */
export const deploymentCreated = defineEvent("deployment.created", z.object({ deploymentId: z.string().min(1), name: z.string().min(1) }));

/** Every event kind, for tools that list them (catch-up subscribers, documentation). */
export const EVENTS = [datasetVersionCreated, datasetVersionProfiled, runTrainingFinished, evaluationReportDone, modelVersionRegistered, gateReportCompleted, modelVersionApproved, modelAliasMoved, deploymentCreated] as const;
export type AnyEvent = (typeof EVENTS)[number];

export interface EventMeta {
  eventId: string;
  projectId: string;
}

/**
 * Reacts to one event inside the transaction that records its delivery, so the reaction and
 * "delivered to this consumer" commit together (exactly once per consumer).
 */
export interface Consumer<E extends EventDefinition<z.ZodType> = EventDefinition<z.ZodType>> {
  /** Stable name: deliveries are recorded per (event, consumer name); renaming one delivers old events again. */
  name: string;
  event: E;
  run(tx: Tx, payload: EventPayload<E>, meta: EventMeta): Promise<void>;
}

/** Types a consumer by its event; the payload it receives has been parsed with the event's schema. */
export function defineConsumer<E extends EventDefinition<z.ZodType>>(event: E, name: string, run: Consumer<E>["run"]): Consumer<E> {
  return { name, event, run };
}
