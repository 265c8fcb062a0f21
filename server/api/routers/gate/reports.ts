import { z } from "zod";
import { compareVersions } from "../../../gates/compare";
import { getReport, listReports } from "../../../gates/reports";
import { requestGate } from "../../../gates/requests";
import { ZCompareDto, ZCompareInput, ZGateReportDto, ZGateReportFullDto, ZReportInput, ZReportsInput, ZVersionRef } from "../../../gates/schemas";
import { projectProcedure } from "../../trpc";

/** Gates a version now under the current policy and champion (a pending report for the same is returned). */
export const run = projectProcedure("MEMBER")
  .input(ZVersionRef)
  .output(ZGateReportDto)
  .mutation(({ ctx, input }) => requestGate({ projectId: ctx.project.id, versionId: input.versionId, actor: ctx.actor }));

/** A version's gate reports, newest first. */
export const reports = projectProcedure("VIEWER")
  .input(ZReportsInput)
  .output(z.array(ZGateReportDto))
  .query(({ ctx, input }) => listReports({ projectId: ctx.project.id, versionId: input.versionId, limit: input.limit }));

/** One gate report with every check's evidence. */
export const report = projectProcedure("VIEWER")
  .input(ZReportInput)
  .output(ZGateReportFullDto)
  .query(({ ctx, input }) => getReport({ projectId: ctx.project.id, reportId: input.reportId }));

/** Two versions scored on the same test rows, with signature and lineage differences. */
export const compare = projectProcedure("VIEWER")
  .input(ZCompareInput)
  .output(ZCompareDto)
  .query(({ ctx, input, signal }) => compareVersions({ projectId: ctx.project.id, versionId: input.versionId, otherVersionId: input.otherVersionId, signal }));
