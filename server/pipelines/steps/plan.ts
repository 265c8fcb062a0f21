/**
 * The scheduling rules of a pipeline run, as pure functions over the spec and the steps' states:
 * which steps a step waits for, and whether it runs or is skipped once they are done.
 */
import { readStored } from "../../lib/stored-json";
import { ZPipelineSpec, type PipelineSpec, type PipelineStep } from "../spec";
import type { StepStatus } from "../schemas";

/** A revision's stored spec, parsed (defaults filled in). */
export function readSpec(value: unknown): PipelineSpec {
  return readStored(ZPipelineSpec, value, "pipeline spec");
}

export const TERMINAL_STEP_STATUSES: readonly StepStatus[] = ["SUCCEEDED", "FAILED", "SKIPPED", "CANCELLED", "CACHED"];
export const isStepDone = (s: StepStatus) => TERMINAL_STEP_STATUSES.includes(s);
const ok = (s: StepStatus | undefined) => s === "SUCCEEDED" || s === "CACHED";

/** The steps a step runs after: its `needs`, or else the step written before it. */
export function stepNeeds(spec: PipelineSpec, stepId: string): string[] {
  const index = spec.steps.findIndex((s) => s.id === stepId);
  const step = spec.steps[index];
  if (!step) return [];
  if (step.needs) return step.needs;
  const previous = spec.steps[index - 1];
  return previous ? [previous.id] : [];
}

/** The step an `if:` names (`gate` in `gate.passed`), or null for none/`always`. */
export function conditionStep(step: PipelineStep): string | null {
  return step.if && step.if !== "always" ? step.if.split(".")[0]! : null;
}

/** Every step this one waits on: its needs and the step its condition reads. */
export function waitsOn(spec: PipelineSpec, step: PipelineStep): string[] {
  const named = conditionStep(step);
  return [...new Set([...stepNeeds(spec, step.id), ...(named ? [named] : [])])];
}

export interface StepState {
  status: StepStatus;
  /** A gate's verdict (outputs.passed). */
  passed?: boolean;
}

export type Decision = { kind: "wait" } | { kind: "run" } | { kind: "skip"; reason: string };

/**
 * Whether a PENDING step waits, runs or is skipped. Without `if`, it runs when every need SUCCEEDED or
 * was CACHED; with `if`, the condition alone decides once everything it waits on is done.
 */
export function decide(spec: PipelineSpec, step: PipelineStep, states: ReadonlyMap<string, StepState>): Decision {
  const deps = waitsOn(spec, step);
  if (deps.some((d) => !isStepDone(states.get(d)?.status ?? "PENDING"))) return { kind: "wait" };
  if (!step.if) {
    const blocked = stepNeeds(spec, step.id).filter((d) => !ok(states.get(d)?.status));
    return blocked.length === 0 ? { kind: "run" } : { kind: "skip", reason: `skipped: ${blocked.map((d) => `${d} ${states.get(d)?.status ?? "missing"}`).join(", ")}` };
  }
  if (step.if === "always") return { kind: "run" };
  const [id, outcome] = step.if.split(".") as [string, "passed" | "failed" | "succeeded"];
  const state = states.get(id);
  const holds =
    outcome === "failed" ? state?.status === "FAILED" : outcome === "succeeded" ? ok(state?.status) : ok(state?.status) && state?.passed !== false;
  return holds ? { kind: "run" } : { kind: "skip", reason: `skipped: ${step.if} is false (${id} ${state?.status ?? "missing"})` };
}

/** Steps that `stepId` waits on, directly or through others. */
export function ancestorsOf(spec: PipelineSpec, stepId: string): Set<string> {
  const out = new Set<string>();
  const visit = (id: string) => {
    const step = spec.steps.find((s) => s.id === id);
    for (const d of step ? waitsOn(spec, step) : []) {
      if (!out.has(d)) {
        out.add(d);
        visit(d);
      }
    }
  };
  visit(stepId);
  return out;
}

/** Steps that wait (directly or through others) on `stepId`: the ones a retry of it may have to run again. */
export function dependentsOf(spec: PipelineSpec, stepId: string): Set<string> {
  const out = new Set<string>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of spec.steps) {
      if (out.has(s.id) || s.id === stepId) continue;
      if (waitsOn(spec, s).some((d) => d === stepId || out.has(d))) {
        out.add(s.id);
        grew = true;
      }
    }
  }
  return out;
}
