/**
 * The one way registry code finds a model or a version by id: scoped to the project, so another
 * tenant's id reads as NOT_FOUND (never FORBIDDEN, never its data).
 */
import { db, type Tx } from "../db";
import { notFound } from "../errors";

export async function getModelRow(projectId: string, modelId: string, tx: Tx = db()) {
  const model = await tx.registeredModel.findFirst({ where: { id: modelId, projectId } });
  if (!model) throw notFound("Model");
  return model;
}

export async function getModelVersionRow(projectId: string, versionId: string, tx: Tx = db()) {
  const version = await tx.modelVersion.findFirst({ where: { id: versionId, projectId } });
  if (!version) throw notFound("Model version");
  return version;
}

/** A model by name (REST paths use names: /models/{name}/versions/{number}). */
export async function getModelByName(projectId: string, name: string, tx: Tx = db()) {
  const model = await tx.registeredModel.findUnique({ where: { projectId_name: { projectId, name } } });
  if (!model) throw notFound("Model");
  return model;
}

export async function getModelVersionByNumber(projectId: string, modelId: string, number: number, tx: Tx = db()) {
  const version = await tx.modelVersion.findFirst({ where: { projectId, modelId, number } });
  if (!version) throw notFound("Model version");
  return version;
}
