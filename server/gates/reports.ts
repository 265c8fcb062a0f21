/** Reading gate reports (project-scoped; another tenant's report is NOT_FOUND). */
import { db, type Prisma } from "../db";
import { notFound } from "../errors";
import { readStored } from "../lib/stored-json";
import { getModelVersionRow } from "../registry/lookup";
import { ZGateReportJson, type GateReportDto, type GateReportFullDto } from "./schemas";

const include = { policy: { select: { revision: true } }, version: { select: { number: true } } } as const;
type Row = Prisma.GateReportGetPayload<{ include: typeof include }>;

function toDto(r: Row): GateReportDto {
  return {
    id: r.id,
    modelId: r.modelId,
    versionId: r.versionId,
    versionNumber: r.version.number,
    policyRevisionId: r.policyRevisionId,
    policyRevision: r.policy.revision,
    championVersionId: r.championVersionId,
    status: r.status,
    passed: r.passed,
    sha256: r.sha256,
    error: r.error,
    createdAt: r.createdAt,
    completedAt: r.completedAt,
  };
}

const full = (r: Row): GateReportFullDto => ({ ...toDto(r), report: r.report === null ? null : readStored(ZGateReportJson, r.report, `gate report ${r.id}`) });

/** A version's gate reports, newest first. */
export async function listReports(args: { projectId: string; versionId: string; limit?: number }): Promise<GateReportDto[]> {
  const version = await getModelVersionRow(args.projectId, args.versionId);
  const rows = await db().gateReport.findMany({ where: { versionId: version.id, projectId: args.projectId }, include, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: args.limit ?? 20 });
  return rows.map(toDto);
}

/** One gate report with its full evidence. */
export async function getReport(args: { projectId: string; reportId: string }): Promise<GateReportFullDto> {
  const row = await db().gateReport.findFirst({ where: { id: args.reportId, projectId: args.projectId }, include });
  if (!row) throw notFound("Gate report");
  return full(row);
}

/** The newest gate report of a version with its evidence, or null when it was never gated. */
export async function latestReport(args: { projectId: string; versionId: string }): Promise<GateReportFullDto | null> {
  const version = await getModelVersionRow(args.projectId, args.versionId);
  const row = await db().gateReport.findFirst({ where: { versionId: version.id, projectId: args.projectId }, include, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  return row ? full(row) : null;
}
