import { healthSeries } from "../../../deployments/health";
import { advanceRollout } from "../../../deployments/rollout";
import { ZAdvanceInput, ZDeploymentDto, ZHealthSeriesDto, ZHealthSeriesInput } from "../../../deployments/schemas";
import { projectProcedure } from "../../trpc";

/** Moves a canary to its next step now; at the last step the candidate is promoted. */
export const advance = projectProcedure("ADMIN")
  .input(ZAdvanceInput)
  .output(ZDeploymentDto)
  .mutation(({ ctx, input }) => advanceRollout({ ...input, orgId: ctx.org.id, projectId: ctx.project.id, actor: ctx.actor }));

/** Requests, errors and latency per version over the last `minutes`, from every serving process's samples. */
export const health = projectProcedure("VIEWER")
  .input(ZHealthSeriesInput)
  .output(ZHealthSeriesDto)
  .query(({ ctx, input }) => healthSeries({ projectId: ctx.project.id, deploymentId: input.deploymentId, minutes: input.minutes }));
