import { z } from "zod";
import { getDeployment, listDeployments } from "../../../deployments/deployments";
import { listLedger, verifyLedger as verify } from "../../../deployments/ledger";
import { ZDeploymentDto, ZDeploymentRefInput, ZLedgerEntryDto, ZLedgerVerificationDto, ZListDeploymentsInput } from "../../../deployments/schemas";
import { projectProcedure } from "../../trpc";

export const list = projectProcedure("VIEWER")
  .input(ZListDeploymentsInput)
  .output(z.array(ZDeploymentDto))
  .query(({ ctx, input }) => listDeployments({ projectId: ctx.project.id, environmentId: input.environmentId }));

export const get = projectProcedure("VIEWER")
  .input(ZDeploymentRefInput)
  .output(ZDeploymentDto)
  .query(({ ctx, input }) => getDeployment({ projectId: ctx.project.id, deploymentId: input.deploymentId }));

/** Every change of the deployment, oldest first, with its hash chain. */
export const ledger = projectProcedure("VIEWER")
  .input(ZDeploymentRefInput)
  .output(z.array(ZLedgerEntryDto))
  .query(({ ctx, input }) => listLedger({ projectId: ctx.project.id, deploymentId: input.deploymentId }));

/** Recomputes the ledger's hash chain and names the first entry that does not verify. */
export const verifyLedger = projectProcedure("VIEWER")
  .input(ZDeploymentRefInput)
  .output(ZLedgerVerificationDto)
  .query(({ ctx, input }) => verify({ projectId: ctx.project.id, deploymentId: input.deploymentId }));
