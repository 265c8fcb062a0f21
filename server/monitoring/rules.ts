/**
 * Alert rules of a monitor: what fires (condition), who hears it (the organisation's alert channels),
 * and the retraining it may start (a pipeline of the project, or a training spec that runs as a pipeline
 * Cairn generates, see retrain-pipeline.ts), within a daily budget and a cooldown.
 * Every reference in a rule is checked when it is saved, so a bad rule is refused with a clear message.
 */
import { recordAudit, type Actor } from "../audit/audit";
import { db, type Tx } from "../db";
import { AppError, isUniqueViolation, notFound } from "../errors";
import { Prisma, type AlertRule } from "../generated/prisma/client";
import { toJsonValue } from "../lib/stored-json";
import { checkOnlineMetric } from "../deployments/health";
import { pipelinesTriggeredBy } from "../pipelines/triggers/matching";
import { monitorRow } from "./monitors";
import { generatedPipelineName, syncRetrainPipeline } from "./retrain-pipeline";
import { ZRuleAction, ZRuleCondition, type AlertRuleDto } from "./schemas";
import type { z } from "zod";
import type { ZRuleFields } from "./schemas";

type RuleFields = z.infer<typeof ZRuleFields>;

/** A stored rule; `monitorName` names its generated pipeline (training actions). */
export function toRuleDto(row: AlertRule, monitorName: string): AlertRuleDto {
  const action = ZRuleAction.parse(row.action ?? null);
  return {
    id: row.id,
    monitorId: row.monitorId,
    name: row.name,
    condition: ZRuleCondition.parse(row.condition),
    channelIds: row.channelIds,
    cooldownSeconds: row.cooldownSeconds,
    severity: row.severity === "info" || row.severity === "critical" ? row.severity : "warning",
    action,
    generatedPipeline: action?.retrain.training ? generatedPipelineName(monitorName, row.id) : null,
    budget: { maxRunsPerDay: row.maxRunsPerDay },
    retrainCooldownSeconds: row.retrainCooldownSeconds,
    lastRetrainAt: row.lastRetrainAt,
    enabled: row.enabled,
    createdAt: row.createdAt,
  };
}

/** Checks what the zod schema cannot: channels of the org, the feature and metric of the model, the pipeline of the project. */
async function checkRule(tx: Tx, orgId: string, monitor: { projectId: string; deploymentId: string; name: string; features: string[] }, rule: RuleFields): Promise<void> {
  const channels = await tx.alertChannel.findMany({ where: { id: { in: rule.channelIds }, orgId }, select: { id: true } });
  const unknown = rule.channelIds.filter((id) => !channels.some((c) => c.id === id));
  if (unknown.length > 0) throw new AppError("BAD_REQUEST", `channelIds: no alert channel ${unknown.join(", ")} in this organisation`);
  const c = rule.condition;
  if (c.on === "feature" || c.on === "concept") {
    const deployment = await tx.deployment.findUniqueOrThrow({ where: { id: monitor.deploymentId }, select: { stableVersionId: true } });
    const version = await tx.modelVersion.findUniqueOrThrow({ where: { id: deployment.stableVersionId }, select: { task: true, encoding: true } });
    if (c.on === "feature") {
      const features = (version.encoding as { features?: { name: string }[] } | null)?.features?.map((f) => f.name) ?? monitor.features;
      const watched = monitor.features.length > 0 ? monitor.features : features;
      if (watched.length > 0 && !watched.includes(c.feature)) throw new AppError("BAD_REQUEST", `condition.feature: "${c.feature}" is not a monitored feature (${watched.join(", ")})`);
    } else {
      if (c.min !== undefined && c.max !== undefined && c.min > c.max) throw new AppError("BAD_REQUEST", "condition: min must not exceed max");
      checkOnlineMetric(version.task === "binary" ? "binary" : "regression", c.metric);
    }
  }
  const pipeline = rule.action?.retrain.pipeline;
  if (pipeline !== undefined) {
    // Retraining goes through startFromMonitor, which starts the pipelines whose triggers name this monitor.
    const triggered = await pipelinesTriggeredBy(monitor.projectId, (t) => "monitor" in t && t.monitor === monitor.name, tx);
    if (!triggered.some((p) => p.name === pipeline)) {
      const exists = await tx.pipeline.findFirst({ where: { projectId: monitor.projectId, name: pipeline, archivedAt: null }, select: { id: true } });
      throw new AppError("BAD_REQUEST", exists ? `action.retrain.pipeline: pipeline "${pipeline}" has no "- monitor: ${monitor.name}" trigger; add it to its cairn.yaml` : `action.retrain.pipeline: no pipeline "${pipeline}" in this project`);
    }
  }
}

const data = (rule: RuleFields) => ({
  name: rule.name,
  condition: toJsonValue(rule.condition),
  channelIds: [...new Set(rule.channelIds)],
  cooldownSeconds: rule.cooldownSeconds,
  severity: rule.severity,
  action: rule.action ? toJsonValue(rule.action) : Prisma.DbNull,
  maxRunsPerDay: rule.budget.maxRunsPerDay,
  retrainCooldownSeconds: rule.retrainCooldownSeconds,
  enabled: rule.enabled,
});

const conflict = (name: string) => (err: unknown) => {
  if (isUniqueViolation(err)) throw new AppError("CONFLICT", `The monitor already has a rule named "${name}"`);
  throw err;
};

export async function listRules(args: { projectId: string; name: string }): Promise<AlertRuleDto[]> {
  const monitor = await monitorRow(args.projectId, args.name);
  return (await db().alertRule.findMany({ where: { monitorId: monitor.id }, orderBy: { name: "asc" } })).map((r) => toRuleDto(r, monitor.name));
}

export async function createRule(args: { orgId: string; projectId: string; name: string; rule: RuleFields; actor: Actor }): Promise<AlertRuleDto> {
  return db()
    .$transaction(async (tx) => {
      const monitor = await monitorRow(args.projectId, args.name, tx);
      await checkRule(tx, args.orgId, monitor, args.rule);
      const row = await tx.alertRule.create({ data: { monitorId: monitor.id, ...data(args.rule) } });
      await syncRetrainPipeline(tx, { monitor, rule: row, retrain: args.rule.action?.retrain ?? null, actor: args.actor });
      await recordAudit(tx, { orgId: args.orgId, projectId: args.projectId, actor: args.actor, action: "monitor.rule.create", target: { type: "alert-rule", id: row.id, label: `${monitor.name}/${row.name}` }, after: toJsonValue(args.rule) });
      return toRuleDto(row, monitor.name);
    })
    .catch(conflict(args.rule.name));
}

export async function updateRule(args: { orgId: string; projectId: string; name: string; ruleId: string; rule: RuleFields; actor: Actor }): Promise<AlertRuleDto> {
  return db()
    .$transaction(async (tx) => {
      const monitor = await monitorRow(args.projectId, args.name, tx);
      const existing = await tx.alertRule.findFirst({ where: { id: args.ruleId, monitorId: monitor.id } });
      if (!existing) throw notFound("Alert rule");
      await checkRule(tx, args.orgId, monitor, args.rule);
      const row = await tx.alertRule.update({ where: { id: existing.id }, data: data(args.rule) });
      await syncRetrainPipeline(tx, { monitor, rule: row, retrain: args.rule.action?.retrain ?? null, actor: args.actor });
      await recordAudit(tx, { orgId: args.orgId, projectId: args.projectId, actor: args.actor, action: "monitor.rule.update", target: { type: "alert-rule", id: row.id, label: `${monitor.name}/${row.name}` }, before: toJsonValue(toRuleDto(existing, monitor.name)), after: toJsonValue(args.rule) });
      return toRuleDto(row, monitor.name);
    })
    .catch(conflict(args.rule.name));
}

export async function deleteRule(args: { orgId: string; projectId: string; name: string; ruleId: string; actor: Actor }): Promise<{ deleted: boolean }> {
  return db().$transaction(async (tx) => {
    const monitor = await monitorRow(args.projectId, args.name, tx);
    const existing = await tx.alertRule.findFirst({ where: { id: args.ruleId, monitorId: monitor.id } });
    if (!existing) throw notFound("Alert rule");
    await tx.alertRule.delete({ where: { id: existing.id } });
    // Its generated pipeline is archived, not deleted: the runs it started stay readable from the incidents.
    await syncRetrainPipeline(tx, { monitor, rule: existing, retrain: null, actor: args.actor });
    await recordAudit(tx, { orgId: args.orgId, projectId: args.projectId, actor: args.actor, action: "monitor.rule.delete", target: { type: "alert-rule", id: existing.id, label: `${monitor.name}/${existing.name}` } });
    return { deleted: true };
  });
}
