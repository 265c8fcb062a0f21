import { batchScore, datasetCompare, datasetProfile, datasetValidate, evaluate, gateEvaluate, outboxDispatch, pipelineAdvance, pipelineCronTick, pipelineRecheck, rolloutStep, systemPing, train, trainGpu } from "../../server/jobs/definitions";
import { datasetCompareHandler, datasetProfileHandler, datasetValidateHandler, outboxDispatchHandler } from "./datasets";
import { batchScoreHandler } from "./batch";
import { gateEvaluateHandler } from "./gates";
import { pipelineAdvanceHandler, pipelineRecheckHandler } from "./pipelines";
import { pipelineCronTickHandler } from "./pipeline-triggers";
import { rolloutStepHandler } from "./rollout";
import { systemPingHandler } from "./system-ping";
import { evaluateHandler, trainHandler } from "./training";
import type { Handler } from "./types";
import { alertDeliver } from "../../server/jobs/definitions";
import { alertDeliverHandler } from "./alerts";
import { driftCompute, driftTick } from "../../server/jobs/definitions";
import { driftComputeHandler, driftTickHandler } from "./monitoring";

/** Queue name → handler. Every job in server/jobs/definitions.ts has one. */
export const HANDLERS: Record<string, Handler> = {
  [systemPing.name]: systemPingHandler,
  [outboxDispatch.name]: outboxDispatchHandler,
  [datasetProfile.name]: datasetProfileHandler,
  [datasetValidate.name]: datasetValidateHandler,
  [datasetCompare.name]: datasetCompareHandler,
  [train.name]: trainHandler,
  [trainGpu.name]: trainHandler,
  [evaluate.name]: evaluateHandler,
  [gateEvaluate.name]: gateEvaluateHandler,
  [rolloutStep.name]: rolloutStepHandler,
  [batchScore.name]: batchScoreHandler,
  [pipelineAdvance.name]: pipelineAdvanceHandler,
  [pipelineRecheck.name]: pipelineRecheckHandler,
  [pipelineCronTick.name]: pipelineCronTickHandler,
  [alertDeliver.name]: alertDeliverHandler,
  [driftCompute.name]: driftComputeHandler,
  [driftTick.name]: driftTickHandler,
};
