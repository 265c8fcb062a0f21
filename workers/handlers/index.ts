import { datasetProfile, datasetValidate, outboxDispatch, systemPing } from "../../server/jobs/definitions";
import { datasetProfileHandler, datasetValidateHandler, outboxDispatchHandler } from "./datasets";
import { systemPingHandler } from "./system-ping";
import type { Handler } from "./types";

/** Queue name → handler. Every job in server/jobs/definitions.ts has one. */
export const HANDLERS: Record<string, Handler> = {
  [systemPing.name]: systemPingHandler,
  [outboxDispatch.name]: outboxDispatchHandler,
  [datasetProfile.name]: datasetProfileHandler,
  [datasetValidate.name]: datasetValidateHandler,
};
