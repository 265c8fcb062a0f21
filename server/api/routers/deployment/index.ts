import { createTRPCRouter } from "../../trpc";

/** Environments, deployments, traffic splits and the deployment ledger (issue 12). */
export const deploymentRouter = createTRPCRouter({});
