import { accountRouter } from "./routers/account";
import { auditRouter } from "./routers/audit";
import { datasetRouter } from "./routers/dataset";
import { runRouter } from "./routers/run";
import { experimentRouter } from "./routers/experiment";
import { trainingRouter } from "./routers/training";
import { authRouter } from "./routers/auth";
import { invitationRouter } from "./routers/invitation";
import { memberRouter } from "./routers/member";
import { orgRouter } from "./routers/org";
import { projectRouter } from "./routers/project";
import { systemRouter } from "./routers/system";
import { tokenRouter } from "./routers/token";
import { workerRouter } from "./routers/worker";
import { modelRouter } from "./routers/model";
import { gateRouter } from "./routers/gate";
import { promotionRouter } from "./routers/promotion";
import { deploymentRouter } from "./routers/deployment";
import { pipelineRouter } from "./routers/pipeline";
import { alertRouter } from "./routers/alert";
import { monitorRouter } from "./routers/monitor";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  account: accountRouter,
  org: orgRouter,
  project: projectRouter,
  member: memberRouter,
  invitation: invitationRouter,
  token: tokenRouter,
  audit: auditRouter,
  worker: workerRouter,
  system: systemRouter,
  dataset: datasetRouter,
  run: runRouter,
  experiment: experimentRouter,
  training: trainingRouter,
  model: modelRouter,
  gate: gateRouter,
  promotion: promotionRouter,
  deployment: deploymentRouter,
  pipeline: pipelineRouter,
  alert: alertRouter,
  monitor: monitorRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
