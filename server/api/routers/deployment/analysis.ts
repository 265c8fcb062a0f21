import { abReport } from "../../../deployments/ab";
import { ZAbReportDto, ZAbReportInput, ZShadowReportDto, ZShadowReportInput } from "../../../deployments/schemas";
import { shadowReport } from "../../../deployments/shadow";
import { projectProcedure } from "../../trpc";

/** Stable against the shadow candidate on the same mirrored requests: agreement, differences, segments. */
export const shadow = projectProcedure("VIEWER")
  .input(ZShadowReportInput)
  .output(ZShadowReportDto)
  .query(({ ctx, input }) => shadowReport({ projectId: ctx.project.id, deploymentId: input.deploymentId, segmentBy: input.segmentBy, since: input.since }));

/** Candidate against stable on feedback labels, with an always-valid interval of the difference. */
export const ab = projectProcedure("VIEWER")
  .input(ZAbReportInput)
  .output(ZAbReportDto)
  .query(({ ctx, input }) => abReport({ projectId: ctx.project.id, deploymentId: input.deploymentId, metric: input.metric, alpha: input.alpha }));
