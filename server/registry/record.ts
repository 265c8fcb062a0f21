/**
 * The one place a model version row is written: under a row lock on its model, so numbers are
 * max+1 without gaps or duplicates however many registrations race, and the same bytes registered
 * twice give back the first version (unique modelId+sha256) instead of a second row.
 */
import type { Tx } from "../db";
import { AppError } from "../errors";
import { recordAudit, type Actor } from "../audit/audit";
import { emitEvent } from "../events/outbox";
import { modelVersionRegistered } from "../events/definitions";
import { addEdge } from "../lineage/lineage";
import { toJsonValue } from "../lib/stored-json";
import type { ModelFacts } from "./evidence";
import type { ModelTask } from "./names";
import type { Lineage, MetricsSnapshot } from "./schemas";

export interface VersionContent {
  facts: ModelFacts;
  sha256: string;
  sizeBytes: number;
  metrics: MetricsSnapshot | null;
  lineage: Lineage;
  runId: string | null;
  description: string;
}

interface Who {
  projectId: string;
  orgId: string;
  actor: Actor;
  /** Who the version is by (separation of duties compares it): the acting user, or the run's author for automatic registration. */
  createdById: string;
}

/** Finds the model by name, creating it with `task` when `create` allows; locks its row until the transaction ends. */
export async function lockModelForRegistration(tx: Tx, who: Who, name: string, task: ModelTask, create: boolean) {
  let model = await tx.registeredModel.findUnique({ where: { projectId_name: { projectId: who.projectId, name } } });
  if (!model && create) {
    // Two first registrations at once: one inserts, the other finds its row (ON CONFLICT DO NOTHING).
    const inserted = await tx.registeredModel.createManyAndReturn({ data: [{ projectId: who.projectId, name, task, ownerId: who.actor.type === "user" ? who.actor.id : null }], skipDuplicates: true });
    if (inserted[0]) {
      await recordAudit(tx, { orgId: who.orgId, projectId: who.projectId, actor: who.actor, action: "model.create", target: { type: "model", id: inserted[0].id, label: name }, after: { task } });
    }
    model = await tx.registeredModel.findUniqueOrThrow({ where: { projectId_name: { projectId: who.projectId, name } } });
  }
  if (!model) throw new AppError("NOT_FOUND", `Model ${name} not found`);
  await tx.$queryRaw`SELECT id FROM "RegisteredModel" WHERE id = ${model.id} FOR UPDATE`;
  return model;
}

/** Writes the version (or returns the existing one of the same bytes) with its lineage edge, event and audit. */
export async function recordVersion(tx: Tx, who: Who, modelName: string, content: VersionContent, opts: { createModel: boolean }) {
  const model = await lockModelForRegistration(tx, who, modelName, content.facts.task, opts.createModel);
  const existing = await tx.modelVersion.findUnique({ where: { modelId_sha256: { modelId: model.id, sha256: content.sha256 } } });
  if (existing) return { created: false, version: existing };
  if (model.task !== content.facts.task) {
    throw new AppError("BAD_REQUEST", `Model ${model.name} is a ${model.task} model; this file is a ${content.facts.task} model. Register it under another model name.`);
  }
  const last = await tx.modelVersion.aggregate({ where: { modelId: model.id }, _max: { number: true } });
  const number = (last._max.number ?? 0) + 1;
  const version = await tx.modelVersion.create({
    data: {
      projectId: who.projectId,
      modelId: model.id,
      number,
      sha256: content.sha256,
      sizeBytes: BigInt(content.sizeBytes),
      task: content.facts.task,
      signature: toJsonValue(content.facts.signature),
      encoding: content.facts.encoding ? toJsonValue(content.facts.encoding) : undefined,
      metrics: content.metrics ? toJsonValue(content.metrics) : undefined,
      lineage: toJsonValue(content.lineage),
      runId: content.runId,
      description: content.description,
      createdById: who.createdById,
    },
  });
  // The edge makes "what descends from this data" reach the version, and keeps the run (FOR KEY SHARE) from being deleted under it.
  if (content.runId) await addEdge(tx, { projectId: who.projectId, from: { kind: "model_version", id: version.id }, to: { kind: "run", id: content.runId }, relation: "produced_by" });
  const source = content.lineage.source;
  await emitEvent(tx, modelVersionRegistered, { projectId: who.projectId, payload: { modelId: model.id, versionId: version.id, number, source } });
  await recordAudit(tx, {
    orgId: who.orgId,
    projectId: who.projectId,
    actor: who.actor,
    action: "model.version.register",
    target: { type: "model_version", id: version.id, label: `${model.name} v${number}` },
    after: { sha256: content.sha256, sizeBytes: content.sizeBytes, source, ...(content.runId ? { runId: content.runId } : {}) },
  });
  return { created: true, version };
}
