import type { StepKind } from "../spec";
import { deploy } from "./deploy";
import { evaluate } from "./evaluate";
import { gate } from "./gate";
import { register } from "./register";
import { train } from "./train";
import type { StepExecutor } from "./types";
import { validateData } from "./validate-data";

/** Step kind → what runs it. */
export const EXECUTORS: Record<StepKind, StepExecutor> = { "validate-data": validateData, train, evaluate, register, gate, deploy };
