/**
 * The one way registry code finds a model or a version by id: scoped to the project, so another
 * tenant's id reads as NOT_FOUND (never FORBIDDEN, never its data).
 */
import { z } from "zod";
import { db, type Tx } from "../db";
import { notFound } from "../errors";
import { ZModelName } from "./names";

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

/** A version number as a REST path segment gives it (malformed → 400). */
export const ZVersionNumber = z.coerce.number().int().positive().max(2 ** 31 - 1);

/** The model behind /models/{name} (a malformed name is 400, another tenant's NOT_FOUND). */
export function modelFromPath(projectId: string, name: string) {
  return getModelByName(projectId, ZModelName.parse(name));
}

/** The model and version behind /models/{name}/versions/{number}. */
export async function versionFromPath(projectId: string, name: string, number: string) {
  const model = await modelFromPath(projectId, name);
  const version = await getModelVersionByNumber(projectId, model.id, ZVersionNumber.parse(number));
  return { model, version };
}
