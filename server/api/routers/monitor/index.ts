import { z } from "zod";
import { getMonitor, listMonitors, updateMonitor } from "../../../monitoring/monitors";
import { getReport, incidentChain, listReports, runMonitorNow } from "../../../monitoring/reports";
import { createRule, deleteRule, listRules, updateRule } from "../../../monitoring/rules";
import {
  ZAlertRuleDto,
  ZChainDto,
  ZChainInput,
  ZMonitorDto,
  ZMonitorListInput,
  ZMonitorRef,
  ZMonitorReportDto,
  ZMonitorUpdateInput,
  ZReportDetailDto,
  ZReportInput,
  ZReportsInput,
  ZRuleCreateInput,
  ZRuleRefInput,
  ZRuleUpdateInput,
  ZRunNowDto,
} from "../../../monitoring/schemas";
import { createTRPCRouter, projectProcedure } from "../../trpc";

/** Drift, concept and serving monitors of a project's deployments, their reports and alert rules (issue 14). */
export const monitorRouter = createTRPCRouter({
  list: projectProcedure("VIEWER")
    .input(ZMonitorListInput)
    .output(z.array(ZMonitorDto))
    .query(({ ctx }) => listMonitors({ projectId: ctx.project.id })),
  get: projectProcedure("VIEWER")
    .input(ZMonitorRef)
    .output(ZMonitorDto)
    .query(({ ctx, input }) => getMonitor({ projectId: ctx.project.id, name: input.name })),
  update: projectProcedure("MEMBER")
    .input(ZMonitorUpdateInput)
    .output(ZMonitorDto)
    .mutation(({ ctx, input }) => updateMonitor({ orgId: ctx.org.id, projectId: ctx.project.id, name: input.name, patch: input.patch, actor: ctx.actor })),
  reports: projectProcedure("VIEWER")
    .input(ZReportsInput)
    .output(z.array(ZMonitorReportDto))
    .query(({ ctx, input }) => listReports({ projectId: ctx.project.id, name: input.name, kind: input.kind, limit: input.limit })),
  report: projectProcedure("VIEWER")
    .input(ZReportInput)
    .output(ZReportDetailDto)
    .query(({ ctx, input }) => getReport({ projectId: ctx.project.id, name: input.name, reportId: input.reportId })),
  runNow: projectProcedure("MEMBER")
    .input(ZMonitorRef)
    .output(ZRunNowDto)
    .mutation(({ ctx, input }) => runMonitorNow({ projectId: ctx.project.id, name: input.name })),
  rules: projectProcedure("VIEWER")
    .input(ZMonitorRef)
    .output(z.array(ZAlertRuleDto))
    .query(({ ctx, input }) => listRules({ projectId: ctx.project.id, name: input.name })),
  createRule: projectProcedure("MEMBER")
    .input(ZRuleCreateInput)
    .output(ZAlertRuleDto)
    .mutation(({ ctx, input }) => createRule({ orgId: ctx.org.id, projectId: ctx.project.id, name: input.name, rule: input.rule, actor: ctx.actor })),
  updateRule: projectProcedure("MEMBER")
    .input(ZRuleUpdateInput)
    .output(ZAlertRuleDto)
    .mutation(({ ctx, input }) => updateRule({ orgId: ctx.org.id, projectId: ctx.project.id, name: input.name, ruleId: input.ruleId, rule: input.rule, actor: ctx.actor })),
  deleteRule: projectProcedure("MEMBER")
    .input(ZRuleRefInput)
    .output(z.object({ deleted: z.boolean() }))
    .mutation(({ ctx, input }) => deleteRule({ orgId: ctx.org.id, projectId: ctx.project.id, name: input.name, ruleId: input.ruleId, actor: ctx.actor })),
  chain: projectProcedure("VIEWER")
    .input(ZChainInput)
    .output(ZChainDto)
    .query(({ ctx, input }) => incidentChain({ projectId: ctx.project.id, incidentId: input.incidentId })),
});
