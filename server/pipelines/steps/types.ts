/** What a step kind implements: resolving its inputs, starting the domain work, and reading where it stands. */
import type { Actor } from "../../audit/audit";
import type { PipelineSpec, PipelineStep, StepKind } from "../spec";
import type { StepOutputs } from "../schemas";

export interface StepContext {
  run: {
    id: string;
    number: number;
    projectId: string;
    orgId: string;
    pipelineName: string;
    params: Record<string, string | number | boolean>;
    triggerInfo: Record<string, unknown>;
  };
  spec: PipelineSpec;
  step: PipelineStep;
  row: { id: string; attempt: number; outputs: StepOutputs | null };
  /** Outputs of the SUCCEEDED/CACHED steps written before this one, in spec order; `ancestor`: this step waits on it (through its needs). */
  earlier: { stepId: string; kind: StepKind; outputs: StepOutputs; ancestor: boolean }[];
  /** Who the domain services record as acting: the pipeline run itself. */
  actor: Actor;
}

/** Where a step stands after starting or checking its work. */
export type Outcome =
  | { state: "running"; outputs?: StepOutputs; log?: string; /** When to look again without an event (the safety net). */ recheckSeconds: number }
  | { state: "succeeded"; outputs: StepOutputs; log?: string }
  | { state: "failed"; message: string; outputs?: StepOutputs };

/** The inputs a step's cache key is made of (besides its kind and `with`). */
export interface Prepared {
  inputs: Record<string, unknown>;
  /** `with` after `${{ params.x }}` substitution. */
  with: unknown;
  /** What identifies the code that runs (a training command and commit), when there is any. */
  code: unknown;
}

export interface StepExecutor {
  /** Deploying changes live traffic: never answered from an earlier run's outputs. */
  cacheable: boolean;
  prepare(ctx: StepContext): Promise<Prepared>;
  start(ctx: StepContext, prepared: Prepared): Promise<Outcome>;
  check(ctx: StepContext): Promise<Outcome>;
  /**
   * Finds the work a start began but did not record (its worker died between the two), so it is
   * adopted instead of started twice; null when there is none.
   */
  recover?(ctx: StepContext, startedAt: Date): Promise<Outcome | null>;
  /** Stops domain work the step started (a training run), when it can be stopped. */
  cancel?(ctx: StepContext): Promise<void>;
}
