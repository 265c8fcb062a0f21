import { abortRollout, pauseDeployment, promoteCandidate, replaceVersion, resumeDeployment, rollbackDeployment, setCandidate as startCandidate, switchBlueGreen } from "../../../deployments/changes";
import { createDeployment } from "../../../deployments/deployments";
import { ZCreateDeploymentInput, ZDeploymentActionInput, ZDeploymentDto, ZReplaceInput, ZSetCandidateInput } from "../../../deployments/schemas";
import { projectProcedure } from "../../trpc";

/** Changing what serves traffic is ADMIN, like promotion. */
const admin = projectProcedure("ADMIN");

export const create = admin
  .input(ZCreateDeploymentInput)
  .output(ZDeploymentDto)
  .mutation(({ ctx, input }) => createDeployment({ ...input, orgId: ctx.org.id, projectId: ctx.project.id, actor: ctx.actor }));

export const replace = admin
  .input(ZReplaceInput)
  .output(ZDeploymentDto)
  .mutation(({ ctx, input }) => replaceVersion({ ...input, orgId: ctx.org.id, projectId: ctx.project.id, actor: ctx.actor }));

export const setCandidate = admin
  .input(ZSetCandidateInput)
  .output(ZDeploymentDto)
  .mutation(({ ctx, input }) => startCandidate({ ...input, orgId: ctx.org.id, projectId: ctx.project.id, actor: ctx.actor }));

const action = (fn: typeof pauseDeployment) =>
  admin
    .input(ZDeploymentActionInput)
    .output(ZDeploymentDto)
    .mutation(({ ctx, input }) => fn({ ...input, orgId: ctx.org.id, projectId: ctx.project.id, actor: ctx.actor }));

export const switchTraffic = action(switchBlueGreen);
export const pause = action(pauseDeployment);
export const resume = action(resumeDeployment);
export const abort = action(abortRollout);
export const promote = action(promoteCandidate);
export const rollback = action(rollbackDeployment);
