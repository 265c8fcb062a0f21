import { createTRPCRouter } from "../../trpc";
import { cancel, start, status } from "./start";
import { commands, deleteCommand, saveCommand } from "./commands";
import { logs } from "./logs";
import { evaluateRun, evaluation, evaluations } from "./evaluations";

export const trainingRouter = createTRPCRouter({ start, cancel, status, logs, commands, saveCommand, deleteCommand, evaluations, evaluation, evaluate: evaluateRun });
