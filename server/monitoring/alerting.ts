/**
 * A monitor's rules after each new report: a rule that fires raises an alert (server/alerts/notify.ts
 * de-duplicates per rule and subject and keeps the cooldown) with the figures behind the verdict and a
 * link to the monitor page; a rule judged fine again clears it; a rule not judged by this report (wrong
 * kind, too few rows or labels) changes nothing. A firing rule with a retrain action starts, once per
 * incident and within its daily budget and retrain cooldown, either the pipelines triggered by the
 * monitor (startFromMonitor) or the pipeline generated from its training spec (retrain-pipeline.ts);
 * the link report → incident → run is kept in MonitorAlertLink.
 */
import { clearAlert, raiseAlert } from "../alerts/notify";
import { db } from "../db";
import type { AlertRule, Monitor, MonitorReport } from "../generated/prisma/client";
import { startFromMonitor } from "../pipelines/triggers/monitor";
import { toReportDto } from "./reports";
import { toRuleDto } from "./rules";
import { startRetrainPipeline } from "./retrain-pipeline";
import type { AlertRuleDto, FeatureResult, MonitorReportDto, Retrain } from "./schemas";

type Judgement = { firing: boolean; subject: string; title: string; figures: Record<string, string | number> } | null;

const round = (x: number | null | undefined): string | number => (x === null || x === undefined ? "n/a" : Number(x.toPrecision(4)));

function featureFigures(f: FeatureResult): Record<string, string | number> {
  return { feature: f.feature, statistic: f.statistic, value: round(f.value), threshold: round(f.threshold), effect: round(f.effect), "n (reference)": Math.round(f.nRef), "n (window)": Math.round(f.nCur) };
}

/** Whether the rule fires on this report; null when the report does not judge it. */
export function judge(rule: AlertRuleDto, monitor: Pick<Monitor, "name" | "latencyP95Ms" | "errorRate">, report: MonitorReportDto): Judgement {
  const c = rule.condition;
  const window = `${report.windowStart.toISOString()} – ${report.windowEnd.toISOString()}`;
  if (report.verdict === "insufficient") return null;
  switch (c.on) {
    case "data_drift": {
      if (report.kind !== "data") return null;
      const drifted = report.features.filter((f) => f.drifted);
      const worst = drifted[0] ?? report.features.find((f) => f.skipped === null);
      return {
        firing: report.verdict === "drifted",
        subject: monitor.name,
        title: `Data drift on ${monitor.name}: ${drifted.length} of ${report.features.filter((f) => f.skipped === null).length} features drifted`,
        figures: { "drifted features": drifted.map((f) => f.feature).join(", ") || "none", "drift share": round(report.datasetDriftShare), window, rows: report.rows, ...(worst ? featureFigures(worst) : {}) },
      };
    }
    case "feature": {
      const f = report.kind === "data" ? report.features.find((x) => x.feature === c.feature) : undefined;
      if (!f || f.skipped !== null) return null;
      return { firing: f.drifted, subject: `${monitor.name}/${f.feature}`, title: `Feature ${f.feature} drifted on ${monitor.name}`, figures: { ...featureFigures(f), window } };
    }
    case "prediction_drift": {
      const f = report.kind === "data" ? report.predictionDrift : null;
      if (!f || f.skipped !== null) return null;
      return { firing: f.drifted, subject: `${monitor.name}/prediction`, title: `Prediction drift on ${monitor.name}`, figures: { ...featureFigures(f), window } };
    }
    case "concept": {
      if (report.kind !== "concept") return null;
      const figures = report.figures as { metrics?: Record<string, Record<string, number | null>>; labels?: number; stableVersionId?: string };
      const value = figures.metrics?.[figures.stableVersionId ?? ""]?.[c.metric];
      if (value === null || value === undefined) return null;
      const firing = (c.min !== undefined && value < c.min) || (c.max !== undefined && value > c.max);
      return { firing, subject: `${monitor.name}/${c.metric}`, title: `${c.metric} ${firing ? "out of bounds" : "within bounds"} on ${monitor.name}`, figures: { metric: c.metric, value: round(value), ...(c.min !== undefined ? { min: c.min } : {}), ...(c.max !== undefined ? { max: c.max } : {}), labels: figures.labels ?? 0, window } };
    }
    case "latency":
    case "error_rate": {
      if (report.kind !== "serving") return null;
      const figures = report.figures as { p95Ms?: number | null; errorRate?: number | null; requests?: number };
      const limit = c.on === "latency" ? (c.p95Ms ?? monitor.latencyP95Ms) : (c.max ?? monitor.errorRate);
      const value = c.on === "latency" ? figures.p95Ms : figures.errorRate;
      if (limit === null || limit === undefined || value === null || value === undefined) return null;
      const label = c.on === "latency" ? "p95 latency (ms)" : "error rate";
      return { firing: value > limit, subject: `${monitor.name}/${c.on}`, title: `${label} above ${limit} on ${monitor.name}`, figures: { [label]: round(value), limit, requests: figures.requests ?? 0, window } };
    }
  }
}

export const ruleKeyOf = (rule: { id: string }) => `monitor-rule:${rule.id}`;

async function monitorLink(monitor: Monitor): Promise<string> {
  const project = await db().project.findUniqueOrThrow({ where: { id: monitor.projectId }, select: { slug: true, org: { select: { slug: true } } } });
  return `/${project.org.slug}/${project.slug}/monitors/${encodeURIComponent(monitor.name)}`;
}

/** The run a retrain action starts for an incident: its pipeline's (started with the monitor's others) or its generated pipeline's. */
async function startRetraining(retrain: Retrain, monitor: Monitor, ruleId: string, incidentId: string): Promise<{ run: { id: string } | null; refused: string }> {
  const pipeline = retrain.pipeline;
  if (pipeline === undefined) {
    const started = await startRetrainPipeline({ projectId: monitor.projectId, monitor: monitor.name, ruleId, alertId: incidentId });
    return { run: started.run, refused: `Retraining not started: ${started.refused ?? "the generated pipeline refused the run"}` };
  }
  const runs = await startFromMonitor({ projectId: monitor.projectId, monitor: monitor.name, alertId: incidentId });
  const pipelines = await db().pipeline.findMany({ where: { id: { in: runs.map((r) => r.pipelineId) } }, select: { id: true, name: true } });
  const run = runs.find((r) => pipelines.find((p) => p.id === r.pipelineId)?.name === pipeline) ?? null;
  return { run, refused: `Pipeline ${pipeline} did not start a run (archived, no monitor trigger, or its own budget spent)` };
}

/** Starts the rule's retraining for an incident unless it already did, its budget for today is spent, or it is cooling down. */
async function retrain(rule: AlertRule, dto: AlertRuleDto, monitor: Monitor, linkId: string, incidentId: string, now: Date): Promise<void> {
  if (!dto.action) return;
  const done = await db().monitorAlertLink.findFirst({ where: { incidentId, ruleId: rule.id, pipelineRunId: { not: null } }, select: { id: true } });
  if (done) return;
  const midnight = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const today = await db().monitorAlertLink.count({ where: { ruleId: rule.id, pipelineRunId: { not: null }, createdAt: { gte: midnight } } });
  let note: string | null = null;
  if (today >= rule.maxRunsPerDay) note = `Retraining not started: the rule's budget of ${rule.maxRunsPerDay} run(s) a day is spent`;
  else if (rule.lastRetrainAt && now.getTime() - rule.lastRetrainAt.getTime() < rule.retrainCooldownSeconds * 1000) note = `Retraining not started: cooling down until ${new Date(rule.lastRetrainAt.getTime() + rule.retrainCooldownSeconds * 1000).toISOString()}`;
  if (note) {
    await db().monitorAlertLink.update({ where: { id: linkId }, data: { note } });
    return;
  }
  const { run, refused } = await startRetraining(dto.action.retrain, monitor, rule.id, incidentId);
  await db().$transaction([
    db().monitorAlertLink.update({ where: { id: linkId }, data: run ? { pipelineRunId: run.id, note: null } : { note: refused } }),
    ...(run ? [db().alertRule.update({ where: { id: rule.id }, data: { lastRetrainAt: now } })] : []),
  ]);
}

/** Evaluates every enabled rule of the monitor on a report just written. */
export async function evaluateRules(monitor: Monitor, row: MonitorReport, now = new Date()): Promise<void> {
  const rules = await db().alertRule.findMany({ where: { monitorId: monitor.id, enabled: true }, orderBy: { createdAt: "asc" } });
  if (rules.length === 0) return;
  const report = toReportDto(row);
  const link = await monitorLink(monitor);
  for (const rule of rules) {
    const dto = toRuleDto(rule, monitor.name);
    const j = judge(dto, monitor, report);
    if (!j) continue;
    if (!j.firing) {
      await clearAlert({ projectId: monitor.projectId, ruleKey: ruleKeyOf(rule), subject: j.subject });
      continue;
    }
    const raised = await raiseAlert({ projectId: monitor.projectId, ruleKey: ruleKeyOf(rule), subject: j.subject, title: j.title.slice(0, 150), severity: dto.severity, figures: j.figures, link, channelIds: dto.channelIds, cooldownSeconds: dto.cooldownSeconds });
    const saved = await db().monitorAlertLink.upsert({ where: { ruleId_reportId: { ruleId: rule.id, reportId: row.id } }, create: { ruleId: rule.id, reportId: row.id, incidentId: raised.incidentId }, update: { incidentId: raised.incidentId } });
    await retrain(rule, dto, monitor, saved.id, raised.incidentId, now);
  }
}
