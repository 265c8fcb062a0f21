/** Reading a monitor's reports (charts, one report with its histograms), queuing a run now, and an incident's chain. */
import { db } from "../db";
import { notFound } from "../errors";
import type { MonitorReport } from "../generated/prisma/client";
import { enqueue } from "../jobs/boss";
import { driftCompute } from "../jobs/definitions";
import { monitorRow } from "./monitors";
import { ZFeatureResult, ZHistogramDto, type ChainDto, type MonitorReportDto, type ReportDetailDto } from "./schemas";
import { z } from "zod";
import { ZStepOutputs } from "../pipelines/schemas";

const ZFeatures = z.array(ZFeatureResult);
const ZHistograms = z.array(ZHistogramDto);

function figuresOf(value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  // Histograms are served by `report` only: the time series stays small.
  const { histograms: _omitted, ...rest } = value as Record<string, unknown>;
  return rest;
}

export function toReportDto(row: MonitorReport): MonitorReportDto {
  return {
    id: row.id,
    monitorId: row.monitorId,
    kind: row.kind === "concept" || row.kind === "serving" ? row.kind : "data",
    windowStart: row.windowStart,
    windowEnd: row.windowEnd,
    rows: row.rows,
    features: ZFeatures.parse(row.features),
    datasetDriftShare: row.datasetDriftShare,
    predictionDrift: row.predictionDrift === null ? null : ZFeatureResult.parse(row.predictionDrift),
    figures: figuresOf(row.figures),
    verdict: row.verdict === "drifted" || row.verdict === "ok" ? row.verdict : "insufficient",
    note: row.note,
    createdAt: row.createdAt,
  };
}

/** The monitor's reports of one kind, oldest first (a time series for charts), the newest `limit`. */
export async function listReports(args: { projectId: string; name: string; kind: MonitorReportDto["kind"]; limit: number }): Promise<MonitorReportDto[]> {
  const monitor = await monitorRow(args.projectId, args.name);
  const rows = await db().monitorReport.findMany({ where: { monitorId: monitor.id, kind: args.kind }, orderBy: { windowStart: "desc" }, take: args.limit });
  return rows.reverse().map(toReportDto);
}

/** One report with the reference vs current histogram (shares per PSI bin) of each feature. */
export async function getReport(args: { projectId: string; name: string; reportId: string }): Promise<ReportDetailDto> {
  const monitor = await monitorRow(args.projectId, args.name);
  const row = await db().monitorReport.findFirst({ where: { id: args.reportId, monitorId: monitor.id } });
  if (!row) throw notFound("Report");
  const stored = (row.figures as { histograms?: unknown } | null)?.histograms;
  return { ...toReportDto(row), histograms: stored === undefined ? [] : ZHistograms.parse(stored) };
}

/** Queues a drift job for the window containing now (a partial window, recomputed by later runs until it closes). */
export async function runMonitorNow(args: { projectId: string; name: string; now?: Date }): Promise<{ queued: boolean }> {
  const monitor = await monitorRow(args.projectId, args.name);
  await enqueue(driftCompute, { monitorId: monitor.id, windowEnd: (args.now ?? new Date()).toISOString(), partial: true });
  return { queued: true };
}

/** The model version, gate report and deployment a run's steps produced (the last of each), for the chain's links. */
export function producedBy(steps: { outputs: unknown }[]): Pick<ChainDto["runs"][number], "modelVersion" | "gate" | "deployment"> {
  const out: Pick<ChainDto["runs"][number], "modelVersion" | "gate" | "deployment"> = { modelVersion: null, gate: null, deployment: null };
  for (const step of steps) {
    const o = ZStepOutputs.safeParse(step.outputs ?? {});
    if (!o.success) continue;
    // A later step (gate, deploy) names the version without its number: the number an earlier step gave is kept.
    if (o.data.modelVersionId) out.modelVersion = { id: o.data.modelVersionId, number: o.data.modelVersion ?? (out.modelVersion?.id === o.data.modelVersionId ? out.modelVersion.number : null) };
    if (o.data.gateReportId) out.gate = { reportId: o.data.gateReportId, passed: o.data.passed ?? null };
    if (o.data.deploymentId) out.deployment = { id: o.data.deploymentId, name: o.data.deploymentName ?? null };
  }
  return out;
}

/** The chain of one incident raised by a monitor rule: report → alert → retraining runs (each run's DTO links its gate report and rollout). */
export async function incidentChain(args: { projectId: string; incidentId: string }): Promise<ChainDto> {
  const incident = await db().alertIncident.findFirst({ where: { id: args.incidentId, projectId: args.projectId } });
  if (!incident) throw notFound("Alert incident");
  const links = await db().monitorAlertLink.findMany({ where: { incidentId: incident.id }, orderBy: { createdAt: "asc" }, include: { rule: { include: { monitor: true } } } });
  const first = links[0];
  if (!first || first.rule.monitor.projectId !== args.projectId) throw notFound("Monitor incident");
  const report = await db().monitorReport.findUniqueOrThrow({ where: { id: first.reportId } });
  const runIds = links.flatMap((l) => (l.pipelineRunId ? [l.pipelineRunId] : []));
  const runs = await db().pipelineRun.findMany({ where: { id: { in: runIds }, projectId: args.projectId }, include: { pipeline: { select: { name: true } }, steps: { select: { outputs: true }, orderBy: { startedAt: "asc" } } }, orderBy: { createdAt: "asc" } });
  return {
    incidentId: incident.id,
    monitor: { name: first.rule.monitor.name, deploymentId: first.rule.monitor.deploymentId },
    rule: { id: first.rule.id, name: first.rule.name },
    report: { id: report.id, kind: toReportDto(report).kind, windowStart: report.windowStart, windowEnd: report.windowEnd, verdict: toReportDto(report).verdict },
    alert: { title: incident.title, status: incident.status, firstFiredAt: incident.firstFiredAt, resolvedAt: incident.resolvedAt },
    runs: runs.map((r) => ({ id: r.id, pipeline: r.pipeline.name, number: r.number, status: r.status, ...producedBy(r.steps) })),
    note: links.map((l) => l.note).find((n) => n !== null) ?? null,
  };
}
