import { db } from "../db";
import { AppError, notFound } from "../errors";
import { ZSchemaChange, ZSplitConfig, ZStoredProfile, ZTransform, ZValidationReportDto, ZExpectationResult, type SplitConfig, type StoredProfile, type VersionDto } from "./schemas";
import { readStored } from "../lib/stored-json";
import { z } from "zod";
import { featureAdvice } from "../ml/feature-advice";
import { exactHistogram } from "../ml/psi";

type VersionRow = {
  id: string;
  datasetId: string;
  number: number;
  sha256: string;
  sizeBytes: bigint;
  format: "CSV" | "JSONL" | "PARQUET";
  fileName: string;
  encoding: string | null;
  delimiter: string | null;
  columns: string[];
  rowCount: number | null;
  profileStatus: "PENDING" | "READY" | "FAILED";
  profileError: string | null;
  validation: "PENDING" | "PASSED" | "FAILED" | "NO_CONTRACT";
  split: unknown;
  splitCounts: unknown;
  transform: unknown;
  schemaChange: unknown;
  createdBy: string;
  createdAt: Date;
};

/** Parents of each version, from the lineage graph. */
async function parentsOf(versionIds: string[]) {
  if (versionIds.length === 0) return new Map<string, VersionDto["parents"]>();
  const edges = await db().lineageEdge.findMany({
    where: { fromKind: "dataset_version", fromId: { in: versionIds }, toKind: "dataset_version", relation: "derived_from" },
  });
  const parents = await db().datasetVersion.findMany({
    where: { id: { in: edges.map((e) => e.toId) } },
    select: { id: true, datasetId: true, number: true, dataset: { select: { slug: true } } },
  });
  const byId = new Map(parents.map((p) => [p.id, { id: p.id, datasetId: p.datasetId, datasetSlug: p.dataset.slug, number: p.number }]));
  const out = new Map<string, VersionDto["parents"]>();
  for (const e of edges) {
    const p = byId.get(e.toId);
    if (p) out.set(e.fromId, [...(out.get(e.fromId) ?? []), p]);
  }
  return out;
}

export function toVersionDto(v: VersionRow, parents: VersionDto["parents"] = []): VersionDto {
  return {
    id: v.id,
    datasetId: v.datasetId,
    number: v.number,
    sha256: v.sha256,
    sizeBytes: Number(v.sizeBytes),
    format: v.format,
    fileName: v.fileName,
    encoding: v.encoding,
    delimiter: v.delimiter,
    columns: v.columns,
    rowCount: v.rowCount,
    profileStatus: v.profileStatus,
    profileError: v.profileError,
    validation: v.validation,
    split: storedSplit(v),
    splitCounts: readStored(z.record(z.string(), z.number()).nullable(), v.splitCounts ?? null, `split counts of dataset version ${v.id}`),
    transform: readStored(ZTransform.nullable(), v.transform ?? null, `transform of dataset version ${v.id}`),
    schemaChange: readStored(ZSchemaChange.nullable(), v.schemaChange ?? null, `schema change of dataset version ${v.id}`),
    parents,
    createdBy: v.createdBy,
    createdAt: v.createdAt,
  };
}

/** One version's DTO with its parents, read from the lineage graph. */
export async function versionWithParents(row: VersionRow): Promise<VersionDto> {
  return toVersionDto(row, (await parentsOf([row.id])).get(row.id));
}

export async function listVersions(projectId: string, datasetId: string): Promise<VersionDto[]> {
  const rows = await db().datasetVersion.findMany({ where: { projectId, datasetId }, orderBy: { number: "desc" }, take: 500 });
  const parents = await parentsOf(rows.map((r) => r.id));
  return rows.map((r) => toVersionDto(r, parents.get(r.id)));
}

export async function getVersionRow(projectId: string, versionId: string) {
  const row = await db().datasetVersion.findFirst({ where: { id: versionId, projectId } });
  if (!row) throw notFound("Dataset version");
  return row;
}

/** The split a version was assigned with (its rows are read back with the same one). */
export function storedSplit(row: { id: string; split: unknown }): SplitConfig {
  return readStored(ZSplitConfig, row.split, `split of dataset version ${row.id}`);
}

/** A version's stored profile read through its schema; null while it has none. */
export function storedProfile(row: { id: string; profile: unknown }): StoredProfile | null {
  return row.profile === null || row.profile === undefined ? null : readStored(ZStoredProfile, row.profile, `profile of dataset version ${row.id}`);
}

/** A version with its profile and the report of the newest contract revision it was checked against. */
export async function getVersionDetail(projectId: string, versionId: string) {
  const row = await getVersionRow(projectId, versionId);
  const [parents, report] = await Promise.all([
    parentsOf([row.id]),
    db().validationReport.findFirst({ where: { versionId: row.id }, orderBy: { contractRevision: "desc" } }),
  ]);
  const profile = storedProfile(row);
  return {
    ...toVersionDto(row, parents.get(row.id)),
    profile,
    featureAdvice: featureAdvice(profile?.columns ?? []),
    exactHistograms: Object.fromEntries(
      (profile?.columns ?? []).flatMap((c) => {
        const bars = c.type === "datetime" ? null : exactHistogram(c.psiReference);
        return bars ? [[c.name, bars]] : [];
      }),
    ),
    report: report
      ? ZValidationReportDto.parse({
          id: report.id,
          contractRevision: report.contractRevision,
          passed: report.passed,
          results: readStored(z.array(ZExpectationResult), report.results, `validation results of report ${report.id}`),
          createdAt: report.createdAt,
        })
      : null,
  };
}

/**
 * Refuses a version that later steps must not use: failed validation (unless the caller explicitly
 * overrides it, which the caller records), or not yet profiled. Pipelines, training and evaluation
 * call this before reading data.
 */
export async function assertUsableVersion(projectId: string, versionId: string, options: { allowFailedValidation?: boolean } = {}) {
  const row = await getVersionRow(projectId, versionId);
  if (row.validation === "FAILED" && !options.allowFailedValidation) {
    throw new AppError("PRECONDITION_FAILED", `Dataset version ${row.number} failed validation against its data contract and cannot be used (pass allowFailedValidation: true to use it anyway; the override is recorded)`);
  }
  if (row.profileStatus !== "READY" || row.validation === "PENDING") {
    throw new AppError("PRECONDITION_FAILED", `Dataset version ${row.number} is still being profiled and validated`);
  }
  return row;
}
