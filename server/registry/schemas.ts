/**
 * The registry's contract: inputs of its procedures and REST endpoints, the DTOs it answers with, and
 * the shapes of its stored JSON (signature, metrics snapshot, lineage), parsed on the way out.
 */
import { z } from "zod";
import { ZId } from "../lib/ids";
import { ZEncodingSpec } from "../ml/features/spec";
import { ZAliasName, ZModelName, ZModelTask } from "./names";

const ZDescription = z.string().trim().max(2000, "must be at most 2,000 characters");

// ------------------------------------------------------------------ stored JSON

const ZTensor = z.object({ name: z.string(), type: z.string(), shape: z.array(z.union([z.number(), z.string(), z.null()])) });

/** ModelVersion.signature: the graph's inputs and outputs as ONNX Runtime loads them, plus the file's own facts. */
export const ZModelSignature = z.object({
  inputs: z.array(ZTensor),
  outputs: z.array(ZTensor),
  irVersion: z.number().nullable(),
  opsets: z.record(z.string(), z.number()),
  /** The file's metadata_props, except the encoding spec (stored on its own). */
  metadata: z.record(z.string(), z.string()),
});
export type ModelSignatureDto = z.infer<typeof ZModelSignature>;

/** ModelVersion.metrics: the headline numbers of the run's evaluation on its own test split at registration. */
export const ZMetricsSnapshot = z.object({
  reportId: z.string(),
  versionId: z.string(),
  split: z.string(),
  rowCount: z.number(),
  metrics: z.record(z.string(), z.number().nullable()),
});
export type MetricsSnapshot = z.infer<typeof ZMetricsSnapshot>;

const ZDatasetRef = z.object({ versionId: z.string(), dataset: z.string(), number: z.number(), split: z.string() });

/** ModelVersion.lineage: where the bytes came from. */
export const ZLineage = z.discriminatedUnion("source", [
  z.object({
    source: z.literal("run"),
    run: z.object({ id: z.string(), number: z.number(), name: z.string(), experiment: z.object({ id: z.string(), name: z.string() }) }),
    /** The splits of the dataset version the run was trained on; null for runs logged by a client. */
    datasets: z.object({ train: ZDatasetRef, validation: ZDatasetRef, test: ZDatasetRef }).nullable(),
    code: z.object({ repo: z.string().nullable(), commit: z.string().nullable(), dirty: z.boolean().nullable() }),
    trainer: z.string().nullable(),
    target: z.string().nullable(),
    params: z.record(z.string(), z.unknown()),
    environment: z.record(z.string(), z.unknown()).nullable(),
  }),
  z.object({ source: z.literal("external"), fileName: z.string().nullable() }),
]);
export type Lineage = z.infer<typeof ZLineage>;

// ------------------------------------------------------------------ DTOs

export const ZUserRef = z.object({ id: z.string(), label: z.string() });

export const ZVersionSummaryDto = z.object({
  id: z.string(),
  number: z.number(),
  sha256: z.string(),
  createdAt: z.date(),
  archivedAt: z.date().nullable(),
  metrics: z.record(z.string(), z.number().nullable()).nullable(),
});
export type VersionSummaryDto = z.infer<typeof ZVersionSummaryDto>;

export const ZAliasDto = z.object({ name: z.string(), versionId: z.string(), number: z.number(), updatedAt: z.date() });

export const ZModelDto = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  task: ZModelTask,
  owner: ZUserRef.nullable(),
  autoRegister: z.object({ experimentId: z.string(), experiment: z.string() }).nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  versionCount: z.number(),
  champion: ZVersionSummaryDto.nullable(),
  latest: ZVersionSummaryDto.nullable(),
  aliases: z.array(ZAliasDto),
});
export type ModelDto = z.infer<typeof ZModelDto>;

export const ZModelVersionDto = z.object({
  id: z.string(),
  modelId: z.string(),
  model: z.string(),
  number: z.number(),
  sha256: z.string(),
  sizeBytes: z.number(),
  task: ZModelTask,
  signature: ZModelSignature,
  /** The encoding spec the model was trained with; null for an external file that carries none. */
  encoding: ZEncodingSpec.nullable(),
  metrics: ZMetricsSnapshot.nullable(),
  lineage: ZLineage,
  runId: z.string().nullable(),
  aliases: z.array(z.string()),
  description: z.string(),
  createdBy: ZUserRef,
  createdAt: z.date(),
  archivedAt: z.date().nullable(),
});
export type ModelVersionDto = z.infer<typeof ZModelVersionDto>;

export const ZRegisterResultDto = z.object({ created: z.boolean(), version: ZModelVersionDto });
export type RegisterResultDto = z.infer<typeof ZRegisterResultDto>;

export const ZAliasEventDto = z.object({
  id: z.string(),
  alias: z.string(),
  kind: z.string(),
  from: z.object({ id: z.string(), number: z.number().nullable() }).nullable(),
  to: z.object({ id: z.string(), number: z.number().nullable() }).nullable(),
  reason: z.string().nullable(),
  gateReportId: z.string().nullable(),
  actor: ZUserRef.nullable(),
  createdAt: z.date(),
});
export type AliasEventDto = z.infer<typeof ZAliasEventDto>;

// ------------------------------------------------------------------ inputs

const P = { projectId: ZId };
const MODEL = { ...P, modelId: ZId };
const VERSION = { ...P, versionId: ZId };

export const ZCreateModelInput = z.object({ ...P, name: ZModelName, task: ZModelTask, description: ZDescription.default("") });
export const ZUpdateModelInput = z.object({
  ...MODEL,
  description: ZDescription.optional(),
  /** A user of the organisation, or null for none. */
  ownerId: ZId.nullable().optional(),
  /** Register every finished run of this experiment automatically; null turns it off. */
  autoRegisterExperimentId: ZId.nullable().optional(),
});
/** A model by id or by name (exactly one). */
export const ZGetModelInput = z
  .object({ ...P, modelId: ZId.optional(), name: ZModelName.optional() })
  .refine((i) => (i.modelId === undefined) !== (i.name === undefined), { message: "Give either modelId or name" });
export const ZListModelsInput = z.object({ ...P, includeArchived: z.boolean().default(false) });
export const ZModelRefInput = z.object(MODEL);
export const ZListVersionsInput = z.object({ ...MODEL, includeArchived: z.boolean().default(true) });
export const ZVersionRefInput = z.object(VERSION);
export const ZRegisterFromRunInput = z.object({ ...P, modelName: ZModelName, runId: ZId, description: ZDescription.optional() });
export const ZSetAliasInput = z.object({ ...P, versionId: ZId, alias: ZAliasName });
export const ZRemoveAliasInput = z.object({ ...MODEL, alias: ZAliasName });
export const ZHistoryInput = z.object({ ...MODEL, alias: ZAliasName.optional(), limit: z.number().int().min(1).max(500).default(100) });

/** REST: POST /models. */
export const ZRestCreateModel = z.object({ name: ZModelName, task: ZModelTask, description: ZDescription.default("") });
/** REST: POST /models/{name}/versions with JSON. */
export const ZRestRegisterFromRun = z.object({ runId: ZId, description: ZDescription.optional() });
/** REST: POST /models/{name}/versions with the ONNX bytes; the query says what the file cannot. */
export const ZRestUploadQuery = z.object({
  org: z.string().max(64).optional(),
  task: ZModelTask.optional(),
  description: ZDescription.optional(),
  fileName: z.string().max(255).optional(),
});
