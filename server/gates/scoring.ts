/** Loading what a gate or a comparison scores: a version's data roles, the rows of a split, a scorer through the version's own encoding spec. */
import { z } from "zod";
import { db, type Prisma } from "../db";
import { AppError } from "../errors";
import { readStored } from "../lib/stored-json";
import { readSplit } from "../datasets/splits";
import { getVersionRow } from "../datasets/versions";
import { createScorer, type Scorer } from "../evaluation/score";
import { readArtifactBytes } from "../evaluation/encoding";
import { ZEncodingSpec, type Cell, type EncodingSpec } from "../ml/features";
import type { GroupValue } from "../ml/metrics";
import { ZTrainingSpec } from "../training/schemas";
import type { DataRoles } from "./model-checks";

export type VersionRow = Prisma.ModelVersionGetPayload<object>;

// A dataset reference in a version's lineage: an id, or an object carrying one.
const ZDatasetRef = z.union([z.string(), z.looseObject({ id: z.string() }), z.looseObject({ versionId: z.string() })]).nullish();
const ZLineageDatasets = z.looseObject({ datasets: z.looseObject({ train: ZDatasetRef, validation: ZDatasetRef, test: ZDatasetRef }).partial().nullish() });
function refId(r: z.infer<typeof ZDatasetRef>): string | null {
  if (r === null || r === undefined) return null;
  if (typeof r === "string") return r;
  const id = (r as { id?: unknown }).id ?? (r as { versionId?: unknown }).versionId;
  return typeof id === "string" ? id : null;
}

/** The dataset versions a version was trained, validated and tested on: its lineage, else its run's training version. */
export async function dataRolesOf(version: VersionRow): Promise<DataRoles> {
  const lineage = ZLineageDatasets.safeParse(version.lineage);
  const ds = lineage.success ? lineage.data.datasets : null;
  let trained: string | null = null;
  if (version.runId) {
    const run = await db().run.findFirst({ where: { id: version.runId, projectId: version.projectId }, select: { spec: true } });
    const spec = ZTrainingSpec.safeParse(run?.spec);
    trained = spec.success ? spec.data.datasetVersionId : null;
  }
  const roles: DataRoles = [];
  for (const role of ["train", "validation", "test"] as const) {
    const id = refId(ds?.[role]) ?? trained;
    if (id) roles.push({ role, versionId: id });
  }
  return roles;
}

export function specOf(version: VersionRow): EncodingSpec {
  if (version.encoding === null) throw new AppError("PRECONDITION_FAILED", `Version ${version.number} has no stored encoding spec, so its inputs cannot be built from table rows`);
  const spec = readStored(ZEncodingSpec, version.encoding, `encoding spec of model version ${version.number}`);
  if (!spec.target) throw new AppError("PRECONDITION_FAILED", `Version ${version.number}'s encoding spec names no target column`);
  return spec;
}

export async function scorerOf(version: VersionRow, task: "regression" | "binary"): Promise<Scorer & { spec: EncodingSpec }> {
  return createScorer(await readArtifactBytes(version.sha256), { spec: specOf(version), task });
}

export const cellText = (v: Cell): GroupValue => (v === undefined || v === null ? null : v instanceof Date ? v.toISOString() : v);

/** The rows of one split of the dataset version a model version's lineage names for that role. */
export async function loadRows(projectId: string, version: VersionRow, roles: DataRoles, split: "train" | "validation" | "test", signal?: AbortSignal) {
  const rowsVersionId = roles.find((r) => r.role === split)?.versionId;
  if (!rowsVersionId) throw new AppError("PRECONDITION_FAILED", `Version ${version.number} has no ${split} dataset version in its lineage to score`);
  const dataVersion = await getVersionRow(projectId, rowsVersionId);
  const dataset = await db().dataset.findUniqueOrThrow({ where: { id: dataVersion.datasetId }, select: { slug: true } });
  const rows: Record<string, Cell>[] = [];
  await readSplit(dataVersion, split, (batch, columns) => void batch.forEach((r) => rows.push(Object.fromEntries(columns.map((c, i) => [c, r[i] as Cell])))), signal);
  return { dataVersion, dataset, rows };
}
