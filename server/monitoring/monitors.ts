/**
 * Monitors: one per deployment, created with defaults when the deployment is created (consumers.ts),
 * edited through monitor.update. The drift job (drift-job.ts) computes their reports on `schedule`.
 */
import { recordAudit, type Actor } from "../audit/audit";
import { db, type Tx } from "../db";
import { analysedVersion } from "../deployments/analysis";
import { AppError, isUniqueViolation, notFound } from "../errors";
import type { Monitor } from "../generated/prisma/client";
import { toJsonValue } from "../lib/stored-json";
import { cronProblem, nextCronRuns } from "../pipelines/cron";
import { lackingInputs } from "./inputs";
import { ZEffectFloors, ZReference, ZWindow, type MonitorDto, type MonitorPatch } from "./schemas";

export const DEFAULT_SCHEDULE = "0 * * * *";

/** The row of monitor `name` in the project (another tenant's is NOT_FOUND like a missing one). */
export async function monitorRow(projectId: string, name: string, tx: Tx = db()): Promise<Monitor> {
  const row = await tx.monitor.findUnique({ where: { projectId_name: { projectId, name } } });
  if (!row) throw notFound("Monitor");
  return row;
}

/** The default monitor of a new deployment: named after it, reference = training data, hourly windows, calibrated at α = 0.05. */
export async function createDefaultMonitor(tx: Tx, deployment: { id: string; projectId: string; name: string }, now = new Date()): Promise<void> {
  // A deployment name may be reused after deletion: the monitor keeps its name only when free.
  const taken = await tx.monitor.findUnique({ where: { projectId_name: { projectId: deployment.projectId, name: deployment.name } }, select: { deploymentId: true } });
  if (taken?.deploymentId === deployment.id) return;
  const name = taken ? `${deployment.name}-${deployment.id.slice(-6)}` : deployment.name;
  await tx.monitor.create({
    data: {
      projectId: deployment.projectId,
      deploymentId: deployment.id,
      name,
      reference: { kind: "training" },
      window: { kind: "hourly" },
      schedule: DEFAULT_SCHEDULE,
      nextRunAt: nextCronRuns(DEFAULT_SCHEDULE, now, 1)[0] ?? null,
    },
  });
}

async function lastVerdicts(monitorIds: string[]): Promise<Map<string, MonitorDto["lastVerdict"]>> {
  const rows = await db().monitorReport.findMany({ where: { monitorId: { in: monitorIds }, kind: "data" }, orderBy: { windowStart: "desc" }, distinct: ["monitorId"], select: { monitorId: true, verdict: true } });
  return new Map(rows.map((r) => [r.monitorId, r.verdict as MonitorDto["lastVerdict"]]));
}

function toDto(row: Monitor, deploymentName: string, lastVerdict: MonitorDto["lastVerdict"]): MonitorDto {
  return {
    id: row.id,
    name: row.name,
    deploymentId: row.deploymentId,
    deploymentName,
    reference: ZReference.parse(row.reference),
    window: ZWindow.parse(row.window),
    features: row.features.length > 0 ? row.features : null,
    mode: row.mode === "evidently" ? "evidently" : "calibrated",
    alpha: row.alpha,
    effectFloors: ZEffectFloors.parse(row.effectFloors),
    driftShare: row.driftShare,
    schedule: row.schedule,
    nextRunAt: row.nextRunAt,
    lastRunAt: row.lastRunAt,
    enabled: row.enabled,
    labelDelaySeconds: row.labelDelaySeconds,
    minLabels: row.minLabels,
    latencyP95Ms: row.latencyP95Ms,
    errorRate: row.errorRate,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    lastVerdict,
  };
}

async function toDtos(rows: Monitor[]): Promise<MonitorDto[]> {
  const deployments = await db().deployment.findMany({ where: { id: { in: rows.map((r) => r.deploymentId) } }, select: { id: true, name: true } });
  const verdicts = await lastVerdicts(rows.map((r) => r.id));
  return rows.map((r) => toDto(r, deployments.find((d) => d.id === r.deploymentId)?.name ?? "(deleted)", verdicts.get(r.id) ?? null));
}

export async function listMonitors(args: { projectId: string }): Promise<MonitorDto[]> {
  return toDtos(await db().monitor.findMany({ where: { projectId: args.projectId }, orderBy: { name: "asc" } }));
}

export async function getMonitor(args: { projectId: string; name: string }): Promise<MonitorDto> {
  return (await toDtos([await monitorRow(args.projectId, args.name)]))[0]!;
}

/** Watched features must be features of the served model (when its encoding spec is known). */
async function checkFeatures(projectId: string, name: string, features: string[]): Promise<void> {
  const row = await monitorRow(projectId, name);
  const deployment = await db().deployment.findUniqueOrThrow({ where: { id: row.deploymentId }, select: { stableVersionId: true } });
  const { spec } = await analysedVersion(projectId, deployment.stableVersionId);
  if (!spec) return;
  const known = spec.features.map((f) => f.name);
  const unknown = features.filter((f) => !known.includes(f));
  if (unknown.length > 0) throw new AppError("BAD_REQUEST", `features: ${unknown.map((f) => `"${f}"`).join(", ")} ${unknown.length === 1 ? "is not a feature" : "are not features"} of the served model (${known.join(", ")})`);
}

/**
 * A dataset window watches a dataset of the monitor's own project (another project's is NOT_FOUND like
 * a missing one) whose rows the served model can score: its latest version, if any, must hold the
 * model's input columns.
 */
async function checkWindowDataset(projectId: string, name: string, datasetId: string): Promise<void> {
  const dataset = await db().dataset.findFirst({ where: { id: datasetId, projectId }, select: { slug: true, versions: { orderBy: { number: "desc" }, take: 1, select: { number: true, columns: true } } } });
  if (!dataset) throw notFound("Dataset");
  const latest = dataset.versions[0];
  if (!latest) return;
  const row = await monitorRow(projectId, name);
  const deployment = await db().deployment.findUniqueOrThrow({ where: { id: row.deploymentId }, select: { stableVersionId: true } });
  const { spec } = await analysedVersion(projectId, deployment.stableVersionId);
  const problem = spec ? lackingInputs(spec, latest.columns) : null;
  if (problem) throw new AppError("BAD_REQUEST", `window: dataset "${dataset.slug}" v${latest.number} ${problem}, so the served model cannot score its rows`);
}

/** Edits a monitor; a bad schedule, an unknown dataset version or feature is BAD_REQUEST / NOT_FOUND, nothing written. */
export async function updateMonitor(args: { orgId: string; projectId: string; name: string; patch: MonitorPatch; actor: Actor }): Promise<MonitorDto> {
  const { patch } = args;
  if (patch.schedule !== undefined) {
    const problem = cronProblem(patch.schedule);
    if (problem) throw new AppError("BAD_REQUEST", `schedule: ${problem}`);
  }
  if (patch.features) await checkFeatures(args.projectId, args.name, patch.features);
  if (patch.window?.kind === "dataset") await checkWindowDataset(args.projectId, args.name, patch.window.datasetId);
  await db().$transaction(async (tx) => {
    const row = await monitorRow(args.projectId, args.name, tx);
    if (patch.reference?.kind === "dataset") {
      const version = await tx.datasetVersion.findFirst({ where: { id: patch.reference.datasetVersionId, projectId: args.projectId }, select: { id: true } });
      if (!version) throw notFound("Dataset version");
    }
    const schedule = patch.schedule ?? row.schedule;
    await tx.monitor.update({
      where: { id: row.id },
      data: {
        ...(patch.reference ? { reference: toJsonValue(patch.reference) } : {}),
        ...(patch.window ? { window: toJsonValue(patch.window) } : {}),
        ...(patch.features !== undefined ? { features: [...new Set(patch.features ?? [])] } : {}),
        ...(patch.effectFloors ? { effectFloors: toJsonValue(patch.effectFloors) } : {}),
        mode: patch.mode,
        alpha: patch.alpha,
        driftShare: patch.driftShare,
        schedule: patch.schedule,
        ...(patch.schedule !== undefined ? { nextRunAt: nextCronRuns(schedule, new Date(), 1)[0] ?? null } : {}),
        enabled: patch.enabled,
        labelDelaySeconds: patch.labelDelaySeconds,
        minLabels: patch.minLabels,
        latencyP95Ms: patch.latencyP95Ms,
        errorRate: patch.errorRate,
      },
    });
    await recordAudit(tx, { orgId: args.orgId, projectId: args.projectId, actor: args.actor, action: "monitor.update", target: { type: "monitor", id: row.id, label: row.name }, after: toJsonValue(patch) });
  }).catch((err: unknown) => {
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", "The monitor changed meanwhile; try again");
    throw err;
  });
  return getMonitor(args);
}
