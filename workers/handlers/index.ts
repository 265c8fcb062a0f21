import { systemPing } from "../../server/jobs/definitions";
import { systemPingHandler } from "./system-ping";
import type { Handler } from "./types";

/** Queue name → handler. Every job in server/jobs/definitions.ts has one. */
export const HANDLERS: Record<string, Handler> = {
  [systemPing.name]: systemPingHandler,
};
