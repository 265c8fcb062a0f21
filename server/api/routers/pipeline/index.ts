import { createTRPCRouter } from "../../trpc";
import { archive, rotateWebhookSecret, save } from "./changes";
import { get, list, revision, validate, webhook } from "./read";
import { cancelRun, retryStep, run, runGet, runs } from "./runs";

/** Pipelines, their runs and triggers (issue 13). Procedures live in files beside this one. */
export const pipelineRouter = createTRPCRouter({
  list,
  get,
  revision,
  validate,
  save,
  archive,
  webhook,
  rotateWebhookSecret,
  run,
  runs,
  runGet,
  cancelRun,
  retryStep,
});
