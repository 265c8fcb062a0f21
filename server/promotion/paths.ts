/** The model and version a REST path names: `/models/{name}/versions/{number}`, scoped to the project. */
import { notFound } from "../errors";
import { getModelByName, getModelVersionByNumber } from "../registry/lookup";
import { ZModelName } from "../registry/names";

export async function modelFromPath(projectId: string, name: string) {
  // A segment that is no model name names no model; it never reaches a query.
  if (!ZModelName.safeParse(name).success) throw notFound("Model");
  return getModelByName(projectId, name);
}

export async function versionFromPath(projectId: string, name: string, number: string) {
  const model = await modelFromPath(projectId, name);
  const n = /^[1-9][0-9]{0,8}$/.test(number) ? Number(number) : NaN;
  if (!Number.isSafeInteger(n)) throw notFound("Model version");
  return { model, version: await getModelVersionByNumber(projectId, model.id, n) };
}
